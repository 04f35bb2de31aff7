"""A real control group with a CPU quota, for tests that run a child process inside it.

:func:`cpu_limited_group` makes a group (under the cgroup v2 hierarchy where it governs the
``cpu`` controller, else under cgroup v1's ``cpu`` hierarchy), writes the quota, and yields a
``preexec_fn`` that moves a child process into the group before it runs; the group is removed
afterwards. Where no group can be made (not root, not Linux, no writable ``cpu`` hierarchy) it
yields None and :data:`why_not` says why, so a test can skip with the reason.

Example::

    with cpu_limited_group(1.0) as enter:
        if enter is None:
            pytest.skip(cgroup.why_not)
        subprocess.run([...], preexec_fn=enter)
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from w2v_widgets import cgroups

PERIOD_US = 100_000
why_not = ""


def _hierarchy() -> tuple[int, Path] | None:
    """(version, mount point) of a hierarchy governing ``cpu`` where a group can be made."""
    global why_not
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        why_not = "making a cgroup needs root"
        return None
    for kind, _root, point, opts in cgroups.mounts(cgroups.PROC_MOUNTINFO):
        base = Path(point)
        if kind == "cgroup2" and "cpu" in _words(base / "cgroup.subtree_control"):
            return 2, base
        if kind == "cgroup" and "cpu" in opts and (base / "cpu.cfs_quota_us").exists():
            return 1, base
    why_not = (
        "no writable cgroup hierarchy governs the cpu controller here (cgroup v2 needs 'cpu' in the root's "
        "cgroup.subtree_control; cgroup v1 a mounted cpu hierarchy)"
    )
    return None


def _words(path: Path) -> list[str]:
    try:
        return path.read_text().split()
    except OSError:
        return []


@contextlib.contextmanager
def cpu_limited_group(cpus: float) -> Iterator[Callable[[], None] | None]:
    found = _hierarchy()
    if found is None:
        yield None
        return
    version, base = found
    group = base / f"w2v-widgets-test-{os.getpid()}-{time.monotonic_ns()}"
    global why_not
    try:
        group.mkdir()
    except OSError as exc:
        why_not = f"cannot make a cgroup in {base}: {exc}"
        yield None
        return
    try:
        quota = int(cpus * PERIOD_US)
        if version == 2:
            (group / "cpu.max").write_text(f"{quota} {PERIOD_US}")
        else:
            (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (group / "cpu.cfs_quota_us").write_text(str(quota))
        procs = str(group / "cgroup.procs")

        def enter() -> None:  # runs in the child, between fork and exec
            with open(procs, "w") as f:
                f.write(str(os.getpid()))

        yield enter
    finally:
        for _ in range(50):  # the children have exited; the kernel frees the group soon after
            try:
                group.rmdir()
                break
            except OSError:
                time.sleep(0.1)
