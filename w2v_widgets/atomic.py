"""Atomic file writes: every file w2v-widgets saves is written here.

The data goes to a temporary file beside the target, is flushed to the disk (``fsync``) and only
then renamed over the target (``os.replace``, atomic on POSIX and Windows). A process killed at
any moment, a full disk or a missing permission leaves the previous file (or no file) at the
path, never a torn one; errors become :class:`~w2v_widgets.errors.SaveError` saying what to do.
A process killed mid-write may leave its hidden temporary file (``.NAME.*.tmp``) behind; it is
never read.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from .errors import SaveError

# mkstemp creates files readable by the owner only; saved files get the usual umask instead.
_UMASK = os.umask(0)
os.umask(_UMASK)
_FILE_MODE = 0o666 & ~_UMASK

_REASONS = {
    errno.ENOSPC: ("the disk is full", "free some space or save to another disk"),
    errno.EDQUOT: ("the disk quota is exceeded", "free some space or save to another disk"),
    errno.EFBIG: ("the file is larger than this system allows", "save to another disk"),
    errno.EACCES: ("permission denied", "choose a folder you can write to"),
    errno.EPERM: ("permission denied", "choose a folder you can write to"),
    errno.EROFS: ("the file system is read-only", "choose a folder you can write to"),
}


def save_error(path: Path, exc: OSError, existed: bool) -> SaveError:
    """A :class:`SaveError` for ``exc`` raised while saving ``path``, keeping its ``errno``."""
    reason, hint = _REASONS.get(exc.errno or 0, (exc.strerror or str(exc), "check the path and the disk"))
    kept = "the previous file there is unchanged" if existed else "nothing was written"
    detail = f" ({exc.strerror})" if exc.strerror and exc.strerror.lower() != reason else ""
    return SaveError(exc.errno or 0, f"could not save {str(path)!r}: {reason}{detail}; {kept}. Hint: {hint}")


def _remove(path: str) -> None:
    with suppress(OSError):
        os.unlink(path)


def _sync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX; directories cannot be opened on Windows)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class AtomicGroup:
    """Files replaced together: :meth:`open` writes each one to a temporary file beside its target;
    the targets are replaced only when every file is written (one rename after another, after all
    are on the disk). Use it through :func:`atomic_group`."""

    def __init__(self) -> None:
        self._staged: list[tuple[str, Path, bool]] = []  # (temporary file, target, target existed)

    @contextmanager
    def open(self, path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
        """A binary file that will replace ``path`` when the group ends without an exception."""
        path = Path(path)
        existed = path.exists()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        except OSError as exc:
            raise save_error(path, exc, existed) from exc
        self._staged.append((tmp, path, existed))
        try:
            with os.fdopen(fd, "wb") as out:
                yield out  # type: ignore[misc]
                out.flush()
                os.fsync(out.fileno())
            with suppress(OSError):
                os.chmod(tmp, _FILE_MODE)
        except OSError as exc:
            raise save_error(path, exc, existed) from exc

    def _commit(self) -> None:
        for tmp, path, existed in self._staged:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise save_error(path, exc, existed) from exc
        for folder in dict.fromkeys(path.parent for _, path, _ in self._staged):
            _sync_dir(folder)

    def _discard(self) -> None:
        for tmp, _, _ in self._staged:
            _remove(tmp)


@contextmanager
def atomic_group() -> Iterator[AtomicGroup]:
    """Replace several files together (a Projector pair, vectors and their vocabulary file): if
    any write fails or the block raises, none of the targets changes. The renames run back to back
    once every file is on the disk; only a process killed between two renames (microseconds) can
    leave a new file beside an old one."""
    group = AtomicGroup()
    try:
        yield group
        group._commit()
    finally:
        group._discard()  # what was renamed is gone from its temporary name already


@contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open a binary file whose content replaces ``path`` only when the ``with`` block ends
    without an exception; on an exception the target is untouched and nothing is left behind."""
    with atomic_group() as group, group.open(path) as out:
        yield out


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; returns the path."""
    with atomic_write(path) as out:
        out.write(data)
    return Path(path)
