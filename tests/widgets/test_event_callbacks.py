"""EventCallbacks: the on_hover / on_select callbacks the explorer and the compare view share."""

import logging

from w2v_widgets.widgets.event_callbacks import EventCallbacks

LOGGER = logging.getLogger("w2v_widgets.tests.event_callbacks")


def test_a_callback_is_added_once_and_removed_on_request():
    seen = []
    callbacks = EventCallbacks("on_hover", LOGGER)
    callbacks.register(seen.append)
    callbacks.register(seen.append)
    callbacks.fire({"word": "a"})
    callbacks.register(seen.append, remove=True)
    callbacks.register(seen.append, remove=True)  # not there any more: no error
    callbacks.fire({"word": "b"})
    assert seen == [{"word": "a"}]


def test_a_failing_callback_is_logged_and_reported_and_the_next_one_still_runs(caplog):
    seen, failures = [], []

    def broken(event):
        raise RuntimeError("boom")

    callbacks = EventCallbacks("on_select", LOGGER, lambda name, exc: failures.append((name, str(exc))))
    callbacks.register(broken)
    callbacks.register(seen.append)
    with caplog.at_level(logging.ERROR, logger=LOGGER.name):
        callbacks.fire({"words": ["a"]})
    assert seen == [{"words": ["a"]}]
    assert failures == [("on_select", "boom")]
    [record] = [r for r in caplog.records if r.name == LOGGER.name]
    assert record.getMessage().startswith("on_select callback <function") and "failed" in record.getMessage()
