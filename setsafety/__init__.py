"""setsafety: film and TV set safety incidents as data.

Load a case, validate a record, work out which safeguard layers held or failed, compare cases, and take
the whole library into pandas::

    import setsafety

    ids = setsafety.list_cases()                        # the bundled case ids
    case = setsafety.load_case(ids[0])                  # or a record file's path
    problems = setsafety.validate("my-incident.json")   # [] when valid
    result = setsafety.analyze("my-incident.json")      # under the one protocol that fits
    results = setsafety.analyze_all(case)               # under every protocol that fits
    layers = setsafety.load_frame("layer")              # pandas: pip install "setsafety[pandas]"

The README's *Python API* section lists every function, with the data dictionary of the frames.
``import setsafety`` stays light: the analysers, Jinja2, jsonschema and pandas are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from setsafety._api import (
    CaseLike,
    ProtocolLike,
    analyze,
    analyze_all,
    analyze_library,
    export_rows,
    layer_stats,
    render_lessons,
    similar,
)
from setsafety.cases import list_cases, load_case
from setsafety.errors import (
    AmbiguousProtocolError,
    CaseNotFoundError,
    InvalidRecordError,
    MissingExtraError,
    ProtocolNotFoundError,
    SetsafetyError,
)
from setsafety.frames import load_frame
from setsafety.model import Protocol, Record
from setsafety.problems import Problem
from setsafety.protocols import list_protocols, load_protocol
from setsafety.rules.findings import NOT_HELD, Evidence, Reason, State, is_not_held
from setsafety.validation import load_record, validate

if TYPE_CHECKING:
    from setsafety.analysis import STATE_ORDER, Analysis, LayerResult, LayerStat, Similarity

    __version__: str

__all__ = [
    # the case library and records
    "list_cases", "load_case", "load_record", "validate", "list_protocols", "load_protocol",
    # analysis
    "analyze", "analyze_all", "analyze_library", "layer_stats", "similar", "render_lessons",
    # data for researchers
    "load_frame", "export_rows", "NOT_HELD", "STATE_ORDER", "is_not_held",
    # types
    "Record", "Protocol", "Analysis", "LayerResult", "Reason", "Evidence", "State", "LayerStat", "Similarity",
    "Problem", "CaseLike", "ProtocolLike",
    # errors
    "SetsafetyError", "InvalidRecordError", "CaseNotFoundError", "ProtocolNotFoundError", "AmbiguousProtocolError",
    "MissingExtraError",
    "__version__",
]

#: Names resolved on first use, from the module that defines them (it imports the analysers).
_LAZY = {
    "Analysis": "setsafety.analysis", "LayerResult": "setsafety.analysis", "LayerStat": "setsafety.analysis",
    "Similarity": "setsafety.analysis", "STATE_ORDER": "setsafety.analysis",
}


def __getattr__(name: str) -> Any:
    """``__version__`` (read from the installed metadata: importlib.metadata is slow to import) and the
    analysis classes, on first use."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("setsafety")
        except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
            return "0+unknown"
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'setsafety' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names only (``__all__``), not the modules and helpers the package imports."""
    return sorted(__all__)
