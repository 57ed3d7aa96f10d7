"""attrs classes for a safeguard protocol (``schemas/protocol.schema.json``)."""

from __future__ import annotations

from typing import Literal

import attrs

from setsafety.model.record import Hazard

LayerKind = Literal["latent", "active", "mitigating"]


@attrs.frozen(kw_only=True)
class Audience:
    """A group of people a lesson can be written for."""

    id: str
    name: str
    roles: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Reference:
    """A standard, law or guidance document a layer comes from."""

    id: str
    title: str
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Standard:
    """What one reference requires at a layer."""

    reference: str
    says: str


@attrs.frozen(kw_only=True)
class Layer:
    """One safeguard layer: what good looks like, who owns it, what to teach."""

    id: str
    name: str
    order: int
    kind: LayerKind
    owners: tuple[str, ...]
    good_practice: str
    standards: tuple[Standard, ...]
    lesson: str
    questions: tuple[str, ...]
    actions: dict[str, str]
    checklist: tuple[str, ...]
    direct: bool | None = None
    checks: tuple[str, ...] | None = None
    staff_roles: tuple[str, ...] | None = None
    subject: str | None = None
    subjects: tuple[str, ...] | None = None
    equipment: tuple[str, ...] | None = None
    in_path_roles: tuple[str, ...] | None = None
    rule: str | None = None
    phase: Literal["before-the-shoot", "start-of-day", "during-the-work", "after-the-work"] | None = None

    @property
    def day_phase(self) -> str:
        """When in the working day this layer's checklist is worked through: ``phase`` if given, else
        before the shoot for a latent layer, during the work for an active one, at the start of each day
        for a mitigating one (readiness is checked before the work)."""
        if self.phase is not None:
            return self.phase
        return {"latent": "before-the-shoot", "active": "during-the-work"}.get(self.kind, "start-of-day")

    @property
    def rule_id(self) -> str:
        """The analyzer rule for this layer: ``rule`` if given, else the layer id."""
        return self.rule or self.id


@attrs.frozen(kw_only=True)
class Protocol:
    """An ordered set of safeguard layers for some hazards."""

    schema_version: str
    id: str
    name: str
    hazards: tuple[Hazard, ...]
    audiences: tuple[Audience, ...]
    layers: tuple[Layer, ...]
    description: str | None = None
    references: tuple[Reference, ...] | None = None
    schema_uri: str | None = None

    def layer(self, layer_id: str) -> Layer | None:
        """The layer with this id, if any."""
        for layer in self.layers:
            if layer.id == layer_id:
                return layer
        return None

    def ordered_layers(self) -> tuple[Layer, ...]:
        """The layers from the outermost (organisational) inward."""
        return tuple(sorted(self.layers, key=lambda layer: layer.order))
