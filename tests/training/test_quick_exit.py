"""The exit handler that spares the interpreter's full collections over torch's objects."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import atexit, gc, sys, weakref
import w2v_widgets as w2v
from w2v_widgets.training import quick_exit

class Cycle:  # garbage in a reference cycle at exit: CPython finalizes it, and so must we
    def __init__(self, name):
        self.me, self.name = self, name
    def __del__(self):
        sys.stdout.write(f"finalized {self.name}\\n")
        sys.stdout.flush()

class Owner:
    pass

def last_handler():  # registered before fit: runs after the package's handler (last in, first out)
    sys.stdout.write(f"frozen after the handler: {gc.get_freeze_count() > 0}\\n")
    sys.stdout.flush()

atexit.register(last_handler)
owner = Owner()
weakref.finalize(owner, sys.stdout.write, "weakref.finalize ran\\n")
corpus = w2v.Corpus.from_texts(["one two three four five six seven eight nine ten"] * 50)
w2v.Word2Vec(vector_size=8, epochs=1, min_count=1, negative=2, sample=0, seed=0).fit(corpus)
handlers = atexit._ncallbacks()
w2v.Word2Vec(vector_size=8, epochs=1, min_count=1, negative=2, sample=0, seed=1).fit(corpus)
print("handlers added by a second fit:", atexit._ncallbacks() - handlers)
print("frozen before exit:", gc.get_freeze_count() > 0)
Cycle("garbage before exit")
gc.disable()  # so that only the exit's collection can find it
"""


def test_exit_collects_then_freezes_and_every_handler_still_runs():
    """``fit`` registers the exit handler, once a process; at exit it collects the garbage there is
    (a cycle's ``__del__`` runs, as CPython's own exit would run it), then freezes the rest; exit
    handlers registered before it and ``weakref.finalize`` callbacks still run. Fails if the
    handler freezes without collecting (the cycle is never finalized), if it never runs, or if it
    freezes before exit."""
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert "frozen before exit: False" in lines, lines
    assert "finalized garbage before exit" in lines, lines
    assert "frozen after the handler: True" in lines, lines
    assert "weakref.finalize ran" in out.stdout, lines
    assert "handlers added by a second fit: 0" in lines, lines
    assert lines.index("finalized garbage before exit") < lines.index("frozen after the handler: True")
