"""The derived states are pinned: every layer of every bundled protocol on every bundled case and
example record must keep the state recorded in ``fixtures/states.json``.

The snapshot was taken from main before the findings refactor (issue 11). A deliberate change of a
rule re-writes it (``python tests/fixtures/make_states.py``) in the same commit, with the reason.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

FIXTURES = Path(__file__).parent / "fixtures"


def _maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_states", FIXTURES / "make_states.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestStates:
    def test_states_unchanged(self) -> None:
        """Every (case, protocol, layer) has the state of the snapshot, and no layer or case is missing."""
        pinned = json.loads((FIXTURES / "states.json").read_text(encoding="utf-8"))
        derived = _maker().states()
        changed = [
            (case, protocol, layer, state, derived.get(case, {}).get(protocol, {}).get(layer))
            for case, protocols in pinned.items() for protocol, layers in protocols.items()
            for layer, state in layers.items()
            if derived.get(case, {}).get(protocol, {}).get(layer) != state
        ]
        assert changed == []
        assert derived == pinned
