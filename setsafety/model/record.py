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
    "water", "fall", "electrical", "animal", "fire", "structure", "other",
]
EventKind = Literal["fatality", "injury", "near-miss", "property-damage"]
RecordStatus = Literal["draft", "reviewed"]
RoleName = Literal[
    "armorer", "assistant-armorer", "property-master", "props-assistant",
    "first-ad", "second-ad", "safety-coordinator", "director", "producer", "executive-producer",
    "line-producer", "unit-production-manager", "actor", "child-performer", "stunt-performer",
    "stunt-coordinator", "cinematographer", "camera-operator", "camera-assistant", "crew",
    "special-effects", "pilot", "medic", "location-manager", "welfare-worker", "writer",
    "production-company", "studio", "distributor", "other",
]
Subject = Literal[
    "firearms", "pyrotechnics", "stunts", "aviation", "rail", "medical", "safety", "other"
]
WeaponKind = Literal[
    "functional-firearm", "blank-firing", "non-firing-replica", "rubber", "airsoft",
    "digital", "unknown",
]
AmmunitionKind = Literal["live", "blank", "dummy", "mixed", "unknown"]
Verification = Literal["none", "glance", "partial", "full", "unknown"]
CustodyAction = Literal[
    "retrieved", "loaded", "unloaded", "inspected", "handed-over", "received", "put-down",
    "left-unattended", "used", "returned", "stored", "seized", "transported",
]
CheckKind = Literal[
    "safety-meeting", "training", "rehearsal", "ammunition-inventory", "ammunition-verification",
    "live-ammunition-exclusion", "weapon-inspection", "show-clear", "performer-check",
    "cold-gun-announcement", "protective-equipment", "shields", "remote-monitoring",
    "safe-distance", "medic-on-set", "emergency-plan", "evacuation", "permit",
    "location-permission", "site-representative", "hazard-assessment", "escape-plan",
    "stop-work-authority", "welfare-worker", "child-labour-permit", "other",
]
CheckStatus = Literal["done", "partial", "not-done", "cancelled", "unknown"]
WarningKind = Literal[
    "misfire", "accidental-discharge", "near-miss", "effects-incident", "complaint",
    "resignation", "walk-out", "prior-incident", "other",
]
ResponseLevel = Literal["none", "acknowledged", "investigated", "fixed", "unknown"]
ConditionKind = Literal[
    "dual-role", "insufficient-time", "budget-pressure", "schedule-pressure", "understaffing",
    "crew-departure", "no-authority", "inexperience", "fatigue", "policy-not-followed",
    "no-process", "reprimand-for-safety-work", "supervision-absent", "prior-record", "other",
]
Relation = Literal["in-line-of-fire", "near", "clear", "behind-shield", "remote"]
Activity = Literal["rehearsal", "take", "setup", "between-takes", "transport", "storage", "other"]
Severity = Literal["fatal", "serious", "minor", "none"]
Verdict = Literal["deficient", "adequate", "not-determined"]


@attrs.frozen(kw_only=True)
class When:
    """A point in time, as precise as the sources allow."""

    date: str
    time: str | None = None
    precision: Precision | None = None
    label: str | None = None


@attrs.frozen(kw_only=True)
class Revision:
    """One change to the record: who made it, when, and what."""

    date: str
    author: str
    change: str


@attrs.frozen(kw_only=True)
class Case:
    """What the record is about, in a paragraph."""

    title: str
    summary: str
    event_kind: EventKind
    hazards: tuple[Hazard, ...]
    date: str
    status: RecordStatus
    sources: tuple[str, ...]
    fictional: bool | None = None
    revisions: tuple[Revision, ...] | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Location:
    """Where something happened and whose law applies there."""

    name: str | None = None
    locality: str | None = None
    region: str | None = None
    country: str | None = None
    jurisdiction: str | None = None


@attrs.frozen(kw_only=True)
class Production:
    """The production on which the incident happened."""

    title: str
    kind: str
    sources: tuple[str, ...]
    budget_tier: str | None = None
    union_status: str | None = None
    companies: tuple[str, ...] | None = None
    location: Location | None = None
    shooting_day: int | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Qualification:
    """A qualification a person held, or is known not to have held."""

    kind: str
    subject: Subject
    held: bool
    sources: tuple[str, ...]
    description: str | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Experience:
    """How experienced a person was in the role they held."""

    level: Literal["none", "limited", "experienced"]
    sources: tuple[str, ...]
    subject: Subject | None = None
    credits: int | None = None
    description: str | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Role:
    """One role a party held on the production."""

    role: RoleName
    sources: tuple[str, ...]
    title: str | None = None
    on_set: bool | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Party:
    """A person or an organisation."""

    id: str
    kind: Literal["person", "organisation"]
    sources: tuple[str, ...]
    name: str | None = None
    age: int | None = None
    roles: tuple[Role, ...] | None = None
    affiliation: str | None = None
    qualifications: tuple[Qualification, ...] | None = None
    experience: tuple[Experience, ...] | None = None
    certainty: Certainty | None = None
    note: str | None = None

    def has_role(self, *names: str) -> bool:
        """Whether the party held any of the named roles."""
        return any(role.role in names for role in self.roles or ())


@attrs.frozen(kw_only=True)
class Weapon:
    """A weapon or replica used on the production."""

    id: str
    kind: WeaponKind
    sources: tuple[str, ...]
    make: str | None = None
    model: str | None = None
    action: str | None = None
    caliber: str | None = None
    description: str | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Found:
    """Where rounds of a lot were found, and how many."""

    where: str
    sources: tuple[str, ...]
    count: int | None = None
    when: When | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Origin:
    """Where an ammunition lot came from."""

    description: str
    sources: tuple[str, ...]
    supplier: str | None = None
    known_supplier: bool | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class AmmunitionLot:
    """A set of rounds of one kind (live, blank, dummy)."""

    id: str
    kind: AmmunitionKind
    sources: tuple[str, ...]
    description: str | None = None
    caliber: str | None = None
    count: int | None = None
    on_set: bool | None = None
    origin: Origin | None = None
    marking: Literal["marked", "unmarked", "unknown"] | None = None
    verification: Verification | None = None
    found: tuple[Found, ...] | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Storage:
    """A place where weapons or ammunition were kept."""

    id: str
    kind: str
    sources: tuple[str, ...]
    locked: bool | None = None
    attended: bool | None = None
    items: tuple[str, ...] | None = None
    location: str | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class CustodyEvent:
    """One link in the chain of custody of an item."""

    id: str
    item: str
    action: CustodyAction
    sources: tuple[str, ...]
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
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Check:
    """A safety check that was required, planned or done."""

    id: str
    kind: CheckKind
    status: CheckStatus
    sources: tuple[str, ...]
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
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Response:
    """What was done about a warning."""

    level: ResponseLevel
    sources: tuple[str, ...]
    by: tuple[str, ...] | None = None
    description: str | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class PriorWarning:
    """A warning sign before the event."""

    id: str
    kind: WarningKind
    description: str
    sources: tuple[str, ...]
    when: When | None = None
    raised_by: tuple[str, ...] | None = None
    raised_to: tuple[str, ...] | None = None
    about: tuple[str, ...] | None = None
    hazards: tuple[Hazard, ...] | None = None
    response: Response | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Condition:
    """A working condition or organisational fact (staffing, time, authority)."""

    id: str
    kind: ConditionKind
    description: str
    sources: tuple[str, ...]
    about: tuple[str, ...] | None = None
    hazards: tuple[Hazard, ...] | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class TimelineEntry:
    """One event in the story, in order."""

    id: str
    when: When
    kind: str
    description: str
    sources: tuple[str, ...]
    refs: tuple[str, ...] | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Position:
    """Where a person stood at the moment of the event."""

    party: str
    relation: Relation
    sources: tuple[str, ...]
    distance_m: float | None = None
    needed: bool | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Incident:
    """The event itself."""

    when: When
    activity: Activity
    description: str
    sources: tuple[str, ...]
    location: str | None = None
    planned: bool | None = None
    items: tuple[str, ...] | None = None
    ammunition_fired: tuple[str, ...] | None = None
    handled_by: tuple[str, ...] | None = None
    pointed_at_person: bool | None = None
    mechanism: str | None = None
    positions: tuple[Position, ...] | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Casualty:
    """A person harmed, and how badly."""

    party: str
    severity: Severity
    sources: tuple[str, ...]
    description: str | None = None
    died: When | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Care:
    """Emergency care given after the event."""

    kind: str
    description: str
    sources: tuple[str, ...]
    people: tuple[str, ...] | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Stoppage:
    """What happened to the production after the event."""

    description: str
    sources: tuple[str, ...]
    resumed: When | None = None
    completed: When | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Damage:
    """Damage to property."""

    description: str
    sources: tuple[str, ...]
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Outcome:
    """Casualties, care, damage and stoppage."""

    casualties: tuple[Casualty, ...] | None = None
    care: tuple[Care, ...] | None = None
    stoppage: Stoppage | None = None
    damage: tuple[Damage, ...] | None = None


@attrs.frozen(kw_only=True)
class Finding:
    """One finding of an investigation, and the layers it speaks to."""

    id: str
    text: str
    sources: tuple[str, ...]
    layers: tuple[str, ...] | None = None
    verdict: Verdict | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Investigation:
    """An investigation and its findings."""

    id: str
    body: str
    kind: str
    sources: tuple[str, ...]
    official: bool | None = None
    started: When | None = None
    reported: When | None = None
    description: str | None = None
    findings: tuple[Finding, ...] | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Money:
    """An amount of money."""

    amount: float
    currency: str


@attrs.frozen(kw_only=True)
class Step:
    """One dated step of a regulatory action or a court case."""

    kind: str
    when: When
    sources: tuple[str, ...]
    detail: str | None = None
    classification: str | None = None
    penalty: Money | None = None
    with_prejudice: bool | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class RegulatoryAction:
    """A citation or fine, with its steps."""

    id: str
    issuer: str
    against: tuple[str, ...]
    steps: tuple[Step, ...]
    sources: tuple[str, ...]
    investigation: str | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class LegalCase:
    """A criminal or civil case, with its steps."""

    id: str
    kind: Literal["criminal", "civil"]
    parties: tuple[str, ...]
    steps: tuple[Step, ...]
    sources: tuple[str, ...]
    plaintiffs: tuple[str, ...] | None = None
    court: str | None = None
    charge: str | None = None
    certainty: Certainty | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Change:
    """A change in law or practice that followed."""

    id: str
    kind: str
    description: str
    sources: tuple[str, ...]
    jurisdiction: str | None = None
    title: str | None = None
    when: When | None = None
    enacted: bool | None = None
    certainty: Certainty | None = None
    note: str | None = None


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
