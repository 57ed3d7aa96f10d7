"""``setsafety show``: a record as a readable overview in plain text."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from setsafety.model import record as m
from setsafety.phrasing import when_text

WIDTH = 100


def _wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(" ".join(text.split()), WIDTH, initial_indent=indent,
                         subsequent_indent=indent + "  ", break_on_hyphens=False) or [indent]


def _section(title: str, lines: Iterable[str]) -> list[str]:
    body = list(lines)
    return ["", title, "-" * len(title), *body] if body else []


def _cites(sources: tuple[str, ...]) -> str:
    return " [" + ", ".join(sources) + "]"


def _certainty(fact: object) -> str:
    certainty = getattr(fact, "certainty", None)
    return f" ({certainty})" if certainty and certainty not in ("established", "reported") else ""


def overview(record: m.Record) -> str:
    """Production, people and roles, timeline, outcome, aftermath and sources."""
    case = record.case
    names = {party.id: party.name or party.id for party in record.people or ()}

    def who(ids: Iterable[str] | str | None) -> str:
        if ids is None:
            return "?"
        if isinstance(ids, str):
            ids = [ids]
        return ", ".join(names.get(i, i) for i in ids) or "?"

    lines = [f"{case.title} ({record.id})",
             f"{case.event_kind}; {', '.join(case.hazards)}; {case.date}; record {case.status}"
             + ("; FICTIONAL" if case.fictional else "")]
    lines += ["", *textwrap.wrap(" ".join(case.summary.split()), WIDTH)]

    production = record.production
    if production is not None:
        facts = [production.kind]
        facts += [f"{production.budget_tier} budget"] if production.budget_tier else []
        facts += [production.union_status] if production.union_status else []
        place = production.location
        where = ", ".join(filter(None, [place.name, place.locality, place.region, place.country])) if place else ""
        body = [f"  {production.title} ({'; '.join(facts)})"]
        body += [f"  Location: {where}"] if where else []
        body += [f"  Shooting day: {production.shooting_day}"] if production.shooting_day else []
        body += [f"  Companies: {who(production.companies)}"] if production.companies else []
        lines += _section("Production", body)

    people = []
    for party in record.people or ():
        roles = [role.role + (f" ({role.title})" if role.title else "") for role in party.roles or ()]
        label = party.name or party.id
        detail = ", ".join(roles) if roles else (party.affiliation or party.kind)
        dual = "  [several roles]" if len(roles) > 1 else ""
        people.append(f"  {label}: {detail}{dual}")
    lines += _section("People and roles", people)

    items = [f"  weapon {w.id}: {w.kind}" + (f", {w.make or ''} {w.model or ''}".rstrip() if w.make or w.model else "")
             for w in record.weapons or ()]
    items += [f"  ammunition {a.id}: {a.kind}" + (f", {a.count} rounds" if a.count is not None else "")
              + (f" - {a.description}" if a.description else "") + _certainty(a)
              for a in record.ammunition or ()]
    lines += _section("Weapons and ammunition", items)

    custody = []
    for event in record.custody or ():
        action = event.action + (f" to {who(event.to)}" if event.to else "")
        check = f"; check: {event.verification}" if event.verification else ""
        said = f'; called "{event.announcement}"' if event.announcement else ""
        custody.append(f"  {when_text(event.when)}: {event.item} {action} by {who(event.by)}"
                       f"{check}{said}{_certainty(event)}")
    lines += _section("Chain of custody", custody)

    timeline = []
    for entry in record.timeline or ():
        timeline += _wrap(f"{when_text(entry.when)} [{entry.kind}] {entry.description}{_certainty(entry)}")
    lines += _section("Timeline", timeline)

    if record.incident is not None:
        incident = record.incident
        body = _wrap(f"{when_text(incident.when)}, {incident.activity}"
                     + (f" at {incident.location}" if incident.location else "") + f": {incident.description}")
        for position in incident.positions or ():
            distance = f", about {position.distance_m:g} m" if position.distance_m is not None else ""
            body.append(f"  {who(position.party)}: {position.relation}{distance}")
        lines += _section("The event", body)

    outcome = record.outcome
    if outcome is not None:
        body = [f"  {who(c.party)}: {c.severity}" + (f" - {c.description}" if c.description else "")
                for c in outcome.casualties or ()]
        body += [line for care in outcome.care or () for line in _wrap(f"care ({care.kind}): {care.description}")]
        if outcome.stoppage is not None:
            body += _wrap(f"production: {outcome.stoppage.description}")
        lines += _section("Outcome", body)

    aftermath = record.aftermath
    if aftermath is not None:
        body = []
        for inv in aftermath.investigations or ():
            body.append(f"  {who(inv.body)} ({inv.kind}), reported {when_text(inv.reported)}")
            for finding in inv.findings or ():
                layers = f" -> layers: {', '.join(finding.layers)}" if finding.layers else ""
                body += _wrap(f"- {finding.text}{layers}", "    ")
        for regulatory in aftermath.regulatory_actions or ():
            body.append(f"  Regulatory action by {who(regulatory.issuer)} against {who(regulatory.against)}")
            body += [f"    {when_text(step.when)}: {step.kind}"
                     + (f", {step.classification}" if step.classification else "")
                     + (f", {step.penalty.amount:,.0f} {step.penalty.currency}" if step.penalty else "")
                     for step in regulatory.steps]
        for case_ in aftermath.legal_cases or ():
            body.append(f"  {case_.kind.capitalize()} case: {who(case_.parties)}"
                        + (f" ({case_.charge})" if case_.charge else ""))
            for step in case_.steps:
                body += _wrap(f"{when_text(step.when)}: {step.kind}"
                              + (f" - {step.detail}" if step.detail else "") + _certainty(step), "    ")
        for change in aftermath.changes or ():
            body += _wrap(f"Change ({change.kind}): {change.title or change.description}"
                          + (f", {when_text(change.when)}" if change.when else ""))
        lines += _section("Aftermath", body)

    disputes = []
    for dispute in record.disputes or ():
        disputes += _wrap(f"{dispute.question} ({dispute.kind})")
        for side in dispute.positions:
            mark = "*" if side.id == dispute.followed else "-"
            disputes += _wrap(f"{mark} {side.claim}{_cites(side.sources)}", "    ")
    if disputes:
        disputes.append("  (* the position this record follows)")
    lines += _section("Disputes and conflicts", disputes)

    sources = []
    for source in record.sources:
        parts = [source.publisher, source.title, source.date]
        sources += _wrap(f"[{source.id}] " + ", ".join(p for p in parts if p) + f" ({source.kind})")
    lines += _section("Sources", sources)
    return "\n".join(lines) + "\n"
