"""Custody analysis: each item's chain, and what is wrong with it."""

from __future__ import annotations

from datetime import datetime

from setsafety.analysis.chain import RELEASES, UNKNOWN, Link, breaks_between, chain, use_position
from setsafety.analysis.facts import Facts
from setsafety.analysis.results import CustodyIssue, CustodyReport, CustodyStep
from setsafety.model import record as m


def custody_reports(facts: Facts) -> tuple[CustodyReport, ...]:
    """A report for every item that has custody events."""
    items = list(dict.fromkeys(event.item for event in facts.record.custody or ()))
    return tuple(_report(facts, item) for item in items)


def _when(when: m.When | None) -> str | None:
    if when is None or when.date is None:
        return None
    return when.date + (f"T{when.time}" if when.time else "")


def _report(facts: Facts, item: str) -> CustodyReport:
    links = chain(facts.record, item)
    end = use_position(facts, links)
    issues = []
    for position, link in enumerate(links):
        event = link.event
        sources = event.sources
        if (event.action == "handed-over" and event.to not in facts.weapons_staff
                and event.verification in (None, "none", "glance", "unknown")):
            issues.append(CustodyIssue(
                kind="unverified-handover", pointer=link.pointer, sources=sources,
                summary=f"{facts.name(event.by)} handed {item} to {facts.name(event.to)} "
                        f"with check '{event.verification or 'not recorded'}'",
            ))
        if event.action == "left-unattended" or (
            event.action in RELEASES and (place := facts.storage(event.storage)) is not None
            and place[1].attended is False
        ):
            following = links[position + 1] if position + 1 < len(links) else None
            until = f" until {_when(following.event.when) or 'the next event'}" if following else ""
            issues.append(CustodyIssue(
                kind="unattended", pointer=link.pointer, sources=sources,
                summary=f"{item} unattended from {_when(event.when) or 'an unrecorded time'}{until}",
            ))
        if event.action == "handed-over" and link.holder_before is None:
            issues.append(CustodyIssue(
                kind="gap", pointer=link.pointer, sources=sources,
                summary=f"{facts.name(event.by)} handed {item} over, but the chain does not show "
                        "them taking it after it was set down",
            ))
        holder = link.holder_after
        if (position < end and holder not in (None, UNKNOWN) and holder not in facts.weapons_staff
                and holder not in facts.performers and event.action != "seized"):
            issues.append(CustodyIssue(
                kind="unqualified-custodian", pointer=link.pointer, sources=sources,
                summary=f"{facts.name(holder)}, outside the weapons staff, held {item}",
            ))
    full = [i for i, link in enumerate(links[:end]) if link.event.verification == "full"]
    last_full = links[full[-1]] if full else None
    staff = [i for i, link in enumerate(links[:end]) if link.checked and link.event.by in facts.weapons_staff]
    breaks: list[str] = []
    hours = _hours(last_full, links[end] if end < len(links) else None, facts) if last_full else None
    if staff:
        last_staff = links[staff[-1]]
        breaks = [pointer for pointer, _, _ in breaks_between(facts, links, staff[-1], end)]
        if breaks:
            level = last_staff.event.verification or "recorded"
            issues.append(CustodyIssue(
                kind="no-inspection-after-break", pointer=last_staff.pointer, sources=last_staff.event.sources,
                summary=f"{item} last checked by the weapons staff (check: {level}) before {len(breaks)} "
                        "break(s), and not again before use",
            ))
    steps = tuple(
        CustodyStep(pointer=link.pointer, action=link.event.action, by=link.event.by,
                    holder_after=None if link.holder_after == UNKNOWN else link.holder_after,
                    when=_when(link.event.when), verification=link.event.verification)
        for link in links
    )
    return CustodyReport(
        item=item, chain=steps, issues=tuple(issues),
        last_full_inspection=last_full.pointer if last_full else None,
        breaks_since_inspection=tuple(breaks), hours_since_inspection=hours,
    )


def _hours(start: Link, use: Link | None, facts: Facts) -> float | None:
    """Hours between the last full check and the use, when both times are known."""
    end_when = use.event.when if use is not None else (facts.record.incident.when if facts.record.incident else None)
    begin = start.event.when
    if begin is None or end_when is None or not begin.time or not end_when.time:
        return None
    try:
        first = datetime.fromisoformat(f"{begin.date}T{begin.time}")
        last = datetime.fromisoformat(f"{end_when.date}T{end_when.time}")
    except ValueError:
        return None
    return round((last - first).total_seconds() / 3600, 2)
