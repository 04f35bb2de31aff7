"""Threads from what the process may use: cgroup quotas read from fake trees, the rule's order,
and real limits (taskset, a real cgroup) in child processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import cgroup
from tests.support.kernel import kernel_env
from w2v_widgets import cgroups, threads
from w2v_widgets.errors import ConfigError

MiB = 2**20


class FakeTree:
    """A fake ``/proc/self/cgroup``, ``/proc/self/mountinfo`` and cgroup file systems in a tmp dir."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.memberships: list[str] = []
        self.mountinfo: list[str] = []

    def mount(self, kind: str, name: str, options: str = "rw", mount_root: str = "/") -> Path:
        point = self.root / name
        point.mkdir(parents=True, exist_ok=True)
        n = len(self.mountinfo) + 30
        escaped = str(point).replace(" ", "\\040")
        self.mountinfo.append(f"{n} 23 0:{n} {mount_root} {escaped} rw,relatime - {kind} {kind} {options}")
        return point

    def write(self, path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def files(self) -> tuple[str, str]:
        (self.root / "cgroup").write_text("\n".join(self.memberships) + "\n")
        (self.root / "mountinfo").write_text("\n".join(self.mountinfo) + "\n")
        return str(self.root / "cgroup"), str(self.root / "mountinfo")


@pytest.fixture
def tree(tmp_path):
    return FakeTree(tmp_path / "with space")


@pytest.fixture
def clean_env(monkeypatch):
    monkeypatch.delenv("W2V_WIDGETS_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)


def v2_student(
    tree: FakeTree, student: str, parent: str = "max 100000", controllers: str = "cpu memory"
) -> Path:
    """A v2 tree: ``/sys/fs/cgroup/hub.slice/student`` with ``cpu.max`` at both levels."""
    point = tree.mount("cgroup2", "unified")
    tree.write(point / "cgroup.controllers", controllers)
    tree.write(point / "hub.slice" / "cpu.max", parent)
    tree.write(point / "hub.slice" / "student" / "cpu.max", student)
    tree.memberships.append("0::/hub.slice/student")
    return point


def test_v2_quota_is_read_from_the_process_group(tree):
    v2_student(tree, "150000 100000")
    limit = cgroups.cpu_quota(*tree.files())
    assert limit.value == 1.5
    assert limit.source.endswith("hub.slice/student/cpu.max")


def test_v2_the_smallest_limit_on_the_way_up_wins(tree):
    v2_student(tree, "max 100000", parent="50000 100000")
    limit = cgroups.cpu_quota(*tree.files())
    assert limit.value == 0.5 and limit.source.endswith("hub.slice/cpu.max")


def test_v2_no_limit_reads_none(tree):
    v2_student(tree, "max 100000")
    assert cgroups.cpu_quota(*tree.files()) is None


def test_v2_without_the_cpu_controller_is_not_read(tree):
    """A hybrid machine mounts v2 with only some controllers: its cpu.max files mean nothing."""
    v2_student(tree, "100000 100000", controllers="hugetlb")
    assert cgroups.cpu_quota(*tree.files()) is None


def test_v1_quota_and_period(tree):
    point = tree.mount("cgroup", "cpu,cpuacct", "rw,cpu,cpuacct")
    tree.write(point / "jupyter" / "cpu.cfs_quota_us", "250000")
    tree.write(point / "jupyter" / "cpu.cfs_period_us", "100000")
    tree.write(point / "cpu.cfs_quota_us", "-1")
    tree.write(point / "cpu.cfs_period_us", "100000")
    tree.memberships += ["4:memory:/", "3:cpu,cpuacct:/jupyter", "0::/"]
    limit = cgroups.cpu_quota(*tree.files())
    assert limit.value == 2.5 and limit.source.endswith("jupyter/cpu.cfs_quota_us")


def test_v1_in_a_container_reads_the_mounted_group(tree):
    """Docker without a cgroup namespace: /proc/self/cgroup names the host's path, and the
    mount's root is that same group, so its files are at the mount point."""
    point = tree.mount("cgroup", "cpu", "rw,cpu,cpuacct", mount_root="/docker/abc")
    tree.write(point / "cpu.cfs_quota_us", "100000")
    tree.write(point / "cpu.cfs_period_us", "100000")
    tree.memberships.append("2:cpu,cpuacct:/docker/abc")
    assert cgroups.cpu_quota(*tree.files()).value == 1.0


def test_v1_no_quota_reads_none(tree):
    point = tree.mount("cgroup", "cpu", "rw,cpu")
    tree.write(point / "cpu.cfs_quota_us", "-1")
    tree.write(point / "cpu.cfs_period_us", "100000")
    tree.memberships.append("2:cpu:/")
    assert cgroups.cpu_quota(*tree.files()) is None


def test_no_cgroup_files_read_none(tmp_path):
    assert cgroups.cpu_quota(str(tmp_path / "none"), str(tmp_path / "none")) is None
    assert cgroups.memory_limit(str(tmp_path / "none"), str(tmp_path / "none")) is None


def test_memory_limits_v2_and_v1(tree):
    point = v2_student(tree, "max 100000")
    tree.write(point / "hub.slice" / "student" / "memory.max", str(512 * MiB))
    tree.write(point / "hub.slice" / "student" / "memory.current", str(100 * MiB))
    files = tree.files()
    assert cgroups.memory_limit(*files).value == 512 * MiB
    assert cgroups.memory_usage(*files) == 100 * MiB
    v1 = FakeTree(tree.root.parent / "v1")
    point = v1.mount("cgroup", "memory", "rw,memory")
    v1.write(point / "memory.limit_in_bytes", "9223372036854771712")  # v1's "no limit"
    v1.write(point / "student" / "memory.limit_in_bytes", str(300 * MiB))
    v1.memberships.append("5:memory:/student")
    assert cgroups.memory_limit(*v1.files()).value == 300 * MiB
    v1.write(point / "student" / "memory.limit_in_bytes", "9223372036854771712")
    assert cgroups.memory_limit(*v1.files()) is None


def test_a_quota_below_the_cpus_sets_the_budget(tree, clean_env):
    v2_student(tree, "150000 100000")
    plan = threads.budget(*tree.files())
    assert plan.threads == 1  # the whole CPUs of 1.5: a second thread would be throttled
    assert "may use 1 CPU (a CPU quota of 1.5 CPUs in" in plan.reason and plan.quota_file.endswith("cpu.max")
    assert plan.quota_cpus == 1.5 and not plan.explicit


def test_a_quota_above_the_cpus_changes_nothing(tree, clean_env):
    v2_student(tree, f"{(os.cpu_count() or 1) * 4 * 100000} 100000")
    plan = threads.budget(*tree.files())
    assert plan.threads == len(os.sched_getaffinity(0))
    assert "quota" not in plan.reason


def test_omp_num_threads_is_capped_by_the_quota(tree, clean_env, monkeypatch):
    v2_student(tree, "100000 100000")
    monkeypatch.setenv("OMP_NUM_THREADS", "8")
    plan = threads.budget(*tree.files())
    assert plan.threads == 1 and "OMP_NUM_THREADS=8 is more, so it is capped" in plan.reason
    assert plan.omp_num_threads == 8


def test_omp_num_threads_below_the_cpus_is_used(tree, clean_env, monkeypatch):
    v2_student(tree, "400000 100000")
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert threads.budget(*tree.files()).threads == 1
    assert threads.budget(*tree.files()).reason.startswith("OMP_NUM_THREADS=1")


def test_w2v_widgets_threads_wins_over_everything(tree, clean_env, monkeypatch):
    v2_student(tree, "100000 100000")
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.setenv("W2V_WIDGETS_THREADS", "3")
    plan = threads.budget(*tree.files())
    assert (plan.threads, plan.explicit) == (3, True)
    assert plan.reason.startswith("W2V_WIDGETS_THREADS=3")


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_a_bad_thread_count_says_what_to_set(clean_env, monkeypatch, value):
    monkeypatch.setenv("W2V_WIDGETS_THREADS", value)
    with pytest.raises(ConfigError, match=r"W2V_WIDGETS_THREADS=.* is not a positive whole number"):
        threads.budget()


def test_workers_leave_one_to_the_notebook_unless_told_exactly(clean_env, monkeypatch):
    from w2v_widgets.training import kernels

    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    if len(os.sched_getaffinity(0)) >= 2:
        assert (threads.workers(), threads.workers(spare=1)) == (2, 1)
        assert (kernels.threads(), kernels.threads(background=True)) == (2, 1)
    monkeypatch.setenv("W2V_WIDGETS_THREADS", "2")
    assert (threads.workers(), threads.workers(spare=1)) == (2, 2)
    assert kernels.threads(background=True) == 2


PROBE = """\
import json, torch
from w2v_widgets import threads
from w2v_widgets.training import kernels
from w2v_widgets.vectors import projections
before = torch.get_num_threads()
print(json.dumps({"budget": threads.budget().as_dict(), "trainer": kernels.threads(),
    "background": kernels.threads(background=True), "tsne": projections._tsne_jobs(),
    "torch_before": before, "torch_after": threads.limit_torch_threads()}))
"""


def probe(prefix: list[str] = (), preexec_fn=None, **env: str) -> dict:
    variables = kernel_env(env)
    for name in ("W2V_WIDGETS_THREADS", "OMP_NUM_THREADS"):
        if name not in env:
            variables.pop(name, None)
    out = subprocess.run(
        [*prefix, sys.executable, "-c", PROBE],
        env=variables,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=preexec_fn,
        check=True,
    )
    return json.loads(out.stdout.splitlines()[-1])


needs_two_cpus = pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2, reason="needs 2 usable CPUs"
)


@needs_two_cpus
@pytest.mark.skipif(shutil.which("taskset") is None, reason="needs taskset (util-linux)")
def test_taskset_one_cpu_gives_one_thread_everywhere():
    pinned = probe(["taskset", "-c", "0"])
    assert pinned["budget"]["affinity_cpus"] == 1
    assert (pinned["trainer"], pinned["background"], pinned["tsne"], pinned["torch_after"]) == (1, 1, 1, 1)
    assert "may use 1 CPU (its affinity mask; the machine has" in pinned["budget"]["reason"]


@needs_two_cpus
def test_a_real_cgroup_quota_gives_one_thread_and_lowers_torch():
    """A real group with a quota of one CPU (the way JupyterHub's spawners set cpu_limit): the
    child's trainer, t-SNE and torch run one thread."""
    with cgroup.cpu_limited_group(1.0) as enter:
        if enter is None:
            pytest.skip(cgroup.why_not)
        limited = probe(preexec_fn=enter)
    assert limited["budget"]["quota_cpus"] == 1.0
    assert "w2v-widgets-test-" in limited["budget"]["quota_file"]
    assert limited["torch_before"] >= 2  # torch alone does not see the quota
    chosen = (limited["trainer"], limited["background"], limited["tsne"], limited["torch_after"])
    assert chosen == (1, 1, 1, 1)
