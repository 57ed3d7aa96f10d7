"""Rule objects, and the tally a rule keeps while it reads a record."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import attrs

from setsafety.model import record as m
from setsafety.rules.facts import Facts, Scope
from setsafety.rules.findings import AboutArgs, Evidence, Finding, Reason, State, combine

if TYPE_CHECKING:
    from typing_extensions import Unpack

Derive = Callable[[Facts, Scope], Finding]


@attrs.frozen(kw_only=True)
class Rule:
    """A general rule that derives a layer's state from a record's facts.

    ``id`` is what a protocol layer names in ``rule`` (default: the layer id). ``reads`` says, in
    Markdown, which facts it reads (the README table and ``setsafety rules`` are made from it);
    ``check_kinds`` are the check kinds it counts unless the layer lists its own ``checks``, and
    ``needs_checks`` says the layer must list them; ``states`` says what each state means under
    this rule. The rule's documentation is the docstring of ``derive``.
    """

    id: str
    reads: str
    states: Mapping[State, str]
    derive: Derive = attrs.field(repr=False)
    check_kinds: tuple[str, ...] = ()
    needs_checks: bool = False

    @property
    def doc(self) -> str:
        """What the rule checks: the docstring of its ``derive`` function."""
        return inspect.getdoc(self.derive) or ""

    @property
    def summary(self) -> str:
        """The first paragraph of the doc, on one line."""
        return " ".join(self.doc.split("\n\n", 1)[0].split()).replace("``", "`")

    def __call__(self, facts: Facts, scope: Scope) -> Finding:
        return self.derive(facts, scope)


@attrs.define
class Tally:
    """What a rule has found so far: reasons (each with its state) and the evidence they cite."""

    facts: Facts
    reasons: list[Reason] = attrs.Factory(list)
    evidence: list[Evidence] = attrs.Factory(list)

    def cite(self, pointer: str, fact: m.Fact, code: str, **about: Unpack[AboutArgs]) -> Evidence:
        """Add and return evidence for the fact at ``pointer`` (see ``Facts.evidence``)."""
        item = self.facts.evidence(pointer, fact, code, **about)
        self.evidence.append(item)
        return item

    def reason(self, code: str, state: State | None, *cited: Evidence, softens: bool = False,
               **about: Unpack[AboutArgs]) -> Reason:
        """Add and return a reason resting on the ``cited`` evidence (its pointers and sources)."""
        reason = Reason(
            code=code, state=state, softens=softens,
            pointers=dict.fromkeys(item.pointer for item in cited),
            sources=dict.fromkeys(source for item in cited for source in item.sources),
            parties={part: party for part, party in about.get("parties", {}).items() if party is not None},
            items=about.get("items", ()), events=about.get("events", ()), checks=about.get("checks", ()),
            counts=dict(about.get("counts", {})), values=dict(about.get("values", {})),
        )
        self.reasons.append(reason)
        return reason

    def add_checks(self, checks: list[tuple[int, m.Check]]) -> Reason | None:
        """Count these checks in, as one reason: none done, or a required one not done -> skipped;
        some done and some not, or partial -> degraded; all done -> held; no status known -> unknown
        (no checks: no reason). A check refused (a permission denied) skips the layer, said as refused."""
        if not checks:
            return None
        cited = [
            self.cite(f"/checks/{i}", check, "check", checks=[check.id],
                      values={"kind": check.kind, "status": check.status,
                              **({"text": check.description} if check.description else {})})
            for i, check in checks
        ]
        done = sum(check.status == "done" for _, check in checks)
        partial = sum(check.status == "partial" for _, check in checks)
        missing = sum(check.status in ("not-done", "cancelled", "refused") for _, check in checks)
        # A required check not done skips the layer; asking for a permission says it was required.
        required_missing = any(check.status == "refused" or (check.required and check.status in ("not-done",
                                                                                                    "cancelled"))
                               for _, check in checks)
        counts = {"done": done, "partial": partial, "missing": missing, "total": len(checks)}
        kinds = tuple(dict.fromkeys(check.kind for _, check in checks))
        about: AboutArgs = {"checks": [check.id for _, check in checks], "counts": counts,
                            "values": {"kinds": kinds}}
        if any(check.status == "refused" for _, check in checks):
            return self.reason("checks.refused", "skipped", *cited, **about)
        if missing and ((not done and not partial) or required_missing):
            return self.reason("checks.not-done", "skipped", *cited, **about)
        if missing or partial:
            return self.reason("checks.partly-done", "degraded", *cited, **about)
        if done:
            return self.reason("checks.done", "held", *cited, **about)
        return self.reason("checks.status-unknown", "unknown", *cited, **about)

    def finding(self, nothing: str, **about: Unpack[AboutArgs]) -> Finding:
        """The finding: the state ``combine`` gives the reasons. If no reason has a state, the
        reason ``nothing`` (what the record lacks) says ``unknown``."""
        if not any(reason.state is not None for reason in self.reasons):
            self.reason(nothing, "unknown", **about)
        return Finding(state=combine(self.reasons), reasons=tuple(self.reasons), evidence=tuple(self.evidence))
