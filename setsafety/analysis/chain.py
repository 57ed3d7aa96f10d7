"""Chains of custody (``setsafety.model.custody``; kept here for older imports).

Where a chain reaches the use in the event, and the breaks before it, are ``Facts.use_position``
and ``Facts.breaks_between`` in ``setsafety.rules.facts``.
"""

from __future__ import annotations

from setsafety.model.custody import RELEASES, TAKES, UNKNOWN, Link, chains, links

__all__ = ["RELEASES", "TAKES", "UNKNOWN", "Link", "chains", "links"]
