"""Rule: no live ammunition; known supply; dummies marked and verified."""

from __future__ import annotations

from setsafety.rules.base import Rule, Tally
from setsafety.rules.facts import Facts, Scope
from setsafety.rules.findings import AboutArgs, Finding


def ammunition_control(facts: Facts, scope: Scope) -> Finding:
    """Live rounds never on set; ammunition from a known supplier; dummies verified and marked.

    A live lot on set, found on set or fired fails the layer, as does a lot of dummies whose rounds can
    still fire a projectile (a live primer or powder behind a bullet: dummies made by pulling bullets
    and leaving the primers in). Rounds made or altered on set are cited. A fired round from a lot of mixed or
    unknown kind, unmarked dummies, rounds checked less than in full, and a lot from an unknown or
    undetermined source degrade it. Blanks or dummies checked in full from a known source hold it.
    """
    record = facts.record
    tally = Tally(facts)
    fired = set(record.incident.ammunition_fired or ()) if record.incident else set()
    for i, lot in enumerate(record.ammunition or ()):
        pointer = f"/ammunition/{i}"
        lot_about: AboutArgs = {"items": [lot.id], "values": {"kind": lot.kind, "label": lot.description or lot.id}}
        if lot.kind == "live" and (lot.on_set or lot.found or lot.id in fired):
            cited = [tally.cite(pointer, lot, "ammunition.live-on-set", **lot_about)]
            for j, found in enumerate(lot.found or ()):
                cited.append(tally.cite(f"{pointer}/found/{j}", found, "ammunition.found",
                                        items=[lot.id], values={"place": found.where},
                                        counts={"count": found.count} if found.count is not None else {}))
            tally.reason("ammunition.live-fired" if lot.id in fired else "ammunition.live-on-set",
                         "failed", *cited, items=[lot.id])
            continue
        parts = lot.components
        if lot.kind == "dummy" and parts is not None and parts.projectile == "live" and (
                "live" in (parts.primer, parts.powder)):
            cited = [tally.cite(pointer, lot, "ammunition.dummy-can-fire", **lot_about)]
            if lot.made is not None:
                cited.append(tally.cite(f"{pointer}/made", lot.made, "ammunition.made", items=[lot.id],
                                        values={"method": lot.made.method}, parties={"by": lot.made.by}))
            tally.reason("ammunition.dummy-can-fire", "failed", *cited, items=[lot.id])
            continue
        if lot.kind in ("mixed", "unknown") and lot.id in fired:
            cited = [tally.cite(pointer, lot, "ammunition.fired-from-lot", **lot_about)]
            tally.reason("ammunition.fired-from-uncertain-lot", "degraded", *cited, **lot_about)
        if lot.kind == "dummy" and lot.marking == "unmarked":
            cited = [tally.cite(f"{pointer}/marking", lot, "ammunition.unmarked", **lot_about)]
            tally.reason("ammunition.dummies-unmarked", "degraded", *cited, items=[lot.id])
        if lot.kind in ("dummy", "blank", "mixed") and lot.verification in ("none", "glance", "partial"):
            level = {"level": lot.verification}
            cited = [tally.cite(f"{pointer}/verification", lot, "ammunition.rounds-checked",
                                items=[lot.id], values=level)]
            tally.reason("ammunition.checked-only", "degraded", *cited, items=[lot.id], values=level)
        origin = lot.origin
        if origin is not None and (origin.known_supplier is False or origin.certainty == "undetermined"):
            known = "undetermined" if origin.certainty == "undetermined" else "unknown-supplier"
            cited = [tally.cite(f"{pointer}/origin", origin, "ammunition.origin", items=[lot.id],
                                values={"text": origin.description})]
            tally.reason("ammunition.origin-not-known", "degraded", *cited, items=[lot.id],
                         values={"known": known})
        elif lot.kind in ("blank", "dummy") and lot.verification == "full" and (
            origin is None or origin.known_supplier
        ):
            cited = [tally.cite(pointer, lot, "ammunition.checked-in-full", **lot_about)]
            tally.reason("ammunition.checked-in-full", "held", *cited, **lot_about)
    tally.add_checks(facts.checks(*scope.check_kinds()))
    lots = record.ammunition or ()
    if lots:
        return tally.finding("ammunition.handling-not-recorded", items=[lot.id for lot in lots])
    return tally.finding("ammunition.no-facts")


RULE = Rule(
    id="ammunition-control", derive=ammunition_control,
    check_kinds=("live-ammunition-exclusion", "ammunition-inventory", "ammunition-verification"),
    reads="`ammunition` lots: `kind`, `on_set`, `found`, `marking`, `verification`, `origin`; the incident's "
          "`ammunition_fired`",
    states={
        "failed": "live rounds were on the set (found there, or fired)",
        "degraded": "a round came from a lot of unknown kind, dummies were unmarked, rounds were checked only in "
                    "part, or the supply is not known",
        "skipped": "checks that keep live rounds off the set were required and not done",
        "held": "blanks or dummies from a known source were checked in full, or the checks were done",
        "unknown": "the record does not say how the ammunition was supplied, marked or checked",
    },
)
