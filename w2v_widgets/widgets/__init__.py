"""The widget layer (ipywidgets, anywidget, altair) on top of the engine, one module per widget.

:mod:`.live` follows a model while it trains (dashboard, loss chart, neighbour table, status,
settings); :mod:`.explorer` maps the vocabulary; :mod:`.teaching` makes single steps visible.
``w2v_widgets`` imports each widget lazily, so importing this package imports nothing heavy.
"""
