"""The course notebooks, shipped in the wheel (``w2v_widgets/course/``, from the repository's
``notebooks/``): ``w2v-widgets course DIR`` writes them for a teacher to hand out or publish."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from .atomic import write_bytes_atomic
from .errors import ConfigError


def course_folder() -> Traversable:
    """The notebooks' folder: the wheel's ``w2v_widgets/course``, or a checkout's ``notebooks/``."""
    shipped = files("w2v_widgets") / "course"
    if shipped.is_dir():
        return shipped
    checkout = Path(__file__).resolve().parents[1] / "notebooks"
    if checkout.is_dir():
        return checkout
    raise ConfigError("this installation has no course notebooks (w2v_widgets/course is missing)")


def course_notebooks() -> list[Traversable]:
    """The course's notebooks, in order (their names start with their number)."""
    return sorted((f for f in course_folder().iterdir() if f.name.endswith(".ipynb")), key=lambda f: f.name)


def write_course(folder: str | Path, overwrite: bool = False) -> list[Path]:
    """Write the course notebooks into ``folder`` (made if missing); returns their paths.
    Existing notebooks of the same names are kept, with an error, unless ``overwrite``."""
    folder = Path(folder)
    notebooks = course_notebooks()
    clashes = [nb.name for nb in notebooks if (folder / nb.name).exists()]
    if clashes and not overwrite:
        raise ConfigError(
            f"{folder} already holds {', '.join(clashes)}; choose an empty folder or pass --force "
            "to overwrite"
        )
    folder.mkdir(parents=True, exist_ok=True)
    return [write_bytes_atomic(folder / nb.name, nb.read_bytes()) for nb in notebooks]
