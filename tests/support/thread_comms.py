"""A test-only switch: the kernel drops comm messages sent from threads that user code started.

Some front-ends lose such messages (Colab: googlecolab/colabtools#3373; ipykernel 7.0.0 for a
while: ipykernel#1450). Run :data:`SETUP` in a kernel (a notebook's first cell) and, when the
environment variable :data:`SWITCH` is ``"1"`` there, every comm message (state updates, custom
messages) published from a thread other than those that handle the front-end's requests is
dropped before it reaches the front-end, as such a front-end would; :func:`dropped` counts them.
The request threads are the main one and ipykernel's subshells (ipykernel >= 7 runs JupyterLab's
widget messages, clicks included, in a subshell thread). Without the variable nothing changes.
"""

from __future__ import annotations

import os
import threading
from collections import Counter

SWITCH = "W2V_WIDGETS_TEST_DROP_THREAD_COMMS"
SETUP = "from tests.support.thread_comms import install_from_env; install_from_env()\n"

_dropped: Counter[str] = Counter()  # thread name -> comm messages dropped


def dropped() -> int:
    """How many comm messages were dropped so far in this kernel."""
    return sum(_dropped.values())


def dropped_by_thread() -> dict[str, int]:
    """The dropped messages counted by the name of the thread that sent them."""
    return dict(_dropped)


def install() -> None:
    """Patch ipykernel's comm to drop what a non-main thread publishes (idempotent)."""
    from ipykernel.comm.comm import BaseComm

    try:
        from ipykernel.subshell import SubshellThread
    except ImportError:  # ipykernel < 7: no subshells
        SubshellThread = ()

    if getattr(BaseComm.publish_msg, "drops_thread_messages", False):
        return
    publish = BaseComm.publish_msg

    def publish_from_main_only(self, msg_type, *args, **kwargs):
        thread = threading.current_thread()
        if thread is not threading.main_thread() and not isinstance(thread, SubshellThread):
            _dropped[thread.name] += 1
            return None
        return publish(self, msg_type, *args, **kwargs)

    publish_from_main_only.drops_thread_messages = True  # type: ignore[attr-defined]
    BaseComm.publish_msg = publish_from_main_only


def install_from_env() -> bool:
    """:func:`install` when ``$W2V_WIDGETS_TEST_DROP_THREAD_COMMS`` is ``"1"``; whether it did."""
    if os.environ.get(SWITCH) == "1":
        install()
        return True
    return False
