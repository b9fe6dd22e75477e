"""Whom a claim is attributed to: the speaker a sentence names (tracker.extract.speakers),
read against who the article has named so far.
"""

from __future__ import annotations

import re

from tracker.extract.names import is_person, leading_name, organisation
from tracker.extract.speakers import Speaker, person_named, role_of

_PRONOUNS = {"he", "she", "him", "her"}
_ROLE_BEFORE = re.compile(
    r"\b(?P<role>tipster|leaker|analyst)s? (?P<who>[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)*)"
)


class Attribution:
    """Who was named so far: whom "the company", "he" and "Brandt" mean, and who relays or
    predicts rather than speaks for a company: a tipster (whose word is a rumour however it
    is phrased), an analyst, an outlet."""

    def __init__(self, fallback: str | None, company: str | None = None):
        self.fallback = fallback
        # The company whose press release this is: who says what nobody else is named for.
        self.publisher = Speaker("named", company, (0, 0), "press release") if company else None
        self.person: str | None = None
        self.org: str | None = company
        self.names: list[str] = [company] if company else []  # full names, latest last
        self.roles: dict[str, str] = {}  # full name: tipster, analyst or outlet

    def saw(self, sentence: str, speaker: Speaker | None, heading: bool) -> None:
        if person := person_named(sentence):
            self.person = person
            self.names.append(person)
        for m in _ROLE_BEFORE.finditer(sentence):
            self.roles[m["who"]] = role_of(m["role"]) or "tipster"
            self.names.append(m["who"])
        if not heading and (leading := leading_name(sentence)):
            self.org = leading
            self.names.append(leading)
        if speaker is not None and speaker.kind == "named":
            name = self.full(speaker.name)
            self.names.append(name)
            if speaker.role:
                self.roles[name] = speaker.role
            if is_person(name):
                self.person = name
            elif name not in self.roles:  # an outlet or a research firm is not "the company"
                self.org = name

    def full(self, name: str) -> str:
        """ "Voss" as the "Anna Voss" named before, "Kettle" as "Studio Kettle"."""
        if " " in name:
            return name
        for known in reversed(self.names):
            words = known.split()
            if len(words) > 1 and name in (words[0], words[-1]):
                return known
        return name

    def role(self, speaker: Speaker) -> str | None:
        return speaker.role or self.roles.get(self.full(speaker.name))

    def source(self, sentence: str, speaker: Speaker | None) -> str | None:
        if speaker is None or speaker.kind == "unnamed":
            return self.fallback
        if speaker.kind == "named":
            return self.full(speaker.name)
        if speaker.name.lower() in _PRONOUNS:
            return self.person or self.org or self.fallback
        # "the company": the one this sentence opens with ("Samsung will ..., the company
        # said"), else the one named last.
        return organisation(sentence) or self.org or self.fallback
