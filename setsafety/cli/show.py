"""``setsafety show``: a record as a readable overview in plain text."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from setsafety.model import record as m

WIDTH = 100


def when_text(when: m.When | None) -> str:
    """A date as the record gives it: '2021-10-21 13:46', '2021-10 (approximate)'."""
    if when is None:
        return "date unknown"
    if when.date is None:
        return when.label or "undated"
    text = when.date + (f" {when.time}" if when.time else "")
    if when.precision == "approximate":
        text += " (approx.)"
    if when.label:
        text += f" ({when.label})"
    return text


def _wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(" ".join(text.split()), WIDTH, initial_indent=indent,
                         subsequent_indent=indent + "  ", break_on_hyphens=False) or [indent]


def _section(title: str, lines: Iterable[str]) -> list[str]:
    body = list(lines)
    return ["", title, "-" * len(title), *body] if body else []


def _cites(sources: tuple[str, ...]) -> str:
    return " [" + ", ".join(sources) + "]"


def _certainty(fact: m.Fact) -> str:
    """The certainty of a fact, and of single fields, where it is less than reported."""
    said: list[str] = [fact.certainty] if fact.certainty and fact.certainty not in ("established", "reported") else []
    said += [f"{field} {certainty}" for field, certainty in (fact.field_certainty or {}).items()]
    return f" ({'; '.join(said)})" if said else ""


def _role(role: m.Role) -> str:
    text = role.role + (f" ({role.title})" if role.title else "")
    if role.timing == "after-event":
        return text + " [taken on after the event]"
    if role.timing == "before-event":
        return text + " [left before the event]"
    return text


def _headcount(party: m.Party) -> str:
    about = {"approximate": "about ", "at-least": "at least "}.get(party.headcount_precision or "", "")
    return f"{about}{party.headcount} people"


def _condition(condition: m.ItemCondition) -> list[str]:
    when = f" ({when_text(condition.when)})" if condition.when else ""
    text = f"condition: {condition.kind}{when}" + (f" - {condition.description}" if condition.description else "")
    return _wrap(text + _certainty(condition), "      ")


def _step(step: m.Step) -> list[str]:
    text = f"{when_text(step.when) if step.when else 'undated'}: {step.kind}"
    text += f", {step.classification}" if step.classification else ""
    text += f", {step.penalty.amount:,.0f} {step.penalty.currency}" if step.penalty else ""
    text += f", awarded or agreed {step.award.amount:,.0f} {step.award.currency}" if step.award else ""
    text += f" - {step.detail}" if step.detail else ""
    return _wrap(text + _certainty(step), "    ")


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
        roles = [_role(role) for role in party.roles or ()]
        label = party.name or party.id
        if party.kind == "group" and party.headcount:
            label += f" ({_headcount(party)})"
        detail = ", ".join(roles) if roles else (party.affiliation or party.kind)
        dual = "  [several roles]" if len(party.roles_at_event()) > 1 else ""
        people.append(f"  {label}: {detail}{dual}{_certainty(party)}")
        for qualification in party.qualifications or ():
            held = "holds" if qualification.held else "does not hold"
            what = qualification.description or f"{qualification.kind} in {qualification.subject}"
            people += _wrap(f"{held}: {what}{_certainty(qualification)}", "      ")
        for presence in party.presence or ():
            state = "on set" if presence.present else "not on set"
            reason = f" ({presence.reason})" if presence.reason else ""
            since = f" from {when_text(presence.when)}" if presence.when else " at the time of the event"
            people += _wrap(f"{state}{since}{reason}{_certainty(presence)}", "      ")
    lines += _section("People and roles", people)

    items = [f"  weapon {w.id}: {w.kind}" + (f", {w.make or ''} {w.model or ''}".rstrip() if w.make or w.model else "")
             for w in record.weapons or ()]
    for weapon in record.weapons or ():
        items += [line for condition in weapon.condition or () for line in _condition(condition)]
    for lot in record.ammunition or ():
        items.append(f"  ammunition {lot.id}: {lot.kind}" + (f", {lot.count} rounds" if lot.count is not None else "")
                     + (f" - {lot.description}" if lot.description else "") + _certainty(lot))
        if lot.components is not None:
            parts = [f"{name} {state}" for name, state in (("primer", lot.components.primer),
                     ("powder", lot.components.powder), ("projectile", lot.components.projectile)) if state]
            items.append("      components: " + ", ".join(parts))
        if lot.made is not None:
            made = f"made ({lot.made.method})" + (f" by {who(lot.made.by)}" if lot.made.by else "")
            made += " on set" if lot.made.on_set else ""
            items += _wrap(made + (f": {lot.made.description}" if lot.made.description else ""), "      ")
        details = [f"marking: {lot.marking}"] if lot.marking else []
        details += [f"checked: {lot.verification}"] if lot.verification else []
        details += [f"origin: {lot.origin.description}"] if lot.origin else []
        items += _wrap("; ".join(details), "      ") if details else []
        for found in lot.found or ():
            count = f"{found.count} " if found.count is not None else ""
            items += _wrap(f"{count}found: {found.where}{_certainty(found)}", "      ")
    lines += _section("Weapons and ammunition", items)

    equipment = []
    for item in record.equipment or ():
        use = []
        use += ["not provided"] if item.provided is False else []
        use += [f"{item.speed_kmh:g} km/h at the event"] if item.speed_kmh is not None else []
        use += ["in use" if item.in_use else "not in use"] if item.in_use is not None else []
        use += [f"operated by {who(item.operated_by)}"] if item.operated_by else []
        use += [f"for {who(item.users)}"] if item.users else []
        use += [f"declined by {who(item.declined_by)}"] if item.declined_by else []
        text = f"{item.id}: {item.kind}" + (f" - {item.description}" if item.description else "")
        equipment += _wrap(text + (f" ({'; '.join(use)})" if use else "") + _certainty(item))
        equipment += [line for condition in item.condition or () for line in _condition(condition)]
    lines += _section("Equipment", equipment)

    custody = []
    for event in record.custody or ():
        action = event.action + (f" to {who(event.to)}" if event.to else "")
        loaded = f" ({', '.join(event.ammunition)})" if event.ammunition else ""
        verified = f"; check: {event.verification}" if event.verification else ""
        said = f'; called "{event.announcement}"' if event.announcement else ""
        custody += _wrap(f"{when_text(event.when)}: {event.item} {action}{loaded} by {who(event.by)}"
                         f"{verified}{said}{_certainty(event)}")
    lines += _section("Chain of custody", custody)

    checks = []
    for safety_check in record.checks or ():
        about = f" ({', '.join(safety_check.covers)})" if safety_check.covers else ""
        by = f" by {who(safety_check.by)}" if safety_check.by else ""
        when = f", {when_text(safety_check.when)}" if safety_check.when else ""
        required = " [required]" if safety_check.required else ""
        text = f"{safety_check.kind}{about}: {safety_check.status}{by}{when}{required}"
        described = f" - {safety_check.description}" if safety_check.description else ""
        checks += _wrap(text + described + _certainty(safety_check))
    lines += _section("Safety checks", checks)

    warnings = []
    for warning in record.warnings or ():
        raised = f" (raised by {who(warning.raised_by)})" if warning.raised_by else ""
        response = f" Response: {warning.response.level}" if warning.response else " Response: not recorded"
        if warning.response is not None and warning.response.description:
            response += f" - {warning.response.description}"
        warnings += _wrap(f"{when_text(warning.when)} [{warning.kind}]{raised}: {warning.description}"
                          f"{_certainty(warning)}.{response}".replace("..", "."))
    if record.warnings == ():
        warnings.append("  none before the event")
    lines += _section("Warnings before the event", warnings)

    conditions = []
    for condition in record.conditions or ():
        hours = f" ({condition.hours:g} hours)" if condition.hours is not None else ""
        conditions += _wrap(f"{condition.kind}{hours}: {condition.description}{_certainty(condition)}")
    lines += _section("Conditions", conditions)

    timeline = []
    for entry in record.timeline or ():
        timeline += _wrap(f"{when_text(entry.when)} [{entry.kind}] {entry.description}{_certainty(entry)}")
    lines += _section("Timeline", timeline)

    if record.incident is not None:
        incident = record.incident
        body = _wrap(f"{when_text(incident.when)}, {incident.activity}"
                     + (f" at {incident.location}" if incident.location else "") + f": {incident.description}")
        if incident.items:
            body.append(f"  Involved: {', '.join(incident.items)}")
        if incident.ammunition_fired:
            body.append(f"  Fired from: {', '.join(incident.ammunition_fired)}")
        if incident.handled_by:
            body.append(f"  Handled by: {who(incident.handled_by)}")
        if incident.mechanism:
            body += _wrap(f"How: {incident.mechanism}")
        if incident.height_m is not None:
            body.append(f"  Height of the fall: {incident.height_m:g} m")
        for position in incident.positions or ():
            distance = f", about {position.distance_m:g} m" if position.distance_m is not None else ""
            body.append(f"  {who(position.party)}: {position.relation}{distance}")
        lines += _section("The event", body)

    outcome = record.outcome
    if outcome is not None:
        body = [f"  {who(c.party)}: {c.severity}" + (f" - {c.description}" if c.description else "")
                for c in outcome.casualties or ()]
        if outcome.casualties == () or (outcome.casualties and all(c.severity == "none" for c in outcome.casualties)):
            body.insert(0, "  Nobody was hurt.")
        body += [line for care in outcome.care or () for line in _wrap(f"care ({care.kind}): {care.description}")]
        if outcome.stoppage is not None:
            body += _wrap(f"production: {outcome.stoppage.description}")
        lines += _section("Outcome", body)

    aftermath = record.aftermath
    if aftermath is not None:
        body = []
        for inv in aftermath.investigations or ():
            reported = f", reported {when_text(inv.reported)}" if inv.reported else ""
            body.append(f"  {who(inv.body)} ({inv.kind}){reported}")
            body += _wrap(inv.description, "    ") if inv.description else []
            for finding in inv.findings or ():
                layers = f" -> layers: {', '.join(finding.layers)}" if finding.layers else ""
                body += _wrap(f"- {finding.text}{layers}", "    ")
        for regulatory in aftermath.regulatory_actions or ():
            body.append(f"  Regulatory action by {who(regulatory.issuer)} against {who(regulatory.against)}")
            body += [line for step in regulatory.steps for line in _step(step)]
        for case_ in aftermath.legal_cases or ():
            plaintiffs = f", brought by {who(case_.plaintiffs)}" if case_.plaintiffs else ""
            body.append(f"  {case_.kind.capitalize()} case: {who(case_.parties)}{plaintiffs}"
                        + (f" ({case_.charge})" if case_.charge else ""))
            body += [line for step in case_.steps for line in _step(step)]
        for change in aftermath.changes or ():
            when = f", {when_text(change.when)}" if change.when else ""
            body += _wrap(f"Change ({change.kind}{when}): {change.title or change.description}")
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
        parts = [part for part in (source.publisher, source.title, source.date) if part]
        official = ", official" if source.is_official else ""
        sources += _wrap(f"[{source.id}] " + ", ".join(parts) + f" ({source.kind}{official})")
        sources += _wrap(f"via {source.via}", "      ") if source.via else []
        sources += _wrap(source.url, "      ") if source.url else []
    lines += _section("Sources", sources)
    return "\n".join(lines) + "\n"
