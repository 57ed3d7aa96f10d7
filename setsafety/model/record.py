"""attrs classes for an incident record.

The classes mirror ``schemas/incident.schema.json`` one to one: every class
attribute has the name of its JSON key, and every list keeps the order of the
file, so the JSON pointer of any object is the path of attribute names and
indexes that reaches it (``/custody/3/by``). Optional fields default to
``None`` and are left out when a record is dumped, so an absent list
("not recorded") stays distinct from an empty one ("recorded, none").
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

Certainty = Literal["established", "reported", "alleged", "disputed", "undetermined"]
Precision = Literal["exact", "hour", "day", "month", "year", "approximate"]
Hazard = Literal[
    "firearm", "blank-fire", "vehicle", "rail", "aircraft", "pyrotechnics", "stunt",
    "water", "fall", "electrical", "animal", "fire", "structure", "other", "fatigue", "machinery",
]
EventKind = Literal["fatality", "injury", "near-miss", "property-damage"]
RecordStatus = Literal["draft", "reviewed"]
RoleName = Literal[
    "armorer", "assistant-armorer", "property-master", "props-assistant",
    "first-ad", "second-ad", "safety-coordinator", "director", "producer", "executive-producer",
    "line-producer", "unit-production-manager", "actor", "child-performer", "stunt-performer",
    "stunt-coordinator", "cinematographer", "camera-operator", "camera-assistant", "crew",
    "special-effects", "pilot", "medic", "location-manager", "welfare-worker", "writer",
    "production-company", "studio", "distributor", "background-performer", "driver", "precision-driver",
    "rigger", "grip", "crane-operator", "pyrotechnician", "special-effects-supervisor", "safety-diver",
    "production-assistant", "electrician", "aerial-coordinator", "marine-coordinator", "other",
]
Subject = Literal[
    "firearms", "pyrotechnics", "stunts", "aviation", "rail", "medical", "safety", "driving", "motorcycle",
    "rigging", "diving", "water-safety", "crane", "electrical", "other",
]
WeaponKind = Literal[
    "functional-firearm", "blank-firing", "non-firing-replica", "rubber", "airsoft",
    "digital", "unknown",
]
AmmunitionKind = Literal["live", "blank", "dummy", "mixed", "unknown"]
Verification = Literal["none", "glance", "partial", "full", "unknown"]
CustodyAction = Literal[
    "retrieved", "loaded", "unloaded", "inspected", "handed-over", "received", "put-down",
    "left-unattended", "used", "returned", "stored", "seized", "transported", "made", "altered", "fired",
    "misfired",
]
CheckKind = Literal[
    "safety-meeting", "training", "rehearsal", "ammunition-inventory", "ammunition-verification",
    "live-ammunition-exclusion", "weapon-inspection", "show-clear", "performer-check",
    "cold-gun-announcement", "protective-equipment", "shields", "remote-monitoring",
    "safe-distance", "medic-on-set", "emergency-plan", "evacuation", "permit",
    "location-permission", "site-representative", "hazard-assessment", "escape-plan",
    "stop-work-authority", "welfare-worker", "child-labour-permit", "barriers", "run-off", "road-closure",
    "supervision", "vehicle-inspection", "rigging-inspection", "equipment-inspection", "fall-protection",
    "rehearsal-at-speed", "spotters", "exclusion-zone", "fire-watch", "licence-check", "water-safety",
    "rescue-standby", "working-hours", "minor-working-hours", "other",
]
CheckStatus = Literal["done", "partial", "not-done", "cancelled", "refused", "unknown"]
WarningKind = Literal[
    "misfire", "squib", "accidental-discharge", "malfunction", "near-miss", "effects-incident", "injury",
    "complaint", "resignation", "walk-out", "prior-incident", "other",
]
ResponseLevel = Literal["none", "acknowledged", "investigated", "fixed", "unknown"]
ConditionKind = Literal[
    "dual-role", "insufficient-time", "budget-pressure", "schedule-pressure", "understaffing",
    "crew-departure", "no-authority", "inexperience", "fatigue", "policy-not-followed",
    "no-process", "reprimand-for-safety-work", "supervision-absent", "prior-record",
    "inadequate-supervision", "long-hours", "other",
]
Relation = Literal["in-line-of-fire", "near", "clear", "behind-shield", "remote"]
Activity = Literal["rehearsal", "take", "setup", "between-takes", "transport", "storage", "other"]
Severity = Literal["fatal", "serious", "minor", "none"]
Verdict = Literal["deficient", "adequate", "not-determined"]
RelativeToEvent = Literal["before-event", "day-of-event", "after-event"]
RoleTiming = Literal["before-event", "at-event", "after-event"]
ComponentState = Literal["live", "inert", "absent", "unknown"]
EquipmentKind = Literal[
    "car", "camera-car", "motorcycle", "truck", "military-vehicle", "train", "boat",
    "helicopter", "airplane", "drone",
    "rig", "wire", "harness", "descender", "decelerator", "fall-arrest", "catch-system", "crash-mat", "airbag",
    "helmet", "life-jacket", "protective-clothing", "protective-equipment",
    "barrier", "run-off", "shield",
    "pyrotechnic", "explosive", "fire-effect",
    "guard", "emergency-stop",
    "crane", "camera-crane", "hydraulic-machinery", "set-piece", "water-rig", "electrical", "lighting",
    "structure", "connector", "parachute", "other",
]
ConditionOfItem = Literal[
    "squib", "obstruction", "malfunction", "damaged", "modified", "misplaced", "undersized", "worn", "other",
]


@attrs.frozen(kw_only=True)
class When:
    """A moment, as precise as the sources allow: a date (``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD``) and time, or, when no source dates it, a ``label`` ("earlier in
    the shoot") and where it stands relative to the event (``relative``)."""

    date: str | None = None
    time: str | None = None
    precision: Precision | None = None
    label: str | None = None
    relative: RelativeToEvent | None = None


@attrs.frozen(kw_only=True)
class Fact:
    """What every fact-bearing object carries: the sources that report it, how certain it
    is, a note, and the certainty of single fields where it differs (``field_certainty``)."""

    sources: tuple[str, ...]
    certainty: Certainty | None = None
    note: str | None = None
    field_certainty: dict[str, Certainty] | None = None

    def certainty_of(self, field: str) -> Certainty | None:
        """The certainty of one field: its own if the record gives one, else the fact's."""
        if self.field_certainty and field in self.field_certainty:
            return self.field_certainty[field]
        return self.certainty


@attrs.frozen(kw_only=True)
class Revision:
    """One change to the record: who made it, when, and what."""

    date: str
    author: str
    change: str


@attrs.frozen(kw_only=True)
class Case(Fact):
    """What the record is about, in a paragraph."""

    title: str
    summary: str
    event_kind: EventKind
    hazards: tuple[Hazard, ...]
    date: str
    status: RecordStatus
    fictional: bool | None = None
    revisions: tuple[Revision, ...] | None = None


@attrs.frozen(kw_only=True)
class Location:
    """Where something happened and whose law applies there."""

    name: str | None = None
    locality: str | None = None
    region: str | None = None
    country: str | None = None
    jurisdiction: str | None = None


@attrs.frozen(kw_only=True)
class Production(Fact):
    """The production on which the incident happened."""

    title: str
    kind: str
    budget_tier: str | None = None
    union_status: str | None = None
    companies: tuple[str, ...] | None = None
    location: Location | None = None
    shooting_day: int | None = None


@attrs.frozen(kw_only=True)
class Qualification(Fact):
    """A qualification a person held, or is known not to have held."""

    kind: str
    subject: Subject
    held: bool
    description: str | None = None


@attrs.frozen(kw_only=True)
class Experience(Fact):
    """How experienced a person was in the role they held."""

    level: Literal["none", "limited", "experienced"]
    subject: Subject | None = None
    credits: int | None = None
    description: str | None = None


@attrs.frozen(kw_only=True)
class Role(Fact):
    """One role a party held on the production."""

    role: RoleName
    title: str | None = None
    on_set: bool | None = None
    timing: RoleTiming | None = None
    since: When | None = None
    until: When | None = None

    @property
    def at_event(self) -> bool:
        """Whether the role was held at the time of the event (a role taken on later was not)."""
        return self.timing in (None, "at-event")


@attrs.frozen(kw_only=True)
class Presence(Fact):
    """Whether a party was on set, from a given moment (no ``when``: at the time of the event)."""

    present: bool
    when: When | None = None
    reason: Literal["sent-home", "left", "off-duty", "not-called", "other-unit", "arrived", "other"] | None = None
    description: str | None = None


@attrs.frozen(kw_only=True)
class Party(Fact):
    """A person, an organisation, or a group of people spoken of together (with a headcount)."""

    id: str
    kind: Literal["person", "organisation", "group"]
    name: str | None = None
    age: int | None = None
    roles: tuple[Role, ...] | None = None
    affiliation: str | None = None
    qualifications: tuple[Qualification, ...] | None = None
    experience: tuple[Experience, ...] | None = None
    headcount: int | None = None
    headcount_precision: Literal["exact", "approximate", "at-least"] | None = None
    members: tuple[str, ...] | None = None
    presence: tuple[Presence, ...] | None = None

    def has_role(self, *names: str) -> bool:
        """Whether the party held any of the named roles at the time of the event."""
        return any(role.role in names and role.at_event for role in self.roles or ())

    def roles_at_event(self) -> tuple[Role, ...]:
        """The roles held at the time of the event (not those taken on later, nor left before)."""
        return tuple(role for role in self.roles or () if role.at_event)


@attrs.frozen(kw_only=True)
class ItemCondition(Fact):
    """A fault or an alteration of a weapon or a piece of equipment."""

    kind: ConditionOfItem
    when: When | None = None
    event: str | None = None
    description: str | None = None


@attrs.frozen(kw_only=True)
class Weapon(Fact):
    """A weapon or replica used on the production."""

    id: str
    kind: WeaponKind
    make: str | None = None
    model: str | None = None
    action: str | None = None
    caliber: str | None = None
    description: str | None = None
    condition: tuple[ItemCondition, ...] | None = None


@attrs.frozen(kw_only=True)
class Found(Fact):
    """Where rounds of a lot were found, and how many."""

    where: str
    count: int | None = None
    when: When | None = None


@attrs.frozen(kw_only=True)
class Origin(Fact):
    """Where an ammunition lot came from."""

    description: str
    supplier: str | None = None
    known_supplier: bool | None = None


@attrs.frozen(kw_only=True)
class Components:
    """What each part of a lot's rounds is: live, inert or absent."""

    primer: ComponentState | None = None
    powder: ComponentState | None = None
    projectile: ComponentState | None = None


@attrs.frozen(kw_only=True)
class Made(Fact):
    """How a lot's rounds were made or altered, and by whom."""

    method: Literal["factory", "pulled-bullet", "reloaded", "drilled", "assembled", "other"]
    by: str | None = None
    on_set: bool | None = None
    when: When | None = None
    description: str | None = None


@attrs.frozen(kw_only=True)
class AmmunitionLot(Fact):
    """A set of rounds of one kind (live, blank, dummy)."""

    id: str
    kind: AmmunitionKind
    description: str | None = None
    caliber: str | None = None
    count: int | None = None
    on_set: bool | None = None
    origin: Origin | None = None
    marking: Literal["marked", "unmarked", "unknown"] | None = None
    verification: Verification | None = None
    found: tuple[Found, ...] | None = None
    components: Components | None = None
    made: Made | None = None


@attrs.frozen(kw_only=True)
class Equipment(Fact):
    """A piece of equipment other than a weapon or ammunition."""

    id: str
    kind: EquipmentKind
    description: str | None = None
    make: str | None = None
    model: str | None = None
    provided: bool | None = None
    in_use: bool | None = None
    speed_kmh: float | None = None
    operated_by: tuple[str, ...] | None = None
    users: tuple[str, ...] | None = None
    declined_by: tuple[str, ...] | None = None
    condition: tuple[ItemCondition, ...] | None = None


@attrs.frozen(kw_only=True)
class Storage(Fact):
    """A place where weapons or ammunition were kept."""

    id: str
    kind: str
    locked: bool | None = None
    attended: bool | None = None
    items: tuple[str, ...] | None = None
    location: str | None = None


@attrs.frozen(kw_only=True)
class CustodyEvent(Fact):
    """One link in the chain of custody of an item."""

    id: str
    item: str
    action: CustodyAction
    when: When | None = None
    by: str | None = None
    to: str | None = None
    location: str | None = None
    storage: str | None = None
    ammunition: tuple[str, ...] | None = None
    verification: Verification | None = None
    witnesses: tuple[str, ...] | None = None
    announcement: str | None = None
    description: str | None = None


@attrs.frozen(kw_only=True)
class Check(Fact):
    """A safety check that was required, planned or done."""

    id: str
    kind: CheckKind
    status: CheckStatus
    required: bool | None = None
    required_by: str | None = None
    planned: bool | None = None
    frequency: Literal["once", "daily", "each-use", "each-scene"] | None = None
    when: When | None = None
    by: tuple[str, ...] | None = None
    participants: tuple[str, ...] | None = None
    items: tuple[str, ...] | None = None
    covers: tuple[Hazard, ...] | None = None
    description: str | None = None
    outcome: str | None = None


@attrs.frozen(kw_only=True)
class Response(Fact):
    """What was done about a warning."""

    level: ResponseLevel
    by: tuple[str, ...] | None = None
    description: str | None = None


@attrs.frozen(kw_only=True)
class PriorWarning(Fact):
    """A warning sign before the event."""

    id: str
    kind: WarningKind
    description: str
    when: When | None = None
    raised_by: tuple[str, ...] | None = None
    raised_to: tuple[str, ...] | None = None
    about: tuple[str, ...] | None = None
    hazards: tuple[Hazard, ...] | None = None
    response: Response | None = None


@attrs.frozen(kw_only=True)
class Condition(Fact):
    """A working condition or organisational fact (staffing, time, authority)."""

    id: str
    kind: ConditionKind
    description: str
    about: tuple[str, ...] | None = None
    hazards: tuple[Hazard, ...] | None = None
    hours: float | None = None


@attrs.frozen(kw_only=True)
class TimelineEntry(Fact):
    """One event in the story, in order."""

    id: str
    when: When
    kind: str
    description: str
    refs: tuple[str, ...] | None = None


@attrs.frozen(kw_only=True)
class Position(Fact):
    """Where a person stood at the moment of the event."""

    party: str
    relation: Relation
    distance_m: float | None = None
    needed: bool | None = None


@attrs.frozen(kw_only=True)
class Incident(Fact):
    """The event itself."""

    when: When
    activity: Activity
    description: str
    location: str | None = None
    planned: bool | None = None
    items: tuple[str, ...] | None = None
    ammunition_fired: tuple[str, ...] | None = None
    handled_by: tuple[str, ...] | None = None
    pointed_at_person: bool | None = None
    mechanism: str | None = None
    height_m: float | None = None
    positions: tuple[Position, ...] | None = None


@attrs.frozen(kw_only=True)
class Casualty(Fact):
    """A person harmed, and how badly."""

    party: str
    severity: Severity
    description: str | None = None
    died: When | None = None


@attrs.frozen(kw_only=True)
class Care(Fact):
    """Emergency care given after the event."""

    kind: str
    description: str
    people: tuple[str, ...] | None = None


@attrs.frozen(kw_only=True)
class Stoppage(Fact):
    """What happened to the production after the event."""

    description: str
    resumed: When | None = None
    completed: When | None = None


@attrs.frozen(kw_only=True)
class Damage(Fact):
    """Damage to property."""

    description: str


@attrs.frozen(kw_only=True)
class Outcome:
    """Casualties, care, damage and stoppage."""

    casualties: tuple[Casualty, ...] | None = None
    care: tuple[Care, ...] | None = None
    stoppage: Stoppage | None = None
    damage: tuple[Damage, ...] | None = None


@attrs.frozen(kw_only=True)
class Finding(Fact):
    """One finding of an investigation, and the layers it speaks to."""

    id: str
    text: str
    layers: tuple[str, ...] | None = None
    verdict: Verdict | None = None


@attrs.frozen(kw_only=True)
class Investigation(Fact):
    """An investigation and its findings."""

    id: str
    body: str
    kind: str
    official: bool | None = None
    started: When | None = None
    reported: When | None = None
    description: str | None = None
    findings: tuple[Finding, ...] | None = None


@attrs.frozen(kw_only=True)
class Money:
    """An amount of money."""

    amount: float
    currency: str


@attrs.frozen(kw_only=True)
class Step(Fact):
    """One step of a regulatory action or a court case (undated when no source dates it)."""

    kind: str
    when: When | None = None
    detail: str | None = None
    classification: str | None = None
    penalty: Money | None = None
    award: Money | None = None
    with_prejudice: bool | None = None


@attrs.frozen(kw_only=True)
class RegulatoryAction(Fact):
    """A citation or fine, with its steps."""

    id: str
    issuer: str
    against: tuple[str, ...]
    steps: tuple[Step, ...]
    investigation: str | None = None


@attrs.frozen(kw_only=True)
class LegalCase(Fact):
    """A criminal or civil case, with its steps."""

    id: str
    kind: Literal["criminal", "civil"]
    parties: tuple[str, ...]
    steps: tuple[Step, ...]
    plaintiffs: tuple[str, ...] | None = None
    court: str | None = None
    charge: str | None = None


@attrs.frozen(kw_only=True)
class Change(Fact):
    """A change in law or practice that followed."""

    id: str
    kind: str
    description: str
    jurisdiction: str | None = None
    title: str | None = None
    when: When | None = None
    enacted: bool | None = None


@attrs.frozen(kw_only=True)
class Aftermath:
    """Investigations, regulatory actions, court cases and changes."""

    investigations: tuple[Investigation, ...] | None = None
    regulatory_actions: tuple[RegulatoryAction, ...] | None = None
    legal_cases: tuple[LegalCase, ...] | None = None
    changes: tuple[Change, ...] | None = None


@attrs.frozen(kw_only=True)
class DisputePosition:
    """One side of a dispute."""

    id: str
    claim: str
    sources: tuple[str, ...]
    held_by: tuple[str, ...] | None = None


@attrs.frozen(kw_only=True)
class Dispute:
    """A fact the sources disagree on."""

    id: str
    kind: Literal["dispute", "source-conflict"]
    question: str
    about: tuple[str, ...]
    positions: tuple[DisputePosition, ...]
    followed: str | None = None
    reason: str | None = None


@attrs.frozen(kw_only=True)
class Source:
    """A document the record's facts rest on."""

    id: str
    kind: str
    title: str
    official: bool | None = None
    publisher: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    via: str | None = None
    reliability: str | None = None
    date_precision: Literal["day", "month", "year", "approximate"] | None = None
    note: str | None = None

    @property
    def is_official(self) -> bool:
        """Whether the source is an official record: issued by a public authority or a court,
        even when read through someone else's report of it."""
        return bool(self.official) or self.kind in ("official-report", "court-record")


@attrs.frozen(kw_only=True)
class Record:
    """A whole incident record."""

    schema_version: str
    id: str
    case: Case
    sources: tuple[Source, ...]
    schema_uri: str | None = None
    production: Production | None = None
    people: tuple[Party, ...] | None = None
    weapons: tuple[Weapon, ...] | None = None
    equipment: tuple[Equipment, ...] | None = None
    ammunition: tuple[AmmunitionLot, ...] | None = None
    storage: tuple[Storage, ...] | None = None
    custody: tuple[CustodyEvent, ...] | None = None
    checks: tuple[Check, ...] | None = None
    warnings: tuple[PriorWarning, ...] | None = None
    conditions: tuple[Condition, ...] | None = None
    timeline: tuple[TimelineEntry, ...] | None = None
    incident: Incident | None = None
    outcome: Outcome | None = None
    aftermath: Aftermath | None = None
    disputes: tuple[Dispute, ...] | None = None
    extensions: dict[str, Any] | None = None

    def __repr__(self) -> str:
        title = self.case.title if len(self.case.title) <= 40 else self.case.title[:39] + "\u2026"
        people = f", {len(self.people)} people" if self.people is not None else ""
        return (f"<Record {self.id} {title!r} {self.case.date} {self.case.event_kind} "
                f"[{', '.join(self.case.hazards)}]{people}, {len(self.sources)} sources>")

    def _repr_html_(self) -> str:
        """A short overview for Jupyter: every text from the record escaped."""
        import html

        from setsafety._control import escape_controls

        def text(value: object) -> str:
            return html.escape(escape_controls(str(value)))

        rows = [("case", f"<code>{text(self.id)}</code>"), ("date", text(self.case.date)),
                ("event", text(self.case.event_kind)), ("hazards", text(", ".join(self.case.hazards))),
                ("status", text(self.case.status)), ("people", text(len(self.people or ()))),
                ("sources", text(len(self.sources))), ("summary", text(self.case.summary))]
        body = "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows)
        return f"<div><p><b>{text(self.case.title)}</b></p><table>{body}</table></div>"

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON data (dicts, lists, strings, numbers, booleans), as its file holds it:
        unset fields left out. ``json.dumps`` takes it; ``setsafety.load_record`` reads it back."""
        from setsafety.model import unstructure  # the package: it has loaded the converter before any Record exists

        data: dict[str, Any] = unstructure(self)
        return data

    def to_json(self) -> str:
        """The record as JSON text, indented (``to_dict`` as JSON)."""
        import json

        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def party(self, party_id: str) -> Party | None:
        """The person or organisation with this id, if any."""
        for party in self.people or ():
            if party.id == party_id:
                return party
        return None

    def source(self, source_id: str) -> Source | None:
        """The source with this id, if any."""
        for source in self.sources:
            if source.id == source_id:
                return source
        return None
