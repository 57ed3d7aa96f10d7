"""Warning analysis: what came before the event, how long before, and what was done."""

from __future__ import annotations

from datetime import date

from setsafety.analysis.facts import Facts
from setsafety.analysis.results import WarningReport
from setsafety.model.time import date_range


def warning_reports(facts: Facts) -> tuple[WarningReport, ...]:
    """One report per warning before the event, in record order."""
    reports = []
    for i, warning in enumerate(facts.record.warnings or ()):
        if not facts.before_event(warning.when):
            continue
        days = None
        if warning.when is not None and facts.event_day is not None:
            span = date_range(warning.when.date)
            if span is not None and span[0] == span[1]:
                days = (date.fromisoformat(facts.event_day) - date.fromisoformat(span[0])).days
        reports.append(WarningReport(
            id=warning.id, pointer=f"/warnings/{i}", kind=warning.kind,
            date=warning.when.date if warning.when else None, days_before=days,
            raised_by=tuple(warning.raised_by or ()),
            response=warning.response.level if warning.response else "unknown",
            sources=warning.sources,
        ))
    return tuple(reports)
