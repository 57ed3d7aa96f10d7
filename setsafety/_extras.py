"""Optional dependencies (pandas, pyarrow), imported on first use, with an error that says how to install them."""

from __future__ import annotations

import importlib
from typing import Any

from setsafety.errors import MissingExtraError


def require(module: str, extra: str, purpose: str) -> Any:
    """Import an optional dependency, or raise ``MissingExtraError`` naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MissingExtraError(
            f"{purpose} needs {module.split('.')[0]}, which is not installed: "
            f'pip install "setsafety[{extra}]"'
        ) from error
