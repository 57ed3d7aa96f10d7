"""Words for findings: one catalogue of templates that turns reasons, evidence, custody issues and
factors into sentences, for the CLI, JSON consumers and the lessons.

The rules return data (``setsafety.rules.findings``): a code, the ids of what it concerns, counts
and enumerated values. Here each code has one template, filled in by a ``Phrasing`` that speaks of
parties as its reader needs: ``Names`` (the record's names, for the CLI and researchers) or
``Roles`` (the role a person held at the time, for crew lessons). Nothing is parsed back out of a
sentence, and record text is never rewritten.

Template syntax (``str.format`` fields, with a few additions):

- ``{by}``, ``{to}``, ``{holder}``, ``{who}``: the party with that part in ``parties``;
  ``{parties}``: all of them, joined.
- ``{item}``: the first item id; ``{items}``: all, joined.
- a count: ``{n}`` the number; ``{n:round/rounds}`` the number and the right noun.
- a value: its words from ``WORDS`` (``{level:check}`` looks in the ``check`` table), or the
  value with hyphens as spaces; a tuple of values is joined (``{kinds:or}``, ``{kinds:and}``);
  ``{text}`` is record text, kept to one line and shortened at a word boundary.
- ``[ ... ]``: an optional part, left out when a field in it has no value.

How to add words for a new code: add ``"code": "template"`` to the right section of
``CATALOGUE`` (``reasons`` for what a rule reasons, ``evidence`` for what a cited fact shows);
add a ``WORDS`` table if the template speaks of a new enumerated value. ``tests/test_phrasing.py``
fails if a code the rules emit has no template.
"""

from __future__ import annotations

import itertools
import string
from collections import Counter
from collections.abc import Iterable
from functools import cache
from typing import Any, Protocol

import attrs

from setsafety._control import strip_controls
from setsafety.model import record as m
from setsafety.rules.findings import NOT_HELD, About, Evidence, Reason, State

# --- states -------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class StateLook:
    """What a state means and how it looks: in text (``mark``), in figures (fill, outline, dashes,
    the short label under a slice)."""

    meaning: str
    mark: str
    fill: str
    stroke: str
    dashes: str
    short: str


#: Every state's meaning and look, in the order of a legend.
STATES: dict[str, StateLook] = {
    "held": StateLook(meaning="in place, and it worked", mark="+", fill="#cfe9d3", stroke="#2f7d3b", dashes="",
                      short="held"),
    "degraded": StateLook(meaning="done, but only partly or badly", mark="~", fill="pattern:degraded",
                          stroke="#a86500", dashes="", short="degraded"),
    "failed": StateLook(meaning="done, and it did not stop the hazard", mark="X", fill="pattern:failed",
                        stroke="#b42318", dashes="", short="failed"),
    "skipped": StateLook(meaning="required, and not done", mark="X", fill="pattern:skipped", stroke="#c2410c",
                         dashes="7 3", short="skipped"),
    "absent": StateLook(meaning="never provided for at all", mark="X", fill="#ffffff", stroke="#6b7280",
                        dashes="2 3", short="absent"),
    "unknown": StateLook(meaning="the record lacks the facts to tell", mark="?", fill="pattern:unknown",
                         stroke="#6b7280", dashes="", short="unknown"),
    "not-applicable": StateLook(meaning="does not apply to this event", mark=" ", fill="#f4f5f7",
                                stroke="#b8bec8", dashes="6 4", short="n/a"),
}

# --- the catalogue ---------------------------------------------------------------

#: Words for enumerated values, by table (the part after ``:`` in a template field).
WORDS: dict[str, dict[str, str]] = {
    # a check, as a noun phrase: "came with a glance"
    "check": {"none": "no check", "glance": "a glance", "partial": "a partial check", "full": "a full check",
              "unknown": "no check recorded", "recorded": "a check"},
    "response": {"none": "with no response", "unknown": "with no response recorded",
                 "acknowledged": "acknowledged only", "investigated": "investigated but not fixed",
                 "fixed": "investigated and fixed"},
    "experience": {"none": "no", "limited": "limited", "experienced": "long"},
    # what a check was, and how it stood: "Weapon inspection (not done): ..."
    "check-kind": {"medic-on-set": "medic on set", "show-clear": "showing the weapon clear",
                   "cold-gun-announcement": "cold-gun call", "stop-work-authority": "authority to stop work",
                   "child-labour-permit": "child labour permit", "rehearsal-at-speed": "rehearsal at speed",
                   "minor-working-hours": "working hours of minors", "licence-check": "licence check",
                   "live-ammunition-exclusion": "keeping live ammunition out", "other": "other check"},
    "check-status": {"done": "done", "partial": "done in part", "not-done": "not done", "cancelled": "cancelled",
                     "refused": "refused", "unknown": "not known whether done"},
    # a response to a warning, after "What was done about it:"
    "response-done": {"none": "nothing", "unknown": "not recorded", "acknowledged": "acknowledged only",
                      "investigated": "investigated, not fixed", "fixed": "investigated and fixed"},
    # a condition of a person's work, as what they had or were: "the armorer had two jobs at once"
    "person-condition": {"dual-role": "had two jobs at once", "insufficient-time": "had too little time for the work",
                         "budget-pressure": "worked under budget pressure",
                         "schedule-pressure": "worked under schedule pressure",
                         "understaffing": "worked without enough staff", "crew-departure": "had lost crew who left",
                         "no-authority": "had no authority to decide on safety", "inexperience": "was inexperienced",
                         "fatigue": "was fatigued", "policy-not-followed": "worked where policy was not followed",
                         "no-process": "had no process to follow",
                         "reprimand-for-safety-work": "was rebuked for putting safety work first",
                         "supervision-absent": "worked unsupervised",
                         "inadequate-supervision": "was supervised inadequately",
                         "prior-record": "had an earlier safety record", "long-hours": "worked long hours",
                         "other": "worked under another condition the record describes"},
    # a condition as a heading for the record's own description of it
    "condition-noun": {"dual-role": "Two jobs at once", "insufficient-time": "Too little time",
                       "budget-pressure": "Budget pressure", "schedule-pressure": "Schedule pressure",
                       "understaffing": "Too few staff", "crew-departure": "Crew who left",
                       "no-authority": "No authority", "inexperience": "Inexperience", "fatigue": "Fatigue",
                       "policy-not-followed": "Policy not followed", "no-process": "No process",
                       "reprimand-for-safety-work": "Rebuked for safety work",
                       "supervision-absent": "No supervision", "inadequate-supervision": "Inadequate supervision",
                       "prior-record": "Earlier record", "long-hours": "Long hours", "other": "Condition"},
    "warning-kind": {"accidental-discharge": "Accidental discharge", "effects-incident": "Effects incident",
                     "near-miss": "Near miss", "walk-out": "Walk-out", "prior-incident": "Earlier incident",
                     "misfire": "Misfire", "squib": "Squib load", "malfunction": "Malfunction", "injury": "Injury",
                     "complaint": "Complaint", "resignation": "Resignation", "other": "Warning"},
    "custody-action": {"handed-over": "handed over", "put-down": "put down", "left-unattended": "left unattended"},
    # how certain a fact is, said after it; an established fact goes without saying
    # how many checks were done in full, in part, not at all: "1 in part, 1 not done"
    "tally": {"done": "{n} in full", "partial": "{n} in part", "missing": "{n} not done"},
    "certainty": {"established": "", "reported": "reported", "alleged": "alleged by a party",
                  "disputed": "disputed", "undetermined": "not determined"},
    "verdict": {"deficient": "deficient", "adequate": "adequate", "not-determined": "without saying whether it held"},
    "agreement": {"agrees": "the analysis agrees", "disagrees": "the analysis does not agree",
                  "cannot-tell": "the analysis cannot tell"},
    "event": {"fatality": "fatality", "injury": "injury", "near-miss": "near miss",
              "property-damage": "property damage"},
    "status": {"draft": "draft record", "reviewed": "reviewed record"},
    "activity": {"between-takes": "between takes", "setup": "set-up"},
    "severity": {"none": "not hurt"},
    "role": {"first-ad": "first AD", "second-ad": "second AD", "production-company": "production company",
             "unit-production-manager": "unit production manager"},
    "layer-kind": {"latent": "set up before the shoot", "active": "on the day", "mitigating": "after the event"},
    "weapon-kind": {"functional-firearm": "firearm", "blank-firing": "blank-firing gun",
                    "non-firing-replica": "replica", "rubber": "rubber gun", "airsoft": "airsoft gun",
                    "digital": "digital weapon", "unknown": "weapon"},
    "ammunition-kind": {"live": "live rounds", "blank": "blanks", "dummy": "dummy rounds", "mixed": "mixed rounds",
                        "unknown": "rounds"},
    "path": {"line-of-fire": "the line of fire", "hazard": "the path of the hazard"},
    "relation": {"in-line-of-fire": "in the line of fire", "near": "near", "clear": "clear",
                 "behind-shield": "behind a shield", "remote": "watching remotely"},
    "origin": {"undetermined": "undetermined", "unknown-supplier": "not a known supplier"},
    "firing": {"misfired": "misfired", "fired": "was fired before the event"},
    # a piece of equipment's fault: "the air bag was too small for the work"
    "fault": {"undersized": "too small for the work", "misplaced": "in the wrong place", "malfunction": "faulty",
              "damaged": "damaged", "worn": "worn", "obstruction": "obstructed"},
    "equipment": {"airbag": "air bag", "run-off": "runoff area", "fall-arrest": "fall arrest line",
                  "catch-system": "catch system", "crash-mat": "crash mat", "life-jacket": "life jacket",
                  "protective-equipment": "protective equipment", "protective-clothing": "protective clothing",
                  "emergency-stop": "emergency stop"},
    "condition": {"supervision-absent": "the work went unsupervised",
                  "inadequate-supervision": "supervision was inadequate", "long-hours": "people worked long hours",
                  "fatigue": "people were fatigued"},
}

#: Every template, by section and code.
CATALOGUE: dict[str, dict[str, str]] = {
    "reasons": {
        # checks of a layer's kinds (any rule)
        "checks.not-done": "{kinds:check-kind-and} not done, though required or planned",
        "checks.refused": "{kinds:check-kind-and} asked for and refused",
        "checks.partly-done": "{kinds:check-kind-and} done only in part (of {total}: {tally})",
        "checks.done": "{kinds:check-kind-and} done",
        "checks.status-unknown": "{kinds:check-kind-and} recorded, but not whether done",
        "checks.none-recorded": "the record has no check of the kind {kinds:check-kind-or}",
        "checks.other-hazards": "the record's checks of the kind {kinds:check-kind-or} cover {covers:and}, not "
                                "{hazards:or}",
        # ammunition-control
        "ammunition.live-on-set": "live rounds were on the set",
        "ammunition.live-fired": "live rounds were on the set and one was fired",
        "ammunition.fired-from-uncertain-lot": "the round fired came from {item}, a lot of {kind:ammunition-kind}",
        "ammunition.dummies-unmarked": "dummies were not marked to tell them from live rounds",
        "ammunition.checked-only": "{item} were checked with only {level:check}",
        "ammunition.origin-not-known": "where {item} came from is {known:origin}",
        "ammunition.checked-in-full": "{item} were checked in full",
        "ammunition.handling-not-recorded": "the record lists the ammunition ({items}) but not how it was "
                                            "supplied, marked or checked, nor any check that kept live rounds "
                                            "off the set",
        "ammunition.no-facts": "the record says nothing about the ammunition on set or checks of it",
        # secure-custody
        "storage.unattended": "items were left unattended at a place the record gives as ‘{place}’",
        "storage.unlocked": "items were kept unlocked at a place the record gives as ‘{place}’",
        "storage.locked-attended": "items were kept locked or attended ({place})",
        "custody.kept-while-idle": "{item} stayed with {holder} while it was not in use ({activity}), instead "
                                   "of going back to the weapons staff",
        "custody.left-unattended": "{item} was left unattended",
        "custody.put-unwatched": "{item} was put where nobody watched it",
        "custody.held-outside-staff": "{holder}, outside the weapons staff, held {item}",
        "custody.from-locked-storage": "{item} was taken from locked storage[ by {by}]",
        "custody.no-facts": "the record has no custody events or storage facts that show how items were kept",
        # pre-use-inspection
        "inspection.full-yet-live-fired": "the last check of {item} was full, yet a live round was fired",
        "inspection.none-before-use": "{item} went to its use with no check ({action}[ by {by}])",
        "inspection.last-check-level": "the last check of {item} before use was {level:check}",
        "inspection.full-before-use": "{item} was checked in full right before use[ by {by}]",
        "inspection.by-outside-staff": "the last check of {item} was made by {by}, outside the weapons staff",
        "inspection.not-after-breaks": "{item} was not checked again by the weapons staff after "
                                       "{breaks:break/breaks} in custody or in the day",
        "inspection.no-facts": "the chain of custody records no check of the weapon before its use",
        # handoff-verification
        "handover.check-level": "the hand-over of {item} to {to} came with {level:check}"
                                "[ and the call \u201c{announcement}\u201d]",
        "handover.verified": "{item} was handed to {to} after a full check",
        "handover.by-outside-staff": "{item} was handed over by {by}, outside the weapons staff[ ({disputed})]",
        "handover.not-shown-to-supervisor": "the weapon was not shown to the first AD or safety coordinator at "
                                            "the hand-over",
        "handover.no-facts": "the record shows no hand-over of the weapon to a performer, or does not say how "
                             "it was checked",
        # qualified staff
        "ammunition.dummy-can-fire": "dummies of {item} could still fire their bullets (a live primer or powder "
                                     "left in)",
        "warnings.misfire-ignored": "{item} {action:firing}, and it was loaded again with no inspection first",
        "warnings.misfire-acted-on": "{item} {action:firing}, and was inspected in full before it was loaded again",
        "inspection.none-after-misfire": "{item} {action:firing} and was not inspected before it was loaded "
                                         "again",
        "inspection.after-misfire-level": "{item} {action:firing} and was then inspected with only "
                                          "{level:check}",
        "staff.work-by-others": "{by}, outside the layer's staff and with no qualification for it, did the "
                                "staff's work ({action})",
        "staff.none": "no one held any of the roles {roles:or}: {text}",
        "staff.short": "there were too few staff for the roles {roles:or}",
        "staff.shortcomings": "staff were provided, but not qualified or dedicated as the layer needs:",
        "staff.strengths": "staff were qualified and dedicated:",
        "staff.other-role": "{who} had another job on the production ({role})",
        "staff.qualified": "{who} had {kind} in {subject}",
        "staff.not-qualified": "{who} did not have {kind} in {subject}",
        "staff.experienced": "{who} was experienced",
        "staff.limited-experience": "{who} had {level:experience} experience",
        "staff.condition": "{who} {kind:person-condition}",
        "staff.no-people": "the record lists no people, so who looked after the hazard is not known",
        "staff.no-one-in-role": "no one in the record holds a role of this layer's staff ({roles:or}); if the "
                                "production had none, a condition of kind \u2018understaffing\u2019 for the hazard "
                                "({hazards:or}) says so",
        "staff.nothing-said": "{parties} held the role, but the record says nothing of their qualifications, "
                              "experience or other duties",
        # safe-handling
        "handling.pointed-at-person": "the weapon was pointed toward a person",
        "handling.not-pointed": "the weapon was not pointed at anyone",
        "handling.in-path": "{who} stood in {path:path}[, {distance} m away]",
        "handling.near": "{who} stood near[, {distance} m away], without a shield"
                         "[{needed:hide}, with no need to be there]",
        "handling.clear": "{who} was {relation:relation}",
        "handling.needed-in-path": "{who} stood in {path:path}, where the work needed them",
        "handling.needed-near": "{who} stood near, where the work needed them",
        "handling.no-facts": "the record does not say where people stood in relation to {path:path}",
        # safety-briefing
        "meeting.off-topic": "the meeting held did not cover the day's {hazards:and} work",
        "meeting.none-that-day": "the record has no safety meeting for the day of the event",
        # emergency-response
        "equipment.not-provided": "no {kind:equipment} was provided",
        "equipment.not-in-use": "the {kind:equipment} was on hand but not in use[, declined by {by}]",
        "equipment.unfit": "the {kind:equipment} was {condition:fault}",
        "equipment.in-place": "the {kind:equipment} was in place",
        "equipment.no-facts": "the record says nothing of any {kinds:or} for the work",
        "supervision.present": "{who} was on set",
        "supervision.away": "{who} was not on set at the time of the event",
        "supervision.condition": "{kind:condition}",
        "supervision.no-facts": "the record does not say whether {roles:or} supervised on the day",
        "hours.long": "{kind:condition}[ ({hours} hours)]",
        "hours.no-facts": "the record says nothing of the hours worked",
        "emergency.care-given": "care was given afterwards ({kinds:and}), which says nothing of readiness before",
        "emergency.no-facts": "the record says nothing of a medic or an emergency plan",
        # warning-response
        "warnings.some-ignored": "warnings came before the event and nothing was done about some of them",
        "warnings.not-all-fixed": "warnings were heard but not all were investigated and fixed",
        "warnings.all-fixed": "every warning was investigated and fixed",
        "warnings.response-unknown": "the record does not say what was done about the warnings",
        "warnings.response-count": "{warnings:warning/warnings} {level:response}",
        "warnings.not-recorded": "the record does not say whether there were warnings before the event",
        "warnings.none-before": "the record lists no warnings before the event",
    },
    "evidence": {
        "check": "{kind:check-kind} ({status:check-status})[: {text}]",
        "staff.work-by-others": "{by} {action} {item}, outside the layer's staff",
        "custody.misfired": "[{date}: ]{item} {action:firing}[ ({by})]",
        "ammunition.dummy-can-fire": "dummies that could still fire a bullet: {label}",
        "ammunition.made": "[{by} ]made them on set ({method})",
        "equipment.not-provided": "no {kind:equipment} provided",
        "equipment.not-in-use": "{kind:equipment} on hand, not in use[ (declined by {by})]",
        "equipment.unfit": "{kind:equipment}: {condition:fault}",
        "equipment.in-place": "{kind:equipment} in place",
        "supervision.present": "{who} on set at the time of the event",
        "supervision.away": "{who} not on set at the time of the event",
        "condition": "{kind:condition-noun}: {text}",
        "storage.unattended": "kept unattended: {place}",
        "storage.unlocked": "not locked: {place}",
        "storage.locked-attended": "kept locked or attended: {place}",
        "custody.kept-while-idle": "[{date}: ]{item} still held by {holder} while it was not in use ({activity})",
        "custody.left-unattended": "[{date}: ]{item} left unattended[ by {by}]",
        "custody.put-unwatched": "[{date}: ]{item} put where nobody watched it ({storage})[ by {by}]",
        "custody.held-outside-staff": "{holder}, outside the weapons staff, held {item}",
        "custody.from-locked-storage": "[{date}: ]{item} taken from locked storage[ by {by}]",
        "custody.handed-over-unchecked": "[{date}: ]{item} handed over with no check recorded[ by {by}]",
        "custody.checked": "[{date}: ]{item} {action:custody-action} with {level:check}[ by {by}]",
        "custody.last-staff-check": "[{date}: ]{item} last checked by the weapons staff ({action:custody-action}, "
                                    "{level:check})[ by {by}]",
        "custody.handed-to-performer": "[{date}: ]{item} handed to {to}[, calling \u201c{announcement}\u201d], "
                                       "with {level:check}[ by {by}]",
        "custody.released": "[{date}: ]{item} {action:custody-action}[ ({place})][ by {by}]",
        "timeline.break": "break: {text}",
        "ammunition.live-on-set": "live rounds on set: {label}",
        "ammunition.found": "[{count:round/rounds} ]found: {place}",
        "ammunition.fired-from-lot": "the round fired came from {item}, a lot of {kind:ammunition-kind}",
        "ammunition.unmarked": "dummies not marked: {label}",
        "ammunition.rounds-checked": "{item} checked with {level:check}",
        "ammunition.origin": "where {item} came from: {text}",
        "ammunition.checked-in-full": "{item} checked in full: {label}",
        "staff.other-role": "{who} also worked as {role}",
        "staff.qualified": "{who} had {kind} in {subject}[ ({text})]",
        "staff.not-qualified": "{who} did not have {kind} in {subject}[ ({text})]",
        "staff.experience": "{who}: {level:experience} experience[ ({credits:earlier production/earlier "
                            "productions})]",
        "position": "{who}: {relation:relation}[, {distance} m away]",
        "position.in-path": "{who}: in {path:path}[, {distance} m away][{wanted:hide}, needed there]",
        "handling.pointed-at-person": "the weapon was pointed toward a person",
        "handling.not-pointed": "the weapon was not pointed at anyone",
        "care": "care: {kind}",
        "warning": "{kind:warning-kind}[ ({date})]: {text}",
        "warning.response": "what was done about it: {level:response-done}",
    },
    # how a lesson speaks of people and items it has no role or kind for
    "people": {
        "later-role": "a person who later became {role}",
        "earlier-role": "a former {role}",
        "no-role": "a person outside the production",
        "group": "a group of people",
        "unknown": "someone not in the record's list of people",
    },
    "items": {
        "event-weapon": "weapon", "weapon": "weapon", "rounds": "rounds", "storage": "storage place",
        "equipment": "piece of equipment",
        "the": "the {noun}", "another": "another {noun}", "unknown": "an item not in the record",
    },
    # questions for discussion, from what the analysis found (a reason's code); the answer is built from
    # the facts the reason rests on and the layer's checklist ("answer" in the lesson section)
    "questions": {
        "custody.held-outside-staff": "{holder}, who was not one of the weapons staff, held {item}. Who should "
                                      "have had it at that moment, and what would have kept it with them?",
        "custody.left-unattended": "{item} was left unattended. At which moments of a shooting day does that "
                                   "happen, and who should have been with it?",
        "custody.put-unwatched": "{item} was put where nobody watched it. Where should it have gone instead, "
                                 "and who should have known where it was?",
        "custody.kept-while-idle": "{item} stayed with {holder} while it was not in use. Where should it have "
                                   "gone between takes, and who should have taken it back?",
        "storage.unattended": "Items were left unattended at a place the record gives as ‘{place}’. Who "
                              "should have been responsible for them, and how would anyone have known they were "
                              "still safe?",
        "storage.unlocked": "Items were kept unlocked at a place the record gives as ‘{place}’. Who "
                            "should hold the key, and when must items be locked away?",
        "inspection.none-before-use": "{item} went to its use with no check. Who should have checked it, when, "
                                      "and what should the check have covered?",
        "inspection.last-check-level": "The last check of {item} before use was {level:check}. What does a full "
                                       "check cover that this one did not?",
        "inspection.by-outside-staff": "The last check of {item} was made by {by}, not by the weapons staff. "
                                       "Why does it matter who makes that check?",
        "inspection.not-after-breaks": "{item} was not checked again by the weapons staff after "
                                       "{breaks:break/breaks}. What can change during a break, and who should "
                                       "check again before work resumes?",
        "inspection.none-after-misfire": "{item} {action:firing} and was loaded again with no inspection. What "
                                         "should happen after a misfire before anyone goes on?",
        "warnings.misfire-ignored": "{item} {action:firing}, and it was loaded again with no inspection first. "
                                    "Who should have stopped the work, and what would have had to be found "
                                    "before it went on?",
        "handover.check-level": "{item} was handed to {to} with {level:check}. What should {to} have been shown, "
                                "and checked, before taking it?",
        "handover.by-outside-staff": "{item} was handed over by {by}, not by the weapons staff. Who should hand "
                                     "a weapon to a performer, and what should anyone else do if asked to pass "
                                     "one on?",
        "handover.not-shown-to-supervisor": "The weapon was not shown to the first AD or the safety coordinator "
                                            "at the hand-over. What does that second look catch?",
        "ammunition.live-fired": "Live rounds were on the set and one was fired. How could they have got "
                                 "there, and which check would have found them first?",
        "ammunition.live-on-set": "Live rounds were on the set. How could they have got there, and which check "
                                  "would have found them first?",
        "ammunition.checked-only": "{item} were checked with only {level:check}. How would you prove that a "
                                   "dummy round is inert, without trusting the box it came in?",
        "ammunition.dummies-unmarked": "The dummies were not marked to tell them from live rounds. How can "
                                       "anyone on set tell a dummy from a live round?",
        "ammunition.origin-not-known": "Where {item} came from is {known:origin}. What should a production "
                                       "know about every round it brings onto a set?",
        "ammunition.dummy-can-fire": "Dummies of {item} could still fire their bullets. How should a dummy be "
                                     "made and checked so that it cannot?",
        "warnings.response-count": "{warnings:warning/warnings} came before the event {level:response}. Which "
                                   "of them should have stopped the work, and who could have stopped it?",
        "warnings.some-ignored": "Warnings came before the event and nothing was done about some of them. "
                                 "Which of them should have stopped the work, and who could have stopped it?",
        "warnings.not-all-fixed": "Warnings were heard, but not all were investigated and fixed. What would "
                                  "fixing them have meant, and who should have made sure it happened?",
        "staff.other-role": "{who} also had another job on the production ({role}). Which safety duties are "
                            "most likely to slip when one person holds two jobs, and when?",
        "staff.condition": "{who} {kind:person-condition}. Who on the production could have changed that, and "
                           "how would they have known it was needed?",
        "staff.not-qualified": "{who} did not have {kind} in {subject}. How should a production check a "
                               "person's training before giving them the job?",
        "staff.limited-experience": "{who} had {level:experience} experience. What support should someone new "
                                    "to the job have had?",
        "staff.work-by-others": "{by}, outside the layer's staff, did the staff's work ({action}). Why might "
                                "that have happened, and what should they have done instead?",
        "staff.none": "No one held any of the roles {roles:or}. Who should have been hired for the work, and "
                      "who decides that?",
        "staff.short": "There were too few staff for the roles {roles:or}. How many would the work have "
                       "needed, and who should have noticed?",
        "handling.pointed-at-person": "The weapon was pointed toward a person. How could the shot have been "
                                      "set up without that?",
        "handling.in-path": "{who} stood in {path:path}. Did they need to be there, and if so, how could they "
                            "have been protected or moved?",
        "handling.near": "{who} stood near, without a shield. Who needed to be that close, and how could they "
                         "have been protected?",
        "meeting.none-that-day": "The record has no safety meeting for the day of the event. What should that "
                                 "day's meeting have covered, and who should have been there?",
        "meeting.off-topic": "The meeting held did not cover the day's {hazards:and} work. What should it have "
                             "told the people on set?",
        "checks.not-done": "{kinds:check-kind-and}: required or planned, and not done. Who was responsible for "
                           "it, and what got in the way?",
        "checks.refused": "{kinds:check-kind-and}: asked for and refused. What should happen to the work when "
                          "the answer is no, and who decides?",
        "checks.partly-done": "{kinds:check-kind-and}: done only in part. What was left out, and what would a "
                              "complete one have covered?",
        "equipment.not-provided": "No {kind:equipment} was provided. Who decides what safety equipment the "
                                  "work needs, and when?",
        "equipment.not-in-use": "The {kind:equipment} was on hand but not in use. Why might that happen, and "
                                "who should check before the work starts?",
        "equipment.unfit": "The {kind:equipment} was {condition:fault}. How would a check before the work have "
                           "caught it?",
        "supervision.away": "{who} was not on set at the time of the event. Who should have supervised the "
                            "work, and what should happen when that person is away?",
        "supervision.condition": "{kind:condition}. Who should have supervised the work, and how?",
        "hours.long": "{kind:condition}. How do long hours change what people notice, and who should limit "
                      "them?",
    },
    # fixed sentences and labels of a lesson
    "lesson": {
        "naming-note": "How people are named: everything this lesson says in its own words names a person by "
                       "the role they held at the time of the event; a role taken on later never labels anyone. "
                       "Organisations and groups go by the record's names for them. Text quoted from the record "
                       "(the summary, the timeline, descriptions of facts, official findings, court steps and "
                       "the positions in disputes) is in its authors' words and may name people.",
        "blame-note": "This summary describes acts and conditions on the set, not the guilt of anyone. Court "
                      "outcomes appear only as the courts reached them.",
        "certainty-note": "A fact that is not established by an official or primary record says so where it "
                          "appears: reported (a credible source says so), alleged by a party (a party claims "
                          "it), disputed (sources or parties disagree; see Disputes), not determined "
                          "(investigators could not establish it).",
        "cite-note": "Numbers in square brackets, like [1], point to the sources listed at the end.",
        "figure-caption": "The safeguard layers from left to right: those set up before the shoot, then those at "
                          "work on the day, up to the event (the star). After the event comes {after}, which "
                          "only limits harm once it has happened. A hole marks a layer that did not hold; the "
                          "arrow is the hazard's path, over the layers that held.",
        "figure-caption-none-after": "The safeguard layers from left to right: those set up before the shoot, "
                                     "then those at work on the day, up to the event (the star). A hole marks a "
                                     "layer that did not hold; the arrow is the hazard's path, over the layers "
                                     "that held.",
        "path": "The hazard passed through: {layers}.",
        "path-none": "The record shows no layer that the hazard passed through.",
        "stoppers": "Any one of these, had it held, could have stopped it: {layers}.",
        "stoppers-none": "The record shows no single layer that could have stopped it on its own.",
        "custody-heading": "Custody of {item}",
        "custody-step": "{action}[ by {by}][ to {holder}][, with {check}]",
        "storage-issue": "{place}: {summary}",
        "findings-note": "What investigators, regulators and courts found, in the record's words, and whether "
                         "the analysis of the recorded facts agrees with each, layer by layer. The findings are "
                         "never used to work out a layer's state; they are compared with it.",
        "findings-none": "The record lists no official finding that names a safeguard layer.",
        "finding-unofficial": "not an official body",
        "agrees": "The analysis agrees: it finds this layer {state}.",
        "disagrees": "The analysis does not agree: it finds this layer {state}.",
        "cannot-tell-unknown": "The analysis cannot tell: the record lacks the facts to tell whether this layer "
                               "held.",
        "cannot-tell-not-applicable": "The analysis cannot tell: it finds that this layer does not apply.",
        "cannot-tell-verdict": "The analysis cannot tell: the finding does not say whether the layer held (the "
                               "analysis finds it {state}).",
        "cannot-tell-no-layer": "The analysis cannot tell: this protocol has no such layer.",
        "finding-verdict": "Finding {number}: {body} found \u2018{layer}\u2019 {verdict}",
        "finding-layers": "Layers it speaks to: {layers}.",
        "finding-no-layer": "It names no safeguard layer.",
        "storage-unattended": "storage left unattended",
        "storage-unlocked": "storage not locked",
        "answer": "What the record shows: {facts}. What good practice asks: {practice}.",
        "answer-no-facts": "What the analysis found: {rationale} What good practice asks: {practice}.",
        "layer-question": "{name}: {rationale} What would have had to be in place for this layer to hold?",
        "own-part": "Your part: {action}",
        "owners": "Owned by: {roles}",
        "phase-before-the-shoot": "Before the shoot",
        "phase-start-of-day": "At the start of each day",
        "phase-during-the-work": "During the work",
        "phase-after-the-work": "After the work, or if something goes wrong",
        "sign-off": "Name|Role|Date|Signature",
        "sign-off-line": "Signed off ({phase})",
        "no-questions": "The analysis found no layer that did not hold, so there are no questions about this case.",
        "all-held": "Every layer held, or the record lacks the facts to tell.",
        "none-held": "None: no layer held.",
        "had-it-held": "Had this layer held, it could have stopped the hazard.",
        "also-under": "as under \u2018{layer}\u2019",
        "pack-blame-note": "This pack describes acts and conditions on sets, not the guilt of anyone. It puts first "
                           "the safeguard layers that did not hold most often among the cases with the facts to "
                           "tell, each with its lesson once.",
        "pack-not-held": "Layers that did not hold: {layers}.",
        "pack-none-not-held": "Every layer held, or the record lacks the facts to tell.",
        "pack-layer-cases": "{layer} did not hold in: {cases}.",
        "pack-case-state": "{title} ({state})",
        "pack-group": "{protocol}: {cases}",
        "pack-no-failures": "No layer failed in any of the cases.",
        "pack-case-line": "{date} · {event} · {protocol}",
        "footer": "Written by setsafety from the record of this case and the protocol \u2018{protocol}\u2019. "
                  "The facts "
                  "and their wording come from the record; the good practice, standards, actions and checklist "
                  "from the protocol; the questions from what the analysis found.",
        "custody-caption": "Each mark is one step in the weapon's chain of custody, in order: what was done, by whom, "
                           "with what check, and when. Red marks are steps where the analysis found a problem, "
                           "named under the mark; a question mark flags a step the sources dispute; a red box "
                           "holds problems of storage that no single step shows.",
        "disputed-mark": "disputed in the sources",
        "count": "did not hold in {n} of {m} {cases} with the facts to tell",
        "count-held": "held in every case with the facts to tell ({m})",
        "count-none": "no case has the facts to tell",
        "count-unknown": "{k} {cases} without the facts",
        "case": "case",
        "cases": "cases",
        "count-note": "A layer is counted only in the cases whose records have the facts to tell whether it "
                      "held; a layer a record cannot tell about is never counted as held, and a layer that "
                      "does not apply is left out.",
        "followed": "The record follows the position marked with a star.",
        "followed-none": "The record follows none of the positions.",
        "standard-again": "The same provision as under “{layer}”.",
        "response-joined": "{warning}; {response}",
        "response-joined-sentence": "{warning} {response}.",
    },
    # a court case in one line
    "court": {
        "civil-brought": "{kind} case brought by {plaintiffs} against {against}",
        "concerning": "{kind} case concerning {parties}",
        "charge": "; charge: {charge}",
        "claim": "; claim: {charge}",
        "court": "; court: {court}",
    },
    # a source in one line
    "sources": {
        "line": "{text} ({kind})",
        "official": ", official",
        "missing": "not in the record's source list",
    },
    # a custody issue's kind in a few words (figures, headings)
    "issue-kinds": {
        "unverified-handover": "hand-over not verified",
        "unattended": "left unattended",
        "gap": "nobody known to hold it",
        "unqualified-custodian": "held outside the weapons staff",
        "no-inspection-after-break": "not checked again after a break",
    },
    "issues": {
        "unverified-handover": "[{by} ]handed {item} to {to} with {level:check}",
        "unattended": "{item} unattended from {start}[ until {until}]",
        "gap": "[{by} ]handed {item} over, but the chain does not show anyone taking it after it was set down",
        "unqualified-custodian": "{holder}, outside the weapons staff, held {item}",
        "no-inspection-after-break": "{item} was last checked by the weapons staff ({level:check}) before "
                                     "{breaks:break/breaks}, and not checked again before use",
    },
}

#: How much record text a sentence quotes before it is shortened (at a word boundary).
TEXT_LIMIT = 200


# --- speaking of parties ----------------------------------------------------------


class Speaker(Protocol):
    """How a reader is told who a party is."""

    #: Whether a sentence that starts with a party's label may take a capital (role words may;
    #: names and ids are kept as they are).
    capitalize: bool

    def party(self, party_id: str) -> str:
        """How this reader is told of one party."""


class Names:
    """Parties by the record's names (their ids where a record is anonymised): for the CLI and
    researchers."""

    capitalize = False

    def __init__(self, record: m.Record) -> None:
        self._names = {party.id: party.name or party.id for party in record.people or ()}

    def party(self, party_id: str) -> str:
        """The party's name, or its id."""
        return self._names.get(party_id, party_id)


def humanize(slug: str) -> str:
    """An enumerated value as words: ``first-ad`` -> ``first AD``, ``not-done`` -> ``not done``."""
    return " ".join("AD" if word == "ad" else word for word in slug.split("-"))


def join_words(items: Iterable[str], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c`` (or ``or``)."""
    found = [item for item in items if item]
    if len(found) < 2:
        return "".join(found)
    return ", ".join(found[:-1]) + f" {last} " + found[-1]


def one_line(text: object) -> str:
    """A value as one tidy line: control characters dropped, whitespace collapsed."""
    return " ".join(strip_controls(str(text)).split())


def shorten(text: str, limit: int = TEXT_LIMIT) -> str:
    """Text on one line, shortened at a word boundary (never inside a word) if longer than ``limit``."""
    line = one_line(text)
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")].rstrip(",;:")
        return cut + "\u2026"
    return line  # one long word: kept whole rather than cut inside it


def factor_words(code: str) -> str:
    """A contributing factor's code in words: ``custody.handed-over.glance`` -> ``custody: handed over, glance``.

    A factor code is the kind of fact and its enumerated values, joined by dots (see
    ``setsafety.analysis.factors``), so its words are those of its parts."""
    kind, _, rest = code.partition(".")
    return f"{humanize(kind)}: " + ", ".join(humanize(part) for part in rest.split(".")) if rest else humanize(kind)


def when_text(when: m.When | None, *, nested: bool = False) -> str:
    """A time as the record gives it: ``2021-10-21 13:46``, ``about 2021-10 (after the lunch break)``,
    or an undated moment by its label; ``nested`` (for text already in brackets) gives the label after
    a comma: ``2022-10-27, final report``."""
    if when is None:
        return "date not recorded"
    if when.date is None:
        return one_line(when.label) if when.label else "date not recorded"
    text = when.date + (f" {when.time}" if when.time else "")
    if when.precision == "approximate":
        text = f"about {text}"
    if when.label:
        text += f", {one_line(when.label)}" if nested else f" ({one_line(when.label)})"
    return text


def _role_words(role: m.Role) -> str:
    return one_line(role.title) if role.title else humanize(role.role)


def _article(words: str) -> str:
    return ("an " if words[:1].lower() in "aeiou" else "a ") + words


def _day(when: m.When | None) -> str | None:
    """The date of a moment as ``YYYY-MM-DD`` prefix text (``None`` if undated)."""
    return when.date if when is not None and when.date else None


def held_at(role: m.Role, event: m.When | None) -> bool:
    """Whether a role was held at the time of the event: not one taken on later (``timing``
    ``after-event``, or ``since`` a date after the event's day) nor one left before it (``before-event``,
    or ``until`` a date before the event's day). Dates are compared as far as both are given."""
    if role.timing in ("after-event", "before-event"):
        return False
    day = _day(event)
    since, until = _day(role.since), _day(role.until)
    if role.since is not None and role.since.relative == "after-event":
        return False
    if role.until is not None and role.until.relative == "before-event":
        return False
    if day is not None:
        if since is not None and since[: len(day)] > day[: len(since)]:
            return False
        if until is not None and until[: len(day)] < day[: len(until)]:
            return False
    return True


class Roles:
    """People by the role they held at the time of the event ("the armorer"), organisations and
    groups by the record's name for them, items in words ("the weapon", "the dummy rounds"): for crew
    lessons. Naming people is for courts; the role is what a reader on another set can act on.

    A role taken on after the event (a credit given under a settlement) or left before it never
    labels a person: someone who held no role at the time is "a person who later became the
    executive producer", or "a person outside the production"."""

    capitalize = True

    def __init__(self, record: m.Record) -> None:
        event = record.incident.when if record.incident else None
        persons = [party for party in record.people or () if party.kind == "person"]
        held = {party.id: tuple(role for role in party.roles or () if held_at(role, event))
                for party in record.people or ()}
        first = Counter(_role_words(held[party.id][0]) for party in persons if held[party.id])
        every = Counter(join_words(_role_words(role) for role in held[party.id])
                        for party in persons if held[party.id])
        self._labels = {party.id: self._label(party, held[party.id], first, every) for party in record.people or ()}
        self._items = _item_labels(record)

    @staticmethod
    def _label(party: m.Party, roles: tuple[m.Role, ...], first: Counter[str], every: Counter[str]) -> str:
        if party.kind == "organisation":
            return one_line(party.name or humanize(party.id))
        if party.kind == "person" and not roles:
            later = [role for role in party.roles or () if role.timing == "after-event"
                     or (role.since is not None and role.since.relative == "after-event")]
            earlier = [role for role in party.roles or () if role not in later]
            if later:
                return CATALOGUE["people"]["later-role"].format(role=_role_words(later[0]))
            if earlier:
                return CATALOGUE["people"]["earlier-role"].format(role=_role_words(earlier[0]))
            return CATALOGUE["people"]["no-role"]
        if roles:
            main = _role_words(roles[0])
            if first[main] == 1:
                return f"the {main}"
            combined = join_words(_role_words(role) for role in roles)
            if len(roles) > 1 and every[combined] == 1:
                return f"the {combined}"
            return _article(main)
        if party.kind == "group" and party.name:
            return one_line(party.name)
        if party.kind == "group":
            return CATALOGUE["people"]["group"]
        return CATALOGUE["people"]["no-role"]

    def party(self, party_id: str) -> str:
        """How a lesson refers to a party: its role for a person, its name for an organisation."""
        return self._labels.get(party_id, CATALOGUE["people"]["unknown"])

    def item(self, item_id: str) -> str:
        """How a lesson refers to an item: "the weapon", "the dummy rounds", "the camera car"."""
        return self._items.get(item_id, CATALOGUE["items"]["unknown"])

    def label(self, party_id: str | None) -> str:
        """The label of a party, or "nobody recorded"."""
        return "nobody recorded" if party_id is None else self.party(party_id)

    def labels(self, party_ids: Iterable[str] | None) -> tuple[str, ...]:
        """The labels of several parties, in order."""
        return tuple(self.party(party_id) for party_id in party_ids or ())


def _item_labels(record: m.Record) -> dict[str, str]:
    """Every item of the record in words: the weapon of the event is "the weapon"; other items by
    their kind ("the dummy rounds", "the camera car"), "another ..." where a kind repeats."""
    words = CATALOGUE["items"]
    involved = set(record.incident.items or ()) if record.incident else set()
    kinds: list[tuple[str, str]] = []
    weapons = list(record.weapons or ())
    used = [weapon for weapon in weapons if weapon.id in involved]
    for weapon in weapons:
        if (len(used) == 1 and weapon is used[0]) or len(weapons) == 1:
            kinds.append((weapon.id, words["event-weapon"]))
        else:
            kinds.append((weapon.id, WORDS["weapon-kind"].get(weapon.kind, words["weapon"])))
    kinds += [(lot.id, WORDS["ammunition-kind"].get(lot.kind, words["rounds"])) for lot in record.ammunition or ()]
    kinds += [(item.id, WORDS["equipment"].get(item.kind) or humanize(item.kind)) for item in record.equipment or ()]
    kinds = [(item_id, words["equipment"] if noun == "other" else noun) for item_id, noun in kinds]
    kinds += [(store.id, words["storage"]) for store in record.storage or ()]
    seen: Counter[str] = Counter()
    first: dict[str, str] = {}
    labels: dict[str, str] = {}
    # the items of the event take "the" before others of their kind
    for item_id, noun in sorted(kinds, key=lambda pair: pair[0] not in involved):
        seen[noun] += 1
        if seen[noun] == 1:
            first[noun] = item_id
            labels[item_id] = words["the"].format(noun=noun)
        else:
            labels[item_id] = words["another"].format(noun=noun)
    return labels


# --- filling templates ----------------------------------------------------------------

_FORMATTER = string.Formatter()


#: The template fields that name parties.
_PARTY_FIELDS = frozenset({"by", "to", "holder", "who", "parties"})


class _Missing(Exception):
    """A template field has no value (its optional part is left out)."""


@cache
def template_parts(template: str) -> tuple[tuple[bool, str], ...]:
    """The template as (optional, text) parts: ``[...]`` parts are optional."""
    parts: list[tuple[bool, str]] = []
    rest = template
    while "[" in rest:
        before, _, after = rest.partition("[")
        inside, _, rest = after.partition("]")
        parts += [(False, before), (True, inside)]
    parts.append((False, rest))
    return tuple(part for part in parts if part[1])


@cache
def _fields(part: str) -> tuple[tuple[str, str | None, str], ...]:
    """(literal text, field name, format spec) for each piece of a template part."""
    return tuple((literal, name, spec or "") for literal, name, spec, _ in _FORMATTER.parse(part))


@cache
def _first_field(template: str) -> str:
    """The name of the first field of a template ("" if none)."""
    return next((name for _, name, _ in _fields(template.replace("[", "").replace("]", "")) if name), "")


class Phrasing:
    """Sentences from findings, speaking of parties through ``speaker``."""

    def __init__(self, speaker: Speaker, limit: int | None = TEXT_LIMIT) -> None:
        self.speaker = speaker
        #: How much record text a sentence quotes before it is shortened (``None``: all of it, for
        #: lessons, where a shortened quotation can stop before the fact that matters).
        self.limit = limit

    # fields --------------------------------------------------------------------

    def _item(self, item_id: str) -> str:
        """An item (a weapon, a lot of ammunition, a piece of equipment) as this reader is told of it."""
        speak = getattr(self.speaker, "item", None)
        return str(speak(item_id)) if speak is not None else item_id

    def _field(self, about: About, name: str, spec: str) -> str:
        if name in about.parties:
            return self.speaker.party(about.parties[name])
        if name == "parties":
            if not about.parties:
                raise _Missing(name)
            return join_words(self.speaker.party(party) for party in about.parties.values())
        if name in ("item", "items"):
            if not about.items:
                raise _Missing(name)
            return self._item(about.items[0]) if name == "item" else join_words(map(self._item, about.items))
        if name == "tally":
            parts = [WORDS["tally"][key].format(n=about.counts[key]) for key in WORDS["tally"]
                     if about.counts.get(key)]
            if not parts:
                raise _Missing(name)
            return join_words(parts)
        if name in about.counts:
            count = about.counts[name]
            if spec.startswith("+"):  # a count that is said only when it is not zero
                if not count:
                    raise _Missing(name)
                spec = spec[1:]
            if "/" in spec:
                one, many = spec.split("/", 1)
                return f"{count} {one if count == 1 else many}"
            return str(count)
        if name in about.values:
            return self._value(name, about.values[name], spec)
        raise _Missing(name)

    def _value(self, name: str, value: str | tuple[str, ...], spec: str) -> str:
        if spec == "hide":
            return ""
        if isinstance(value, tuple):
            last = "or" if spec == "or" or spec.endswith("-or") else "and"
            table = WORDS.get(spec.removesuffix("-or").removesuffix("-and"), {})
            return join_words((table.get(item) or humanize(item) for item in value), last)
        if name in ("text", "place", "announcement", "label"):
            return shorten(value, self.limit) if self.limit is not None else one_line(value)
        table = WORDS.get(spec, {})
        return table.get(value) or (humanize(value) if name not in ("date", "distance", "storage") else value)

    def fill(self, template: str, about: About) -> str:
        """A template filled from what a finding concerns; optional parts without values are left out."""
        out = []
        for optional, part in template_parts(template):
            try:
                out.append(self._format(part, about))
            except _Missing:
                if not optional:
                    raise
        return "".join(out)

    def _format(self, part: str, about: About) -> str:
        text = []
        for literal, name, spec in _fields(part):
            text.append(literal)
            if name is not None:
                text.append(self._field(about, name, spec))
        return "".join(text)

    def _starts_capitalizable(self, template: str) -> bool:
        """Whether a sentence that starts with this template may take a capital: it starts with
        words (or the words for a value), or with a party whom this reader names by role; never
        with an id or a name."""
        if not template.startswith(("{", "[")):
            return True
        first = _first_field(template)
        if first in ("item", "items"):
            return self.speaker.capitalize
        if first in ("date", "text", "place"):
            return False
        return self.speaker.capitalize or first not in _PARTY_FIELDS

    def phrase(self, section: str, about: About) -> str:
        """The words for one finding of a section of the catalogue (``reasons``, ``evidence``, ``issues``).

        A code without a template, or whose template needs a value the finding lacks, is said as
        the code itself rather than as a broken sentence (``tests/test_phrasing.py`` keeps there
        being none)."""
        template = CATALOGUE[section].get(about.code)
        if template is None:
            return about.code
        try:
            return self.fill(template, about)
        except _Missing:
            return about.code

    # sentences ------------------------------------------------------------------------

    def reason(self, reason: Reason) -> str:
        """One reason, as a clause."""
        return self.phrase("reasons", reason)

    def evidence(self, item: Evidence) -> str:
        """What one cited fact shows."""
        return self._lead("evidence", item)

    def issue(self, issue: About) -> str:
        """One custody issue."""
        return self._lead("issues", issue)

    def _lead(self, section: str, about: About) -> str:
        """A phrase that starts with a capital where it starts with a party named by role."""
        text = self.phrase(section, about)
        template = CATALOGUE[section].get(about.code, "")
        first = _first_field(template)
        if template.startswith(("{", "[")) and first in (*_PARTY_FIELDS, "item", "items") and self.speaker.capitalize:
            return text[:1].upper() + text[1:]
        return text

    def rationale(self, state: State, reasons: Iterable[Reason]) -> str:
        """Why a layer is in its state, as one sentence: its reasons in order (for a layer that did not
        hold, those against it, with the context), joined and capitalised."""
        shown = [reason for reason in reasons
                 if state not in NOT_HELD or reason.state is None or reason.state in NOT_HELD
                 or reason.state == "unknown" or reason.softens]
        clauses: list[tuple[str, bool]] = []
        seen: set[str] = set()
        for reason in shown:
            text = self.reason(reason)
            if text and text not in seen:
                seen.add(text)
                template = CATALOGUE["reasons"].get(reason.code, "")
                clauses.append((text, self._starts_capitalizable(template)))
        if not clauses:
            return ""
        sentence = clauses[0][0]
        for (previous, _), (text, _) in itertools.pairwise(clauses):
            sentence += (" " if previous.endswith(":") else "; ") + text
        if clauses[0][1]:
            sentence = sentence[:1].upper() + sentence[1:]
        return sentence.rstrip(":") + "."


#: Per class of finding, the fields its JSON form gives (all but the fact it cites).
_JSON_FIELDS: dict[type, tuple[str, ...]] = {}


def _json_fields(cls: type) -> tuple[str, ...]:
    found = _JSON_FIELDS.get(cls)
    if found is None:
        found = _JSON_FIELDS[cls] = tuple(field.name for field in attrs.fields(cls) if field.name != "fact")
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def as_json(about: About, text: str) -> dict[str, Any]:
    """A reason, evidence or issue as JSON: its code, what it concerns, and its words."""
    data = {name: _plain(getattr(about, name)) for name in _json_fields(type(about))}
    data["text"] = text
    return data


# --- the training kit (setsafety.kit) ----------------------------------------------------------
# Every word of the handout, slides, facilitator's plan and quiz that does not come from the record
# or the protocol. Fields are ``str.format`` fields, filled with text that is already cleaned.

#: The kit's words, by key.
KIT: dict[str, str] = {
    # shared
    "naming": "People are named by the role they held at the time of the event; the record's own summary "
              "is quoted in its authors' words.",
    "blame": "This describes acts and conditions on the set, not anyone's guilt.",
    "state-line": "{state}: {meaning}",
    "stopper": "Had this layer held, it could have stopped the hazard.",
    "stopper-short": "Could have stopped the hazard.",
    "stopper-named": "Had “{name}” held, it could have stopped the hazard.",
    "audience": "for {audience}",
    "when-where": "{when} · {activity}",
    "when-where-place": "{when} · {activity} · {place}",
    "harmed": "{who}: {severity}",
    "harmed-count": "{line} ({n} people)",
    "fictional": "Fictional record: nothing in it happened; it is here to learn the format.",
    "meta": "{date} · {event_kind}",
    "meta-production": "{date} · {event_kind} · {production}",
    "more-in-lesson": "Every fact, with its source, is in the full lesson.",
    "more-in-lesson-urls": "Every fact, with its source and the source's web address, is in the full lesson.",
    "followed-position": "the record follows: {claim}",
    "no-position-followed": "the record follows none of the positions",
    "certainty.alleged": "alleged by a party",
    "certainty.disputed": "disputed",
    "certainty.undetermined": "not determined",
    "certainty.reported": "reported, not officially established",
    "source-line": "{title}",
    "source-line-by": "{publisher}: {title}",
    "official": "official",
    "none-held": "Every layer held, or the record lacks the facts to tell.",
    "draft": "Draft record: its facts have not yet been checked again against every source. Use it for "
             "discussion; check a fact in the full lesson before you rely on it.",
    "thin": "The sources do not say enough to judge most of the safeguard layers: use this case for "
            "discussion, not as a layer-by-layer analysis.",
    "legend": "What the states mean",
    "legend-line": "{state}: {meaning}",
    "more-items": "and {n} more {things}; see the full lesson",
    "things.layers": "layers",
    "things.warnings": "warnings",
    "things.checks": "checks",
    "things.problems": "problems",
    "things.lines": "points",
    "certain": "{text} ({certainty}).",
    "layer-doubt.all": "This rests on facts that are {certainty}.",
    "layer-doubt.some": "Some of the facts behind this are {certainty}.",
    # the handout
    "handout.kicker": "Safety handout · for {audience}",
    "handout.title": "Handout: {title}",
    "handout.what-happened": "What happened",
    "handout.layers": "The safeguard layers",
    "handout.figure-label": "The safeguard layers of this case, one slice each, and the hazard's path through them",
    "handout.figure-caption": "One slice per safeguard layer, in the protocol's order; holes mark layers that "
                              "did not hold.",
    "handout.not-held": "Layers that did not hold",
    "handout.what-went-wrong": "What went wrong",
    "handout.you-can": "What you can do",
    "handout.questions": "Three questions",
    "handout.findings": "What investigators found",
    "handout.certainty": "How certain the facts are",
    "handout.all-established": "The facts this handout rests on are established or reported by credible sources.",
    "handout.sources": "Where the facts come from",
    "handout.footer": "Made with setsafety from the incident record and the {protocol}.",
    # the lesson and the index
    "index.title": "Training kit",
    "index.intro": "One folder per case. Print the handout for each person; show the slides; the facilitator's "
                   "plan has the timings and the answers.",
    "index.case": "{title} ({date})",
    "index.protocol": "{title}: {protocol}",
    "index.audience": "Written for {audience}.",
    "file.handout": "Handout (two printed pages)",
    "file.lesson": "Full lesson",
    "file.slides": "Slides",
    "file.facilitator": "Facilitator's plan",
    "file.quiz": "Quiz",
    "file.quiz-print": "Quiz, to print",
    # the slides
    "slides.kicker": "Safety lesson for {audience}",
    "slides.story": "What happened",
    "slides.layers": "The safeguard layers",
    "slides.layer-title": "{number}. {name}: {state}",
    "label.went-wrong": "What went wrong:",
    "label.good-practice": "Good practice:",
    "label.you-can": "What you can do:",
    "label.standard": "Standards:",
    "label.checklist": "What to check:",
    "slides.questions": "Questions",
    "slides.checklist": "Checklist",
    "slides.checklist-part": "Checklist ({n} of {of})",
    "slides.checklist-section": "Checklist: {title}",
    "slides.checklist-section-part": "Checklist: {title} ({n} of {of})",
    "slides.hazard": "hazard",
    "slides.notes-answer": "Answer for the facilitator: {text}",
    "slides.notes-story": "Tell the story in about ten minutes. Read the summary aloud, then the event.",
    "slides.notes-layers": "Walk through the layers from left to right. {count}",
    "slides.notes-checklist": "Go through the checklist together; ask who on this crew owns each item of: {layers}.",
    "slides.legend": "{state}: {meaning}",
    "slides.not-held-count.one": "One layer did not hold.",
    "slides.not-held-count.many": "{n} layers did not hold.",
    "slides.not-held-count.none": "No layer is known not to have held.",
    "slides.part": "{title} ({n} of {of})",
    "slides.key-line": "{number}. {name} \u2013",
    "slides.notes-key": "The figure's key names each numbered slice and its state; the colours follow the states.",
    "slides.notes-layer-slide": "The slide gives the first reason, the first sentence of good practice and what "
                                "this audience can do; the rest is below.",
    "slides.notes-went-wrong": "What went wrong, in full: {text}",
    "slides.notes-good-practice": "Good practice, in full: {text}",
    "slides.notes-you-can": "What you can do, in full: {text}",
    "slides.notes-finding": "{body} found: {text} The analysis, on \u201c{name}\u201d: {agreement}.",
    "slides.notes-story-more": "The story, part {n}: read it on, then take questions about facts, not verdicts.",
    "slides.findings": "What investigators found",
    "slides.finding": "{text} ({body}; {agreement})",
    "slides.finding-no-layer": "{text} ({body})",
    "slides.agreement.agrees": "the analysis agrees",
    "slides.agreement.disagrees": "the analysis differs",
    "slides.agreement.cannot-tell": "the analysis cannot compare",
    "slides.notes-findings": "Read each finding aloud with who made it, and say whether the analysis of the "
                             "recorded facts agrees. Every finding:",
    "slides.disputes": "Where the sources differ",
    "slides.notes-disputes": "Say that the sources differ, give each position in a sentence, and move on; the "
                             "session does not settle it.",
    "slides.notes-dispute": "{question} The positions:",
    "slides.closing": "What will you do differently on Monday?",
    "slides.notes-closing": "Ask each person to name one thing they will do differently on their next shooting "
                            "day, in their own role. The points on the slide are what this audience can do at "
                            "the layers that did not hold.",
    # the facilitator's plan
    "facilitator.title": "Facilitator's plan: {title}",
    "facilitator.intro": "A 90-minute session for {audience}. Print the handout for everyone beforehand and "
                         "open the slides. The answers below come from the record's facts and the protocol.",
    "facilitator.plan": "The plan",
    "facilitator.minutes": "{start}–{end} min",
    "facilitator.step.welcome": "Welcome; say how people are named and that the session is about acts and "
                                "conditions, not blame.",
    "facilitator.step.story": "The story: read what happened aloud; let people ask about facts, not verdicts.",
    "facilitator.step.layers": "The layers: show the figure, then one slide per layer that did not hold.",
    "facilitator.step.discussion": "Discussion: the three questions on the handout, in small groups, then "
                                   "together.",
    "facilitator.step.actions": "What you can do: the actions for this audience and the checklist.",
    "facilitator.step.quiz": "Quiz: ten minutes alone, then go through the answers.",
    "facilitator.step.close": "Close: what investigators found (the section below), how certain the facts "
                              "are, where they come from.",
    "facilitator.per-layer": "About {minutes} min per layer.",
    "facilitator.detail": "In detail, about {minutes} min each: {layers}.",
    "facilitator.skim": "Name the others in a line each: {layers}.",
    "facilitator.wellbeing": "Before you start: someone died in this case, and people in the room may have "
                             "known those involved. Say so at the start, say that anyone may step out at any "
                             "time, keep to what was done rather than who was to blame, and be available "
                             "afterwards.",
    "facilitator.running": "Running the session",
    "facilitator.groups": "Groups: three to five people each; give each group one of the three questions; ten "
                          "minutes to talk, then two minutes per group to report back to everyone.",
    "facilitator.disputed-point": "When a disputed point comes up: say that the sources differ, give each "
                                  "position in a sentence (below), and move on; the session does not settle it.",
    "facilitator.disputes": "Where the sources differ: the positions",
    "facilitator.finding": "{body}: {text}",
    "facilitator.finding-analysis": "The analysis: {rows}.",
    "facilitator.finding-layer": "{name} ({state}): {agreement}",
    "agreement.agrees": "agrees",
    "agreement.disagrees": "comes to a different state",
    "agreement.cannot-tell": "cannot compare",
    "things.findings": "findings",
    "facilitator.sources-more": "The full list of sources is in the full lesson (lesson.html).",
    "facilitator.layers": "The layers, with what to say",
    "facilitator.questions": "The questions, with answers",
    "facilitator.question": "Question {n}",
    "facilitator.layer": "{number}. {name}: {state} ({meaning})",
    "facilitator.checklist-layer": "{name} ({state}):",
    "facilitator.answer": "Answer",
    "facilitator.good-practice": "Good practice",
    "facilitator.certainty": "Facts to present with care",
    "facilitator.findings": "What investigators found",
    "facilitator.checklist": "The checklist",
    "facilitator.sources": "Sources",
    # the quiz
    "quiz.title": "Quiz: {title}",
    "quiz.intro": "Answer from what you heard and read in the session. The answers start on a new page after "
                  "the questions.",
    "quiz.which-not-held.one": "Which safeguard layer did not hold?",
    "quiz.check.many": "Which required checks were not done?",
    "quiz.warning.one": "What warning came before the event, and what was done about it?",
    "quiz.you-can": "At the layer \u201c{name}\u201d, what can you do in your own role?",
    "quiz.dispute-positions": "The sources differ on this: \u201c{question}\u201d What are the positions?",
    "quiz.position": "{claim} (held by {by})",
    "quiz.position-anonymous": "{claim}",
    "quiz.who-handled-disputed": "Disputed: the sources differ on who handed it over. The record's account: "
                                 "{by} handed it to {holder} ({when}).",
    "quiz.finding-certain": "{text} ({certainty})",
    "quiz.answers": "Answers",
    "quiz.question": "Question {n}",
    "quiz.layer-state": "What happened at the layer \u201c{name}\u201d?",
    "quiz.layer-state-answer": "It {state_words}. {text}",
    "quiz.which-not-held": "Which safeguard layers did not hold?",
    "quiz.stoppers": "Which layers would each, on their own, have stopped the hazard, had they held?",
    "quiz.harmed": "Who was hurt, and how badly?",
    "quiz.custody": "What went wrong with the weapon's chain of custody?",
    "quiz.warning": "What warnings came before the event, and what was done about them?",
    "quiz.check": "Which required check was not done?",
    "quiz.who-handled": "Who handed the weapon over right before it was used, and to whom?",
    "quiz.who-handled-answer": "{by} handed it to {holder} ({when}).",
    "quiz.dispute": "On what do the sources disagree?",
    "quiz.good-practice": "What does good practice say about \u201c{name}\u201d?",
    "quiz.findings": "What did {body} find?",
    "findings.none": "The record has no official findings of an investigation, a regulator or a court.",
    "findings.count.one": "One official finding, by {bodies}.",
    "findings.count.many": "{n} official findings, by {bodies}.",
    "findings.agrees": "The analysis of the recorded facts agrees with them on {layers}.",
    "findings.disagrees": "It comes to a different state on {layers}.",
    "findings.cannot-tell": "On {layers}, the two cannot be compared; the full lesson says why.",
    "findings.no-layers": "None of them names a safeguard layer, so the analysis has nothing to compare.",
    "handout.reported-note": "Facts marked reported rest on credible sources, not on an official record; the full "
                             "lesson marks each one.",
}

#: The kit's plain words for each state, and what each means in one line (the kit's legend).
KIT_STATES: dict[str, tuple[str, str]] = {
    "held": ("worked", "it was in place and did its job"),
    "degraded": ("partly in place", "it was there, but only in part or done badly"),
    "failed": ("in place, did not stop it", "it was in place, and the hazard got through anyway"),
    "skipped": ("not done", "it was required or planned, and not done"),
    "absent": ("never provided for", "nobody had provided for it at all"),
    "unknown": ("sources don't say", "the sources do not say; this is not a finding that it was fine, "
                                     "nor that it was missing"),
    "not-applicable": ("does not apply", "it has no part in this kind of event"),
}

#: How a state reads after "It" in a sentence ("It was skipped.").
KIT_STATE_VERBS: dict[str, str] = {
    "held": "held", "degraded": "was done only partly or badly",
    "failed": "was in place and did not stop the hazard", "skipped": "was required or planned, and not done",
    "absent": "was never provided for", "unknown": "is something the sources do not tell",
    "not-applicable": "does not apply",
}
