"""Live training views: the dashboard and its parts, which follow a model while it trains.

:mod:`.base` owns when to redraw (throttle, error guard, forced redraws at pause and end) and the
controls' state machine; each widget module only draws. :mod:`.console` is the plain-text
fallback outside a notebook front-end.
"""

from .base import ENDED_STATES, TRAINER_STATES, Controls, Follower, Throttle, environment, has_view

__all__ = ["ENDED_STATES", "TRAINER_STATES", "Controls", "Follower", "Throttle", "environment", "has_view"]
