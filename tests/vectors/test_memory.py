"""release_free_memory: freed heap memory goes back to the system (glibc's malloc_trim)."""

from __future__ import annotations

import platform
import sys
import threading

import pytest

from w2v_widgets.vectors import memory

from .test_prefault import resident_bytes

glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"


@pytest.mark.skipif(not glibc, reason="malloc_trim is glibc's")
def test_memory_a_thread_freed_goes_back_to_the_system():
    kept = []

    def allocate_then_free() -> None:
        blocks = [bytearray(64 * 1024) for _ in range(3200)]  # 200 MB in blocks malloc keeps in its arena
        kept.append(bytearray(64 * 1024))  # pins the top of the arena: freeing below it trims nothing
        del blocks

    worker = threading.Thread(target=allocate_then_free)
    worker.start()
    worker.join()
    before = resident_bytes()
    assert memory.release_free_memory()
    assert before - resident_bytes() > 100 * 2**20


def test_elsewhere_it_does_nothing(monkeypatch):
    monkeypatch.setattr(memory, "_MALLOC_TRIM", None)
    assert memory.release_free_memory() is False
