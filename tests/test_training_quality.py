"""Training on the embedded corpus: the groups the lessons show must form."""

import pytest

import w2v_widgets as w2v

MONTHS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}
NUMBERS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}


@pytest.fixture(scope="module")
def short_run(sample_corpus):
    """The classroom defaults (about 10-20 s on a 2-core CPU)."""
    return w2v.Word2Vec(device="cpu", seed=0).fit(sample_corpus)


def test_neighbours_of_three_are_numbers(short_run):
    nearest = [w for w, _ in short_run.wv.most_similar("three", topn=5)]
    assert sum(w in NUMBERS for w in nearest) >= 4, nearest


def test_neighbours_of_january_are_months(short_run):
    nearest = [w for w, _ in short_run.wv.most_similar("january", topn=5)]
    assert sum(w in MONTHS for w in nearest) >= 4, nearest


def test_loss_falls_epoch_after_epoch(short_run):
    losses = short_run.epoch_losses
    assert len(losses) == 10
    assert losses[0] > losses[4] > losses[9]  # noisy from epoch to epoch, falling overall
    assert losses[0] - losses[9] > 0.2
