"""``python -m w2v_widgets``: the ``w2v-widgets`` command (also the entry point for ``torchrun -m``)."""

from .cli_entry import main

raise SystemExit(main())
