"""People by their role on the production, not by name.

A lesson speaks of "the armorer" and "the first assistant director", never of
named people: the role is what a reader on another set can act on, and naming
people is for courts. Organisations keep their names. The record's own text
fields are left as their authors wrote them; only the phrases the analyzers
build around party names (``"<name> handed <item> to <name>"``) are rewritten.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from setsafety.lessons._text import clean, humanize, join_words
from setsafety.model import record as m

#: Where a label starts a sentence and so takes a capital.
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)$")


def _role_words(role: m.Role) -> str:
    return clean(role.title) if role.title else humanize(role.role)


def _article(words: str) -> str:
    return ("an " if words[:1].lower() in "aeiou" else "a ") + words


class People:
    """Role labels for the parties of one record, and prose rewritten with them."""

    def __init__(self, record: m.Record) -> None:
        self._labels: dict[str, str] = {}
        persons = [party for party in record.people or () if party.kind == "person"]
        first = Counter(_role_words(party.roles[0]) for party in persons if party.roles)
        every = Counter(join_words(_role_words(role) for role in party.roles)
                        for party in persons if party.roles)
        for party in record.people or ():
            self._labels[party.id] = self._label(party, first, every)
        # The words the analyzers used for each party (its name, or its id if unnamed),
        # longest first so that a longer name is replaced before any name inside it.
        spoken = {(party.name or party.id): self._labels[party.id] for party in record.people or ()
                  if party.kind == "person"}
        self._spoken = sorted(spoken.items(), key=lambda item: (-len(item[0]), item[0]))
        self._pattern = re.compile(
            "|".join(
                r"(?<![\w-])" + f"[{re.escape(said[0].upper())}{re.escape(said[0].lower())}]"
                + re.escape(said[1:]) + r"(?![\w-])"
                for said, _ in self._spoken if said
            )
        ) if self._spoken else None
        self._by_spoken = {said.lower(): label for said, label in self._spoken}

    @staticmethod
    def _label(party: m.Party, first: Counter[str], every: Counter[str]) -> str:
        if party.kind == "organisation":
            return clean(party.name or humanize(party.id))
        if party.roles:
            main = _role_words(party.roles[0])
            if first[main] == 1:
                return f"the {main}"
            combined = join_words(_role_words(role) for role in party.roles)
            if len(party.roles) > 1 and every[combined] == 1:
                return f"the {combined}"
            return _article(main)
        if party.affiliation:
            return clean(party.affiliation)
        return "a person named in the record"

    def label(self, party_id: str | None) -> str:
        """How the lesson refers to a party: its role for a person, its name for an organisation."""
        if party_id is None:
            return "nobody recorded"
        return self._labels.get(party_id, humanize(party_id))

    def labels(self, party_ids: Iterable[str] | None) -> tuple[str, ...]:
        """The labels of several parties, in order."""
        return tuple(self.label(party_id) for party_id in party_ids or ())

    def neutral(self, text: str) -> str:
        """Analyzer prose with every person's name (or id) replaced by their role."""
        line = clean(text)
        if self._pattern is None:
            return line

        def replace(match: re.Match[str]) -> str:
            label = self._by_spoken[match.group(0).lower()]
            if _SENTENCE_START.search(line[: match.start()]):
                return label[:1].upper() + label[1:]
            return label

        return self._pattern.sub(replace, line)
