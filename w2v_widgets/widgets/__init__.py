"""Jupyter widgets on top of the engine, one module per widget.

The live training views: :mod:`.dashboard` (``TrainingDashboard``), :mod:`.loss_chart`
(``LossChart``), :mod:`.neighbor_table` (``NeighborTable``), :mod:`.status`,
:mod:`.settings`; :mod:`.live` holds the throttle, the controls' state machine and their
shared base class; :mod:`.console` is the plain-text fallback. ``w2v_widgets`` imports each
widget lazily from its module, so importing this package imports nothing heavy.
"""
