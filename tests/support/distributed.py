"""Launch a command on several ranks on localhost, as ``torchrun`` would (its environment
variables), each rank a subprocess; gloo on a free port. Used by the data-parallel tests and
benchmark."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class RankResult:
    rank: int
    returncode: int | None  # None: still running at the deadline (then killed)
    stdout: str
    stderr: str
    seconds: float


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(
    world: int,
    args: list[str],
    timeout: float = 120,
    threads: int = 1,
    env: dict | None = None,
    grace: float | None = None,
) -> list[RankResult]:
    """Run ``python args...`` on ``world`` ranks; wait for all (at most ``timeout`` seconds, then
    kill the rest; once a rank has failed, the others get ``grace`` more seconds, as torchrun ends
    a run whose worker failed). Each rank's exit status and output."""
    port = free_port()
    procs, files = [], []
    start = time.perf_counter()
    for rank in range(world):
        rank_env = {
            **os.environ,
            "RANK": str(rank),
            "LOCAL_RANK": str(rank),
            "WORLD_SIZE": str(world),
            "LOCAL_WORLD_SIZE": str(world),
            "MASTER_ADDR": "127.0.0.1",
            "MASTER_PORT": str(port),
            "W2V_WIDGETS_THREADS": str(threads),
            "OMP_NUM_THREADS": str(threads),
            "PYTHONPATH": str(ROOT),
            **(env or {}),
        }
        out, err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed below)
        files.append((out, err))
        procs.append(
            subprocess.Popen([sys.executable, *args], cwd=ROOT, env=rank_env, stdout=out, stderr=err)
        )
    ended: dict[int, float] = {}
    deadline = start + timeout
    while len(ended) < world and time.perf_counter() < deadline:
        for rank, proc in enumerate(procs):
            if rank not in ended and proc.poll() is not None:
                ended[rank] = time.perf_counter() - start
                if proc.returncode != 0 and grace is not None:
                    deadline = min(deadline, time.perf_counter() + grace)
        time.sleep(0.05)
    results = []
    for rank, proc in enumerate(procs):
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            code = None
        else:
            code = proc.returncode
        out, err = files[rank]
        out.seek(0)
        err.seek(0)
        seconds = ended.get(rank, time.perf_counter() - start)
        results.append(RankResult(rank, code, out.read(), err.read(), seconds))
        out.close()
        err.close()
    return results
