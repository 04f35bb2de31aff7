"""Downloading dataset files into a local cache: atomic, verified, with a progress bar.

The cache directory is, in order: the ``W2V_WIDGETS_CACHE`` environment variable,
``$XDG_CACHE_HOME/w2v-widgets``, ``~/.cache/w2v-widgets``. A file already in the cache is used
without touching the network, so a file saved there by hand (on a machine with no internet)
works too, provided it passes the same checks.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from ...errors import DatasetError

DEFAULT_TIMEOUT = 30.0  # seconds without progress (connecting or between chunks)
_CHUNK = 1 << 16
_USER_AGENT = "w2v-widgets (https://pypi.org/project/w2v-widgets/)"


def cache_dir(path: str | os.PathLike | None = None) -> Path:
    """The cache directory: ``path`` if given, else from the environment (see module docs)."""
    if path is not None:
        return Path(path).expanduser()
    if os.environ.get("W2V_WIDGETS_CACHE"):
        return Path(os.environ["W2V_WIDGETS_CACHE"]).expanduser()
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]).expanduser() / "w2v-widgets"
    return Path.home() / ".cache" / "w2v-widgets"


def _manual_hint(url: str, dest: Path) -> str:
    return (
        f"To install it by hand, download {url} on a machine with internet access and save it "
        f"as {dest}; the next call will use it (or set W2V_WIDGETS_CACHE to another cache folder)."
    )


def _unwritable(folder: Path, exc: OSError) -> str:
    return (
        f"cannot write to the cache folder {folder} ({exc.strerror or exc}); set the "
        "W2V_WIDGETS_CACHE environment variable to a folder you can write to."
    )


def _make_dir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatasetError(_unwritable(folder, exc)) from exc


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _sha1_of(path: Path) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check(path: Path, *, size: int | None, sha1: str | None, got_sha1: str | None, url: str) -> None:
    """Raise DatasetError (after removing ``path``) if its size or SHA-1 is not the expected."""
    problem = None
    actual_size = path.stat().st_size
    if size is not None and actual_size != size:
        problem = f"it has {actual_size:,} bytes where {size:,} were expected"
    elif sha1 is not None:
        got_sha1 = got_sha1 or _sha1_of(path)
        if got_sha1.lower() != sha1.lower():
            problem = f"its SHA-1 is {got_sha1} where {sha1} was expected"
    if problem:
        _remove(path)
        raise DatasetError(
            f"the file from {url} failed verification: {problem}. The bad file was removed; "
            "run the call again to download it anew. If it fails again, the file on the server "
            "has changed: pass the new checksum (sha1=...) or size (size=...) if you trust it."
        )


def download(
    url: str,
    dest: str | os.PathLike,
    *,
    sha1: str | None = None,
    size: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool = True,
) -> Path:
    """Download ``url`` to ``dest`` atomically and verify it; return ``dest``.

    The data streams into a temporary file next to ``dest``, which replaces ``dest`` only once
    the transfer is complete and ``size``/``sha1`` (when given) match. On any failure nothing is
    left behind and :class:`~w2v_widgets.errors.DatasetError` says what happened.
    """
    dest = Path(dest)
    _make_dir(dest.parent)
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        raise DatasetError(
            f"the server at {url} answered HTTP {exc.code} {exc.reason}. {_manual_hint(url, dest)}"
        ) from exc
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DatasetError(
            f"could not reach {url} ({reason}). This machine may be offline, behind a proxy, or "
            f"the server may be down. {_manual_hint(url, dest)}"
        ) from exc

    digest = hashlib.sha1()
    received = 0
    length = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    except OSError as exc:
        response.close()
        raise DatasetError(_unwritable(dest.parent, exc)) from exc
    tmp = Path(tmp_name)
    try:
        with response, os.fdopen(fd, "wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else size
            from tqdm.auto import tqdm

            with tqdm(
                total=total,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                desc=f"downloading {dest.name}",
                disable=not progress,
            ) as bar:
                while block := response.read(_CHUNK):
                    out.write(block)
                    digest.update(block)
                    received += len(block)
                    bar.update(len(block))
            if length and length.isdigit() and received != int(length):
                raise http.client.IncompleteRead(b"", int(length) - received)
        _check(tmp, size=size, sha1=sha1, got_sha1=digest.hexdigest(), url=url)
        os.replace(tmp, dest)
    except (OSError, http.client.HTTPException) as exc:
        _remove(tmp)
        expected = f" of {int(length):,}" if length and length.isdigit() else ""
        raise DatasetError(
            f"the download of {url} was interrupted after {received:,}{expected} bytes ({exc!r}); "
            f"nothing was kept. Run the call again. {_manual_hint(url, dest)}"
        ) from exc
    except BaseException:
        _remove(tmp)
        raise
    return dest


def fetch(
    url: str,
    filename: str,
    *,
    subdir: str = "",
    sha1: str | None = None,
    size: int | None = None,
    cache: str | os.PathLike | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool = True,
) -> Path:
    """Path of ``filename`` in the cache (under ``subdir``), downloaded from ``url`` if absent.

    A file already there (downloaded before or saved by hand) is checked against ``size`` and
    ``sha1`` and used without touching the network.
    """
    dest = cache_dir(cache) / subdir / filename
    if dest.is_file():
        _check(dest, size=size, sha1=sha1, got_sha1=None, url=url)
        return dest
    return download(url, dest, sha1=sha1, size=size, timeout=timeout, progress=progress)


def extract_member(archive: str | os.PathLike, member: str, dest: str | os.PathLike) -> Path:
    """Extract one ``member`` of a zip ``archive`` to ``dest`` atomically; return ``dest``.

    A corrupt archive is removed, so that the next call downloads it again.
    """
    archive, dest = Path(archive), Path(dest)
    _make_dir(dest.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(archive) as zf, zf.open(member) as src, os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
        os.replace(tmp, dest)
    except KeyError as exc:
        _remove(tmp)
        raise DatasetError(
            f"the archive {archive} has no member {member!r}; it is not the expected file. "
            "Delete it and run the call again."
        ) from exc
    except (zipfile.BadZipFile, EOFError) as exc:
        _remove(tmp)
        _remove(archive)
        raise DatasetError(
            f"the archive {archive} is corrupt ({exc}); it was removed. Run the call again to "
            "download it anew."
        ) from exc
    except BaseException:
        _remove(tmp)
        raise
    return dest


def fetch_member(
    url: str,
    archive_name: str,
    member: str,
    dest: str | os.PathLike,
    **fetch_kwargs,
) -> Path:
    """``dest`` if already extracted; else download the zip ``archive_name`` from ``url`` (see
    :func:`fetch`, which takes ``fetch_kwargs``) and extract its ``member`` to ``dest``."""
    dest = Path(dest)
    if not dest.is_file():
        archive = fetch(url, archive_name, **fetch_kwargs)
        extract_member(archive, member, dest)
    return dest
