"""The ``w2v-widgets`` command's entry point, and ``python -m w2v_widgets`` (also torchrun's ``-m``).

Before the command's imports (torch, pandas), a command that trains starts the kernel's compile
helper where this machine has no compiled kernel (:mod:`.training.kernels.compile_helper`), so a
machine's first ``w2v-widgets demo`` compiles it beside torch's import, as a notebook's first
``w2v.Word2Vec`` does; ``doctor`` and ``course`` start nothing. The command itself: :mod:`.cli`.
"""

from __future__ import annotations

import sys

TRAINING_COMMANDS = ("train", "demo")


def main(argv: list[str] | None = None) -> int:
    """Run the ``w2v-widgets`` command on ``argv`` (default: ``sys.argv[1:]``)."""
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in TRAINING_COMMANDS:
        from .training.kernels import compile_ahead

        compile_ahead()
    from .cli import main as run

    return run(argv)


if __name__ == "__main__":
    raise SystemExit(main())
