"""Callbacks: how anything outside the trainer follows and steers training.

The protocol and its events are in :mod:`.base`; each built-in callback has its own module.
"""

from __future__ import annotations

from .base import EVENTS, Callback, CallbackList
from .early_stopping import EarlyStopping
from .probes import ProbeNeighbours
from .progress_bar import ProgressBar
from .recorder import Recorder
from .save_checkpoint import SaveCheckpoint

__all__ = [
    "EVENTS",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "ProbeNeighbours",
    "ProgressBar",
    "Recorder",
    "SaveCheckpoint",
]
