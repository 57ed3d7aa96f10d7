"""People by their role on the production, not by name (``setsafety.phrasing.Roles``).

A lesson speaks of "the armorer" and "the first assistant director", never of named people:
the role is what a reader on another set can act on, and naming people is for courts.
Organisations keep their names. The record's own text is left as its authors wrote it: the
analyzers hand over findings as data, and the phrasing names each party by role as it speaks.
"""

from __future__ import annotations

from setsafety.phrasing import Roles as People

__all__ = ["People"]
