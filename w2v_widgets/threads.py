"""How many threads to run: from the CPUs this process may use, not the machine's.

On a shared server (a JupyterHub classroom, a container) a student's kernel may run on a few
CPUs of many: the spawner pins it (CPU affinity) or gives it a CPU quota (a cgroup), neither of
which ``os.cpu_count()`` or torch's default thread count sees. Running more threads than the
process may use only makes them wait for each other, and a quota's excess threads are
throttled every period, the notebook's own thread with them.

The rule, first match wins:

1. ``W2V_WIDGETS_THREADS=N``: exactly N threads, whatever the machine says (the user's word
   for this package; a background run and t-SNE then use N as well).
2. ``OMP_NUM_THREADS=N``: N, but never more than the usable CPUs below (hubs set it to the
   student's share; a larger value would oversubscribe the quota).
3. The usable CPUs: the CPUs of the affinity mask (``os.sched_getaffinity``; taskset, cpusets),
   and fewer if a cgroup quota (v2 ``cpu.max``, v1 ``cpu.cfs_quota_us``) allows less: its whole
   CPUs, at least one (a quota of 1.5 CPUs runs 1 thread, which is never throttled).

A background run and t-SNE leave one of the budget's threads to the notebook (rules 2 and 3),
so that widgets stay responsive. :func:`limit_torch_threads` applies the budget to torch's own
thread pool (it only ever lowers it). ``w2v-widgets doctor`` prints the budget and its reason.
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass

from . import cgroups
from .errors import ConfigError

__all__ = ["ThreadBudget", "budget", "limit_torch_threads", "whole_cpus", "workers"]

THREADS_VARIABLE = "W2V_WIDGETS_THREADS"


@dataclass(frozen=True)
class ThreadBudget:
    """The threads to run and why.

    ``threads``: the count; ``reason``: one line saying which rule chose it; ``explicit``:
    ``W2V_WIDGETS_THREADS`` chose it (taken as is). The rest is what was read: the machine's
    CPUs, the affinity mask's, the cgroup quota in CPUs and the file that sets it, and
    ``OMP_NUM_THREADS``."""

    threads: int
    reason: str
    explicit: bool
    machine_cpus: int
    affinity_cpus: int | None
    quota_cpus: float | None
    quota_file: str | None
    omp_num_threads: int | None

    def as_dict(self) -> dict:
        return asdict(self)


def _positive(name: str, text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigError(
            f"{name}={text!r} is not a positive whole number: set it to a thread count such as 2, or unset it"
        )
    return value


def _affinity() -> int | None:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return None


def _cpus(n: float) -> str:
    return f"{n:g} CPU" if n == 1 else f"{n:g} CPUs"


def whole_cpus(quota: float) -> int:
    """The threads a quota keeps busy without being throttled: its whole CPUs, at least one."""
    return max(1, math.floor(quota + 1e-9))


def _usable(machine: int, affinity: int | None, quota: cgroups.Limit | None) -> tuple[int, str]:
    """The CPUs the process may keep busy, and a phrase saying so and why: "2 CPUs (its
    affinity mask; the machine has 8)", "1 CPU (a CPU quota of 1.5 CPUs in FILE, whole CPUs
    only; its affinity mask has 2)"."""
    if affinity is None:
        cpus, why = machine, "the machine's"
    else:
        cpus, why = (
            affinity,
            "its affinity mask" + (f"; the machine has {machine}" if affinity < machine else ""),
        )
    if quota is not None and whole_cpus(quota.value) < cpus:
        where = "the machine has" if affinity is None else "its affinity mask has"
        why = f"a CPU quota of {_cpus(quota.value)} in {quota.source}, whole CPUs only; {where} {cpus}"
        cpus = whole_cpus(quota.value)
    return cpus, f"{_cpus(cpus)} ({why})"


def budget(cgroup_file: str = cgroups.PROC_CGROUP, mountinfo: str = cgroups.PROC_MOUNTINFO) -> ThreadBudget:
    """The threads to run (the rule in this module's docstring), with the reason and the facts
    read. Raises :class:`~w2v_widgets.errors.ConfigError` for a variable that is not a positive
    whole number. ``cgroup_file`` and ``mountinfo`` replace ``/proc/self``'s (for tests)."""
    machine, affinity = os.cpu_count() or 1, _affinity()
    quota = cgroups.cpu_quota(cgroup_file, mountinfo)
    env = os.environ.get(THREADS_VARIABLE, "").strip()
    omp_text = os.environ.get("OMP_NUM_THREADS", "").strip()
    omp = _positive("OMP_NUM_THREADS", omp_text.split(",")[0]) if omp_text else None
    facts = {
        "machine_cpus": machine,
        "affinity_cpus": affinity,
        "quota_cpus": quota.value if quota else None,
        "quota_file": quota.source if quota else None,
        "omp_num_threads": omp,
    }
    if env:
        n = _positive(THREADS_VARIABLE, env)
        return ThreadBudget(n, f"{THREADS_VARIABLE}={n} (it wins over everything else)", True, **facts)
    cpus, why = _usable(machine, affinity, quota)
    if omp is not None and omp <= cpus:
        return ThreadBudget(omp, f"OMP_NUM_THREADS={omp} (the process may use {why})", False, **facts)
    if omp is not None:
        reason = f"the process may use {why}; OMP_NUM_THREADS={omp} is more, so it is capped"
        return ThreadBudget(cpus, reason, False, **facts)
    return ThreadBudget(cpus, f"the process may use {why}", False, **facts)


def workers(spare: int = 0) -> int:
    """Threads for one parallel job: the budget less ``spare`` left to the notebook (at least
    one), or exactly ``W2V_WIDGETS_THREADS`` when it is set."""
    plan = budget()
    return plan.threads if plan.explicit else max(1, plan.threads - spare)


def limit_torch_threads() -> int:
    """Lower torch's intra-op thread pool to the budget (it starts at the machine's cores);
    never raises it, so a smaller ``torch.set_num_threads`` of the user's stays. Returns
    torch's thread count after."""
    import torch

    n = budget().threads
    if torch.get_num_threads() > n:
        torch.set_num_threads(n)
    return torch.get_num_threads()
