"""The rules, from their registry in ``setsafety.rules`` (kept here for older imports)."""

from __future__ import annotations

from setsafety.rules import ALL, RULES, Rule

__all__ = ["ALL", "RULES", "Rule"]
