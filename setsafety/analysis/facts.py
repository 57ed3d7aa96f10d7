"""The record as the rules see it (``setsafety.rules.facts``; kept here for older imports)."""

from __future__ import annotations

from setsafety.rules.facts import PERFORMER_ROLES, SUPERVISOR_ROLES, WEAPONS_ROLES, Facts, Scope

__all__ = ["PERFORMER_ROLES", "SUPERVISOR_ROLES", "WEAPONS_ROLES", "Facts", "Scope"]
