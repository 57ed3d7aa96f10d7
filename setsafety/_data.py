"""Where the package's data lives: inside the wheel, or in the source checkout.

``pip install .`` puts ``schemas/`` and ``cases/`` inside the package (see
``[tool.hatch.build.targets.wheel.force-include]``); an editable install and a
plain checkout do not, so each lookup falls back to the top-level folder.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder ``name`` (``"schemas"`` or ``"cases"``) shipped with the package."""
    shipped = _PACKAGE / name
    checkout = _PACKAGE.parent / name
    if not shipped.is_dir() and checkout.is_dir() and (_PACKAGE.parent / "pyproject.toml").is_file():
        return checkout
    return shipped


def schemas_dir() -> Path:
    """The folder of the published JSON Schemas."""
    return data_dir("schemas")


def cases_dir() -> Path:
    """The folder of the bundled case records."""
    return data_dir("cases")


def protocols_dir() -> Path:
    """The folder of the bundled protocols."""
    return _PACKAGE / "protocols"
