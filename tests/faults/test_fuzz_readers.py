"""Property-based fuzzing (hypothesis) of every reader of user files: text corpora, word2vec text
and binary files, checkpoints. Whatever the bytes (random, truncated, bit-flipped, a forged
header), a reader returns a result or raises its own clear error naming the file: never another
exception, a hang, a huge allocation or unpickling.

Examples are bounded (``max_examples``, a deadline per example) to keep CI short; the ``slow``
variants run many more.
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import w2v_widgets as w2v
from tests.support.kernel import REPO_ROOT, kernel_env
from w2v_widgets.data.text import iter_text_pieces
from w2v_widgets.errors import CheckpointError, CorpusError, VectorFileError
from w2v_widgets.npy import npy_bytes
from w2v_widgets.vectors.word_vectors import WordVectors

FAST = settings(
    max_examples=60,
    deadline=2000,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
)
SLOW = settings(max_examples=1500, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture])

# ----------------------------------------------------------------- damage
flips = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 7)), min_size=1, max_size=8)


def flip_bits(data: bytes, where: list[tuple[float, int]]) -> bytes:
    out = bytearray(data)
    for fraction, bit in where:
        out[int(fraction * len(out))] ^= 1 << bit
    return bytes(out)


def write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


# ----------------------------------------------------------------- text corpora
text_bytes = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=1500).map(lambda t: t.encode("utf-8")),
    st.text(max_size=800).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(st.characters(max_codepoint=255), max_size=800).map(lambda t: t.encode("latin-1")),
    st.tuples(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b""]), st.text(max_size=500)).map(
        lambda p: p[0] + p[1].encode("utf-8")
    ),
)


def _read_corpus(path: Path) -> w2v.Corpus | None:
    try:
        return w2v.Corpus.from_file(path)
    except CorpusError as exc:
        assert str(path) in str(exc) or path.name in str(exc), f"the error does not name the file: {exc}"
        return None


def check_text_reader(tmp: Path, data: bytes, gz: bool) -> None:
    path = write(tmp, "corpus.txt.gz" if gz else "corpus.txt", gzip.compress(data, mtime=0) if gz else data)
    corpus = _read_corpus(path)
    if corpus is not None:
        assert corpus.n_tokens > 0 and all(isinstance(w, str) and w for w in corpus.words)
        assert "\x00" not in "".join(corpus.words)


@FAST
@given(data=text_bytes, gz=st.booleans())
def test_text_reader_on_any_bytes(tmp_path, data, gz):
    check_text_reader(tmp_path, data, gz)


@pytest.mark.slow
@SLOW
@given(data=text_bytes, gz=st.booleans())
def test_text_reader_on_any_bytes_many(tmp_path, data, gz):
    check_text_reader(tmp_path, data, gz)


@FAST
@given(cut=st.floats(0, 1), where=flips)
def test_damaged_gzip_corpus_is_a_corpus_error(tmp_path, cut, where):
    data = gzip.compress(("the cat sat on the mat\n" * 400).encode(), mtime=0)
    damaged = flip_bits(data[: max(1, int(cut * len(data)))], where)
    check_text_reader(tmp_path, damaged, gz=False)  # named .txt: the magic bytes choose gzip


def test_a_byte_order_mark_is_not_part_of_the_first_word(tmp_path):
    plain = w2v.Corpus.from_file(write(tmp_path, "a.txt", b"hello world\n"), tokenizer="whitespace")
    marked = w2v.Corpus.from_file(
        write(tmp_path, "b.txt", b"\xef\xbb\xbfhello world\n"), tokenizer="whitespace"
    )
    assert marked.words == plain.words == ["hello", "world"]


def test_nul_bytes_after_the_first_block_are_refused_with_the_line(tmp_path):
    data = b"the cat sat\n" * 2000 + b"bad \x00 line\n"
    with pytest.raises(CorpusError, match=r"NUL bytes near line"):
        w2v.Corpus.from_file(write(tmp_path, "nul.txt", data))


def test_a_file_that_grows_while_read_gives_a_whole_corpus(tmp_path):
    path = write(tmp_path, "growing.txt", b"one two three\n" * 100_000)
    pieces = iter_text_pieces(path)
    first = next(pieces)
    with open(path, "ab") as f:  # another program appends while we read
        f.write(b"four five six\n" * 1000)
    lines = [first, *pieces]
    assert all(ends for _, ends in lines[:-1])
    assert {text for text, _ in lines} <= {"one two three", "four five six"}


def test_a_file_that_vanishes_while_read_is_read_to_its_end_or_refused(tmp_path):
    path = write(tmp_path, "vanishing.txt", b"one two three\n" * 100_000)
    pieces = iter_text_pieces(path)
    next(pieces)
    path.unlink()  # POSIX keeps the open file readable; elsewhere the delete fails
    assert sum(1 for _ in pieces) == 100_000 - 1
    with pytest.raises(FileNotFoundError, match=r"vanishing\.txt"):
        w2v.Corpus.from_file(path)


@pytest.mark.slow
def test_a_line_of_300_mb_is_read_in_bounded_memory(tmp_path):
    path = tmp_path / "one-line.txt"
    with open(path, "wb") as f:
        for _ in range(300):
            f.write(b"ab cd ef gh " * 87_382)  # 1 MB of 4 distinct words, never a newline
    code = (
        "import resource, sys, w2v_widgets as w2v; c = w2v.Corpus.from_file(sys.argv[1]); "
        "print(c.n_tokens, len(c.words), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        env=kernel_env(),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    tokens, distinct, peak_kb = map(int, out.stdout.split())
    assert tokens == 300 * 87_382 * 4 and distinct == 4
    # ids are 4 bytes a token (420 MB) over the ~260 MB of the imports; the text itself (300 MB)
    # is never held whole, and counting the ids makes no int64 copy of them (840 MB)
    assert peak_kb / 1024 < 900, f"peak RSS {peak_kb / 1024:.0f} MB"


# ----------------------------------------------------------------- word2vec files
@pytest.fixture(scope="module")
def small_wv() -> WordVectors:
    rng = np.random.default_rng(0)
    words = ["the", "cat", "sat", "ünï", "日本", "=1+1", "</script>", "a" * 40]
    return WordVectors(words, rng.normal(size=(len(words), 5)).astype(np.float32))


@pytest.fixture(scope="module")
def w2v_bytes(small_wv, tmp_path_factory) -> dict[bool, bytes]:
    folder = tmp_path_factory.mktemp("w2v")
    out = {}
    for binary in (False, True):
        path = folder / f"v{int(binary)}"
        small_wv.save_word2vec_format(path, binary=binary)
        out[binary] = path.read_bytes()
    return out


def check_vector_reader(tmp: Path, data: bytes, binary: bool) -> None:
    path = write(tmp, "vectors.bin" if binary else "vectors.txt", data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # replaced bytes, repeated words: allowed, with a warning
            wv = w2v.load_word2vec_format(path, binary=binary)
    except VectorFileError as exc:
        assert str(path) in str(exc), f"the error does not name the file: {exc}"
        return
    assert wv.vectors.dtype == np.float32 and np.isfinite(wv.vectors).all()
    assert len(wv.index_to_key) == len(wv.vectors) > 0


@FAST
@given(binary=st.booleans(), cut=st.floats(0, 1), where=st.one_of(st.just([]), flips))
def test_truncated_or_flipped_word2vec_files(tmp_path, w2v_bytes, binary, cut, where):
    data = w2v_bytes[binary]
    damaged = data[: int(cut * len(data))]
    if damaged and where:
        damaged = flip_bits(damaged, where)
    check_vector_reader(tmp_path, damaged, binary)


@pytest.mark.slow
@SLOW
@given(binary=st.booleans(), cut=st.floats(0, 1), where=st.one_of(st.just([]), flips))
def test_truncated_or_flipped_word2vec_files_many(tmp_path, w2v_bytes, binary, cut, where):
    data = w2v_bytes[binary]
    damaged = data[: int(cut * len(data))]
    if damaged and where:
        damaged = flip_bits(damaged, where)
    check_vector_reader(tmp_path, damaged, binary)


@FAST
@given(
    binary=st.booleans(),
    count=st.integers(-5, 2**62),
    dims=st.integers(-5, 2**40),
    body=st.binary(max_size=400),
)
def test_forged_word2vec_headers_allocate_nothing_large(tmp_path, binary, count, dims, body):
    check_vector_reader(tmp_path, f"{count} {dims}\n".encode() + body, binary)


# ----------------------------------------------------------------- checkpoints
@pytest.fixture(scope="module")
def checkpoint_bytes(tmp_path_factory, toy_corpus) -> bytes:
    from tests.support.models import small_model

    path = tmp_path_factory.mktemp("ckpt") / "m.w2v"
    small_model(epochs=1).fit(toy_corpus).save(path)
    return path.read_bytes()


def check_checkpoint_reader(tmp: Path, data: bytes) -> None:
    path = write(tmp, "model.w2v", data)
    try:
        model = w2v.Word2Vec.load(path)
    except CheckpointError as exc:
        assert str(path) in str(exc), f"the error does not name the file: {exc}"
        return
    assert model.vocab is not None and model.wv.vectors.shape[0] == len(model.vocab)


@FAST
@given(cut=st.floats(0, 1), where=st.one_of(st.just([]), flips))
def test_truncated_or_flipped_checkpoints(tmp_path, checkpoint_bytes, cut, where):
    damaged = checkpoint_bytes[: int(cut * len(checkpoint_bytes))]
    if damaged and where:
        damaged = flip_bits(damaged, where)
    check_checkpoint_reader(tmp_path, damaged)


@pytest.mark.slow
@SLOW
@given(cut=st.floats(0, 1), where=st.one_of(st.just([]), flips))
def test_truncated_or_flipped_checkpoints_many(tmp_path, checkpoint_bytes, cut, where):
    damaged = checkpoint_bytes[: int(cut * len(checkpoint_bytes))]
    if damaged and where:
        damaged = flip_bits(damaged, where)
    check_checkpoint_reader(tmp_path, damaged)


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The checkpoint with some members replaced (valid CRCs: a crafted, not a damaged, file)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return out.getvalue()


@FAST
@given(
    shape=st.lists(st.integers(0, 2**40), min_size=1, max_size=3),
    dtype=st.sampled_from(["<f4", "<i8", "|u1"]),
)
def test_a_crafted_array_header_allocates_nothing_large(tmp_path, checkpoint_bytes, shape, dtype):
    header = {"descr": dtype, "fortran_order": False, "shape": tuple(shape)}
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, header)
    forged = buffer.getvalue() + b"\0" * 64
    check_checkpoint_reader(tmp_path, _rezip(checkpoint_bytes, {"a0.npy": forged}))


def test_a_pickled_array_or_deep_json_is_refused(tmp_path, checkpoint_bytes):
    pickled = io.BytesIO()
    np.save(pickled, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    for members in ({"a0.npy": pickled.getvalue()}, {"state.json": b"[" * 100_000 + b"]" * 100_000}):
        with pytest.raises(CheckpointError, match=r"model\.w2v"):
            w2v.Word2Vec.load(write(tmp_path, "model.w2v", _rezip(checkpoint_bytes, members)))


@FAST
@given(
    document=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
        max_leaves=12,
    )
)
def test_any_json_state_is_a_clear_error(tmp_path, checkpoint_bytes, document):
    state = {"format": "w2v-widgets-checkpoint", "version": 1, "state": document}
    data = _rezip(checkpoint_bytes, {"state.json": json.dumps(state).encode()})
    check_checkpoint_reader(tmp_path, data)


@pytest.fixture(scope="module")
def native_bytes(small_wv, tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("native") / "vectors.wv"
    small_wv.save(path)
    return path.read_bytes()


def check_native_reader(tmp: Path, data: bytes) -> None:
    path = write(tmp, "vectors.wv", data)
    try:
        wv = WordVectors.load(path)
    except VectorFileError as exc:
        assert str(path) in str(exc), f"the error does not name the file: {exc}"
        return
    assert wv.vectors.shape[0] == len(wv)


@FAST
@given(
    shape=st.lists(st.integers(0, 2**40), min_size=1, max_size=3),
    dtype=st.sampled_from(["<f4", "<i8", "|u1"]),
    member=st.sampled_from(["vectors.npy", "counts.npy"]),
)
def test_a_crafted_array_header_in_a_word_vectors_file_allocates_nothing_large(
    tmp_path, native_bytes, shape, dtype, member
):
    header = {"descr": dtype, "fortran_order": False, "shape": tuple(shape)}
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, header)
    check_native_reader(tmp_path, _rezip(native_bytes, {member: buffer.getvalue() + b"\0" * 64}))


def test_a_word_vectors_member_larger_than_its_dimensions_is_refused_before_inflating(tmp_path, native_bytes):
    huge = np.zeros((4_000, 1_000), dtype=np.float32)  # 16 MB of zeros, a few KB deflated
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(native_bytes)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = npy_bytes(huge) if info.filename == "vectors.npy" else src.read(info.filename)
            dst.writestr(info.filename, data)
    with pytest.raises(VectorFileError, match=r"vectors\.npy holds 16,000,128 bytes"):
        WordVectors.load(write(tmp_path, "vectors.wv", out.getvalue()))


@pytest.fixture(scope="module")
def projector_bytes(tmp_path_factory) -> tuple[bytes, bytes]:
    rng = np.random.default_rng(3)
    words = ["the", "=cmd|' /C calc'!A0", "tab\there", "back\\slash", "'=quoted", "-3", "naïve", "東京"]
    wv = WordVectors(words, rng.normal(size=(len(words), 5)).astype(np.float32), counts=list(range(8, 0, -1)))
    vectors, metadata = wv.save_projector_tsv(tmp_path_factory.mktemp("projector"))
    return vectors.read_bytes(), metadata.read_bytes()


def test_a_projector_pair_reads_back_exactly(tmp_path, projector_bytes):
    folder = tmp_path / "pair"
    folder.mkdir()
    (folder / "vectors.tsv").write_bytes(projector_bytes[0])
    (folder / "metadata.tsv").write_bytes(projector_bytes[1])
    wv = WordVectors.load_projector_tsv(folder / "vectors.tsv")
    assert wv.index_to_key == [
        "the",
        "=cmd|' /C calc'!A0",
        "tab\there",
        "back\\slash",
        "'=quoted",
        "-3",
        "naïve",
        "東京",
    ]
    assert wv.counts.tolist() == list(range(8, 0, -1)) and wv.vectors.shape == (8, 5)


@FAST
@given(
    which=st.sampled_from([0, 1]),
    cut=st.floats(0, 1),
    where=st.one_of(st.just([]), flips),
)
def test_truncated_or_flipped_projector_pairs(tmp_path, projector_bytes, which, cut, where):
    data = list(projector_bytes)
    damaged = flip_bits(data[which], where)
    data[which] = damaged[: max(0, int(len(damaged) * cut))] if cut < 1 else damaged
    vectors = write(tmp_path, "vectors.tsv", data[0])
    metadata = write(tmp_path, "metadata.tsv", data[1])
    try:
        wv = WordVectors.load_projector_tsv(vectors, metadata)
    except VectorFileError as exc:
        assert str(vectors) in str(exc) or str(metadata) in str(exc), f"the error names no file: {exc}"
        return
    assert wv.vectors.shape[0] == len(wv) and np.isfinite(wv.vectors).all()


def test_a_projector_count_column_is_found_whatever_its_case(tmp_path, projector_bytes):
    metadata = projector_bytes[1].replace(b"word\tcount\n", b"Word\tCount\n", 1)
    assert metadata != projector_bytes[1]
    vectors = write(tmp_path, "vectors.tsv", projector_bytes[0])
    wv = WordVectors.load_projector_tsv(vectors, write(tmp_path, "metadata.tsv", metadata))
    assert wv.counts.tolist() == list(range(8, 0, -1))
