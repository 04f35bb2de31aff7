"""The process group: who this rank is, starting and ending the group, and collectives that
fail with a :class:`~w2v_widgets.errors.DistributedError` saying what happened."""

from __future__ import annotations

import atexit
import contextlib
import os
from datetime import timedelta
from typing import Any

import numpy as np
import torch

from ...errors import DistributedError

DEFAULT_TIMEOUT_S = 120.0  # a collective waits this long for a rank before the run ends


def dist_module():
    import torch.distributed as dist

    return dist


def world() -> tuple[int, int]:
    """``(rank, world_size)`` of the initialised default process group, else ``(0, 1)``."""
    dist = dist_module()
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def is_writer() -> bool:
    """True on the rank that writes files: rank 0, or the only process."""
    return world()[0] == 0


def launched_by_torchrun() -> bool:
    """True when the environment names a world of two or more ranks (torchrun's ``WORLD_SIZE``)."""
    return int(os.environ.get("WORLD_SIZE", "1") or 1) > 1


def init_from_env(timeout_s: float = DEFAULT_TIMEOUT_S) -> bool:
    """Initialise the default process group from torchrun's environment (``RANK``, ``WORLD_SIZE``,
    ``MASTER_ADDR``, ``MASTER_PORT``) with ``timeout_s`` on every collective: gloo for the CPU,
    NCCL beside it where CUDA is. True if a group of two or more ranks is (now) initialised.
    A group initialised here is destroyed at exit (unless the caller did it first): left to the
    interpreter's teardown, gloo's threads can abort the process after its work is done
    ("terminate called without an active exception", exit status -6)."""
    dist = dist_module()
    if not dist.is_available():
        raise DistributedError("this PyTorch build has no torch.distributed; install the standard build")
    if not dist.is_initialized():
        if not launched_by_torchrun():
            return False
        backend = "gloo"
        if torch.cuda.is_available():
            torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
            backend = "cpu:gloo,cuda:nccl"
        dist.init_process_group(backend=backend, timeout=timedelta(seconds=timeout_s))
        atexit.register(_destroy_group)
    return dist.get_world_size() > 1


def _destroy_group() -> None:
    """Destroy the default process group if it is still there (a local step: no collective)."""
    dist = dist_module()
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


@contextlib.contextmanager
def collective(what: str):
    """Turn a failed collective (a rank died, hung past the timeout, or disagrees) into a
    :class:`DistributedError` that says so."""
    try:
        yield
    except DistributedError:
        raise
    except (RuntimeError, ConnectionError, OSError) as exc:
        rank, size = world()
        raise DistributedError(
            f"rank {rank} of {size}: the {what} with the other ranks failed ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else 'no message'}). Another rank probably died, "
            "was killed or hung past the process group's timeout; the run ends on every rank, and "
            "the last checkpoint written (at an epoch's end) is intact."
        ) from exc


def all_reduce(values: np.ndarray, op: str = "sum", what: str = "count exchange") -> np.ndarray:
    dist = dist_module()
    t = torch.from_numpy(np.ascontiguousarray(values, dtype=np.int64))
    ops = {"sum": dist.ReduceOp.SUM, "min": dist.ReduceOp.MIN, "max": dist.ReduceOp.MAX}
    with collective(what):
        dist.all_reduce(t, op=ops[op])
    return t.numpy()


def all_gather(obj: Any, what: str) -> list[Any]:
    dist = dist_module()
    out: list[Any] = [None] * dist.get_world_size()
    with collective(what):
        dist.all_gather_object(out, obj)
    return out


def check_agreement(facts: dict[str, Any], what: str = "settings") -> None:
    """Stop every rank, naming the first fact that differs, unless all ranks hold the same
    ``facts`` (plain values: settings, sizes, digests)."""
    gathered = all_gather(facts, f"{what} check")
    for key in sorted(set().union(*gathered)):
        values = [g.get(key) for g in gathered]
        if any(v != values[0] for v in values[1:]):
            shown = ", ".join(f"rank {r}: {v!r}" for r, v in enumerate(values))
            raise DistributedError(
                f"the ranks disagree on {key!r} ({shown}); start every rank with the same "
                f"{key.split('.')[-1]} (and the same corpus file and checkpoint)"
            )
