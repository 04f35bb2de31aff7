"""The limits Linux control groups put on this process: a CPU quota and a memory limit.

JupyterHub's spawners (systemd, Docker, Kubernetes) enforce a student's ``cpu_limit`` and
``mem_limit`` with a cgroup, which the process cannot see in ``os.cpu_count()`` or
``/proc/meminfo``. Both cgroup versions are read: v2 (``cpu.max``, ``memory.max``) and v1
(``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``, ``memory.limit_in_bytes``). The process's own
group comes from ``/proc/self/cgroup``, the hierarchies' mount points from
``/proc/self/mountinfo``; a limit set on any group from the process's up to the mount's root
applies, so the smallest wins. Where none is found (not Linux, no cgroup, no limit) the
functions return None. Paths are parameters so that tests can point them at a fake tree.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PROC_CGROUP = "/proc/self/cgroup"
PROC_MOUNTINFO = "/proc/self/mountinfo"
# cgroup v1 writes "no limit" as the largest page-aligned 64-bit number
_UNLIMITED_BYTES = 2**62

__all__ = ["Limit", "cpu_quota", "group_dirs", "memory_limit", "memory_usage", "mounts"]


@dataclass(frozen=True)
class Limit:
    """A cgroup limit: its value (CPUs, or bytes) and the file that set it."""

    value: float
    source: str


def mounts(mountinfo: str) -> list[tuple[str, str, str, set[str]]]:
    """(fs type, mount root, mount point, super options) of each cgroup hierarchy mounted."""
    found = []
    try:
        lines = Path(mountinfo).read_text().splitlines()
    except OSError:
        return []
    for line in lines:
        left, sep, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if not sep or len(fields) < 5 or len(tail) < 3 or tail[0] not in ("cgroup", "cgroup2"):
            continue
        root, point = (_unescape(f) for f in fields[3:5])
        found.append((tail[0], root, point, set(tail[2].split(","))))
    return found


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash in paths as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def _memberships(cgroup_file: str) -> list[tuple[str, set[str], str]]:
    """(hierarchy id, controllers, group path) of each line of ``/proc/self/cgroup``."""
    try:
        lines = Path(cgroup_file).read_text().splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) == 3:
            out.append((parts[0], set(filter(None, parts[1].split(","))), parts[2]))
    return out


def group_dirs(
    controller: str, cgroup_file: str = PROC_CGROUP, mountinfo: str = PROC_MOUNTINFO
) -> Iterator[tuple[int, Path]]:
    """The directories of this process's groups that ``controller`` governs, innermost first,
    up to the mount's root: ``(version, directory)`` for v1 and v2 hierarchies alike."""
    mounted = mounts(mountinfo)
    for hierarchy, controllers, path in _memberships(cgroup_file):
        if hierarchy == "0" and not controllers:
            candidates = [(2, root, point) for kind, root, point, _ in mounted if kind == "cgroup2"]
        elif controller in controllers:
            candidates = [
                (1, root, point)
                for kind, root, point, opts in mounted
                if kind == "cgroup" and controller in opts
            ]
        else:
            continue
        for version, root, point in candidates:
            if version == 2 and not _v2_has(Path(point), controller):
                continue
            relative = os.path.relpath(path, root) if _within(path, root) else "."
            directory = Path(point) / relative if relative != "." else Path(point)
            while True:
                yield version, directory
                if directory == Path(point) or directory.parent == directory:
                    break
                directory = directory.parent


def _within(path: str, root: str) -> bool:
    return root == "/" or path == root or path.startswith(root.rstrip("/") + "/")


def _v2_has(mount_point: Path, controller: str) -> bool:
    """A v2 hierarchy governs ``controller`` only where its root lists it (a hybrid machine
    mounts v2 beside v1 with the controllers left to v1)."""
    try:
        return controller in (mount_point / "cgroup.controllers").read_text().split()
    except OSError:
        return False


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def _cpu_limit_at(version: int, directory: Path) -> Limit | None:
    if version == 2:
        text = _read(directory / "cpu.max")
        if not text:
            return None
        quota, _, period = text.partition(" ")
        if quota == "max":
            return None
        return Limit(int(quota) / int(period or 100000), str(directory / "cpu.max"))
    quota_text = _read(directory / "cpu.cfs_quota_us")
    period_text = _read(directory / "cpu.cfs_period_us")
    if quota_text is None or period_text is None or int(quota_text) <= 0:
        return None
    return Limit(int(quota_text) / int(period_text), str(directory / "cpu.cfs_quota_us"))


def _memory_limit_at(version: int, directory: Path) -> Limit | None:
    name = "memory.max" if version == 2 else "memory.limit_in_bytes"
    text = _read(directory / name)
    if not text or text == "max" or int(text) >= _UNLIMITED_BYTES:
        return None
    return Limit(float(int(text)), str(directory / name))


def _smallest(limits: Iterator[Limit | None]) -> Limit | None:
    best = None
    for limit in limits:
        if limit is not None and (best is None or limit.value < best.value):
            best = limit
    return best


def cpu_quota(cgroup_file: str = PROC_CGROUP, mountinfo: str = PROC_MOUNTINFO) -> Limit | None:
    """The CPU time this process's groups may use, in CPUs (``1.5`` is 150 ms each 100 ms), or
    None when no group limits it."""
    dirs = group_dirs("cpu", cgroup_file, mountinfo)
    return _smallest(_cpu_limit_at(version, d) for version, d in dirs)


def memory_limit(cgroup_file: str = PROC_CGROUP, mountinfo: str = PROC_MOUNTINFO) -> Limit | None:
    """The memory this process's groups may use, in bytes, or None when no group limits it."""
    dirs = group_dirs("memory", cgroup_file, mountinfo)
    return _smallest(_memory_limit_at(version, d) for version, d in dirs)


def memory_usage(cgroup_file: str = PROC_CGROUP, mountinfo: str = PROC_MOUNTINFO) -> int | None:
    """Bytes the process's innermost memory group uses now (all its processes), or None."""
    for version, directory in group_dirs("memory", cgroup_file, mountinfo):
        text = _read(directory / ("memory.current" if version == 2 else "memory.usage_in_bytes"))
        if text and text.isdigit():
            return int(text)
    return None
