"""EmbeddingExplorer in a real kernel: a trained Word2Vec model, t-SNE in a background thread
while other cells run, and updates from an epoch callback of background training."""

from __future__ import annotations

import json

import pytest

from tests.support.corpora import GROUPS
from tests.support.kernel import REPO_ROOT, LiveKernel

pytestmark = pytest.mark.kernel

SETUP = """\
import json, time
import w2v_widgets as w2v
from w2v_widgets.widgets.explorer import EmbeddingExplorer
from tests.support.corpora import EVIL, GROUPS, make_corpus
corpus = make_corpus()
model = w2v.Word2Vec(vector_size=20, min_count=2, sample=0, batch_size=1024, epochs=3, seed=1)
model.fit(corpus)
"""


def test_explorer_on_a_trained_model_with_background_tsne_and_epoch_updates():
    with LiveKernel(cwd=REPO_ROOT) as k:
        k.execute(SETUP, timeout=180)
        first = json.loads(
            k.execute(
                "ex = EmbeddingExplorer(model, n_words=40, projection='tsne')\n"
                "print(json.dumps([ex.projection, ex._progress.get('active', False)]))"
            )
        )
        # the cell returned at once with the PCA layout, t-SNE is computed meanwhile
        assert first[0] in ("PCA", "t-SNE")
        assert k.execute("print(6 * 7)").strip() == "42"
        assert k.execute("print(ex.wait(120), ex.projection)").split() == ["True", "t-SNE"]
        animals = set(GROUPS["animal"])
        near = json.loads(k.execute("print(json.dumps([w for w, _ in ex.neighbours('cat', 5)]))"))
        assert len(animals & set(near)) >= 3, near
        assert k.execute("print(len(ex.neighbours(EVIL)))").strip() == "10"

        # update from an epoch callback while training runs in the background
        k.execute(
            "updates = []\n"
            "class Follow(w2v.Callback):\n"
            "    def on_epoch_end(self, m, logs):\n"
            "        ex.update(m)\n"
            "        updates.append(logs['epoch'])\n"
            "model.fit(corpus, callbacks=[Follow()], background=True)\n"
            "model.wait()\n"
            "ex.wait(120)"
        )
        state = json.loads(
            k.execute(
                "print(json.dumps({'updates': updates, 'projection': ex.projection,"
                " 'same': bool((ex.vectors.vectors == model.wv.vectors).all()),"
                " 'n': len(ex.words), 'busy': ex._layouts.busy}))"
            )
        )
        assert state == {"updates": [0, 1, 2], "projection": "t-SNE", "same": True, "n": 40, "busy": False}
