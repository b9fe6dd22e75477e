"""Who makes a statement: "Xiaomi said", "according to Qualcomm", "Qualcomm's press
statement", a quotation's "...,” Lei Jun said", or nobody named ("people familiar with the
matter", "sources say").

A speaker is `named` (a capitalised name), `unnamed` (anonymous sources: a rumour),
`generic` ("the company", "he", "a spokesperson": whoever was named last), or None when
the sentence is attributed to no one. `span` is the attribution's place in the sentence,
so the claim's text can leave it out. A named speaker's `role` says whether it speaks for
itself: an `outlet` ("according to a report from The Information", "Bloomberg reports"), an
`analyst` ("analyst Jeff Pu", "research firm TrendForce") or a `tipster` only relays or
predicts what a company will do; None is the company, its people, or someone unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SAY = (
    r"said|says|say|told|tells|added|adds|wrote|writes|announced|announces|confirmed|confirms"
    r"|claims|claimed|claim|stated|noted|explained|insisted|promised|revealed|disclosed|reported"
    r"|reports"
)
_NAME_WORD = r"(?:[A-Z][\w&’'.-]*|&|de|van|von|of(?= [A-Z]))\b"
_NAME = rf"[A-Z][\w&’'.-]*(?: {_NAME_WORD})*"
# Titles and jobs standing before a name: "Chief Financial Officer Dana Whitfield".
_ROLES = {
    "chief", "executive", "financial", "technology", "technical", "operating", "officer",
    "president", "vice", "ceo", "cfo", "cto", "coo", "founder", "chairman", "chairwoman",
    "director", "head", "lead", "senior", "analyst", "tipster", "leaker", "spokesperson",
    "spokesman", "spokeswoman", "dr.", "mr.", "mrs.", "ms.", "prof.", "professor", "engineer",
    "maintainer", "creative", "product", "manager", "general", "counsel", "minister",
    "secretary", "publisher", "developer", "prolific", "reliable", "well-known", "noted",
    "industry", "insider", "reporter", "journalist", "the", "a", "an", "in", "and", "but",
}  # fmt: skip
_TITLES = {"ceo", "cfo", "cto", "coo", "president", "chairman", "chairwoman", "founder",
           "spokesperson", "spokesman", "spokeswoman", "analyst", "tipster", "leaker"}  # fmt: skip
_GENERIC = re.compile(
    r"(?:the|a|an|its|our|their) (?:\w+ ){0,2}(?:company|companies|carrier|studio|firm|maker"
    r"|project|maintainers|team|spokesperson|spokesman|spokeswoman|statement|release plan"
    r"|filing|ceo|cfo|chief executive|executive|brand|developer|publisher|group|blog post"
    r"|post|announcement|operator|startup|manufacturer)(?: with regulators)?|he|she|they|it"
    r"|officials|executives",
    re.I,
)
_UNNAMED = re.compile(
    r"(?:\w+ )?(?:people|persons?|sources?|insiders?|those)(?: \w+)? (?:familiar|briefed|close"
    r"|with knowledge|who|say|said|says|told)|(?:\w+ )?(?:sources|insiders)\b"
    r"|(?:the|these|those|both|two|three|several|some|other) (?:people|persons?|insiders?)\b",
    re.I,
)
# Who relays or predicts rather than speaks for itself (see the module's docstring).
_ROLES_OF = [
    ("tipster", re.compile(r"\b(?:tipsters?|leakers?)\b", re.I)),
    ("outlet", re.compile(
        r"\b(?:report|story|scoop|article|reporting) (?:from|by|in)\b|\breported by\b"
        r"|\b(?:newspapers?|newsletters?|publications?|outlets?|magazines?|news sites?"
        r"|reporters?|journalists?|columnists?)\b", re.I)),
    ("analyst", re.compile(
        r"\b(?:analysts?|research(?:ers?)? firms?|market (?:research|tracker)s?|researchers?"
        r"|brokerages?|investment banks?|consultanc(?:y|ies))\b", re.I)),
]  # fmt: skip
# Known by name: news outlets, and firms whose analysts forecast others' products.
_OUTLETS = re.compile(
    r"\b(?:Bloomberg|Reuters|The Information|The Verge|(?:The )?Wall Street Journal|WSJ"
    r"|(?:The )?New York Times|Financial Times|Nikkei(?: Asia)?|DigiTimes|The Elec|ETNews"
    r"|9to5Mac|9to5Google|MacRumors|AppleInsider|TechCrunch|Engadget|CNBC|CNET|Axios"
    r"|Business Insider|Android Authority|Android Police|XDA(?: Developers)?|GSMArena"
    r"|SamMobile|WinFuture|Windows Central|VentureBeat|Eurogamer|VGC|IGN|Kotaku|Wired"
    r"|Ars Technica|The Guardian|Forbes|Korea Herald|Korea Economic Daily)\b"
    r"|\b[A-Z]\w* (?:News|Times|Journal|Herald|Gazette|Tribune|Report|Reports|Insider)\b"
)
_ANALYST_FIRMS = re.compile(
    r"\b(?:TrendForce|Counterpoint|IDC|Canalys|Gartner|Omdia|DSCC|Morgan Stanley|Goldman Sachs"
    r"|JPMorgan|Jefferies|Wedbush|Barclays|Bernstein|Citi|UBS)\b"
    r"|\b[A-Z]\w* (?:Research|Securities|Analytics|Intelligence|Insights|Consulting)\b"
)


@dataclass(frozen=True)
class Speaker:
    kind: str  # named, unnamed or generic
    name: str  # as the sentence writes it (for generic and unnamed, the phrase)
    span: tuple[int, int]  # the attribution's place in the sentence
    verb: str  # the words of attribution: "said", "according to", "press statement"
    role: str | None = None  # outlet, analyst or tipster; None: speaks for itself

    @property
    def framing(self) -> bool:
        """Whether the attribution frames the statement ("X said that ...") and so is not
        part of the claim, unlike "X has announced a partnership", "X's statement listed"."""
        return self.verb not in _CONTENT_VERBS and not re.fullmatch(_INTENDS, self.verb)


_INTENDS = (
    r"(?:plans|intends|aims|expects) to|expects|predicts|estimates|(?:has|have) no plans to"
    r"|(?:does|do) not plan to|(?:doesn|don)[’']t plan to"
)
_CONTENT_VERBS = {
    "announced", "announces", "has announced", "have announced", "confirmed", "confirms",
    "has confirmed", "have confirmed", "statement", "press statement", "joint statement",
    "release", "announcement", "filing", "blog post", "price list", "list",
}  # fmt: skip
_PASSIVE = r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?<!\bbe )(?<!\bbeen )"
_QUOTE_CLOSE = re.compile(
    rf"[”\"]\s*,?\s*(?:(?P<verb1>{_SAY})\s+(?P<who1>[^,”\"]{{1,80}}?)(?=,|[.!?]?$)"
    rf"|(?P<who2>[^”\"]{{1,80}}?)\s+(?P<verb2>{_SAY})\b[^”\"]*$)"
)
_TAIL = re.compile(
    rf",\s+(?:(?P<verb1>{_SAY}) (?P<who1>[^,.]{{1,60}}?)|(?P<who2>[^,]{{1,60}}?) {_PASSIVE}"
    rf"(?P<verb2>{_SAY})|according to (?P<who3>[^,]{{1,60}}?))"
    r"(?: (?:on|in|at|to|during|last|this|without) [^,]*?)?(?=,|[.!?]?[”\"’]?$)"
)
_HEAD = re.compile(
    rf"^(?:(?:In|At) (?:a|an|its|the) [^,]+, )?(?P<who>(?:{_NAME} )?(?:[a-z]+ ){{0,3}}{_NAME}"
    rf"|(?:[Tt]he|[Aa]n?|[Tt]wo|[Tt]hree"
    rf"|[Ss]everal|[Pp]eople|[Ss]ources|He|She|They)\b[\w ]{{0,40}}?)(?:, (?P<role>[^,]+),)?"
    rf"(?: also)? {_PASSIVE}(?P<verb>{_SAY}|(?:has|have) (?:announced|confirmed)|told [^,]+?)"
    r"(?: on \w+day)?(?:(?: (?:in|on|at|during|via|through|to) [^,“”\"]{1,40}?)? that)?\b"
)
# A speaker in apposition: "The company's president, Shuntaro Furukawa, said ...", and
# "..., Jeff Pu, an analyst at Haitong, said."
_PERSON = r"[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)+"
_APPOSED_HEAD = re.compile(
    rf"^(?P<role>[^,]{{3,50}}), (?P<who>{_PERSON}), (?:also )?(?P<verb>{_SAY})(?: that)?\b"
)
_APPOSED_TAIL = re.compile(
    rf", (?P<who>{_PERSON}), (?P<role>[^,]{{3,60}}), (?P<verb>{_SAY})(?=[.!?]?[”\"’]?$)"
)
_CLAUSE = re.compile(
    rf"(?:[,;:] (?:and |but |while )?|\b(?:that|which) )(?P<who>{_NAME}|the \w+)"
    r" (?P<verb>says|said|claims)\b"
)
# The subject's own intention: "Telvia also plans to bring 5G to 40 cities", "Apple has no
# plans to release ..." (a claim too: that it will not).
_INTENT = re.compile(
    rf"^(?P<who>{_NAME}(?: of {_NAME})?|[Tt]he (?:company|firm|carrier|studio|maker|project))"
    rf"(?: also)? (?P<verb>{_INTENDS})\b"
)
_ACCORDING = re.compile(r"^According to (?P<who>[^,]+),")
_POSSESSIVE = re.compile(
    rf"(?P<who>{_NAME})[’']s? (?P<verb>(?:press |joint )?(?:statement|release|announcement"
    r"|filing|blog post|price list|list))"
)


def speaker_of(sentence: str) -> Speaker | None:
    """The sentence's speaker, by the first pattern that finds one."""
    for pattern, who_groups, verb_groups in _PATTERNS:
        for m in pattern.finditer(sentence):
            who = next((m[g] for g in who_groups if m[g]), None)
            verb = next((m[g] for g in verb_groups if m[g]), None) or "according to"
            role = m.groupdict().get("role") or ""
            if who and (speaker := _speaker(who.strip(), m.span(), verb, role)):
                return speaker
    return None


_PATTERNS = [
    (_QUOTE_CLOSE, ("who1", "who2"), ("verb1", "verb2")),
    (_ACCORDING, ("who",), ()),
    (_APPOSED_HEAD, ("who",), ("verb",)),
    (_APPOSED_TAIL, ("who",), ("verb",)),
    (_TAIL, ("who1", "who2", "who3"), ("verb1", "verb2")),
    (_HEAD, ("who",), ("verb",)),
    (_CLAUSE, ("who",), ("verb",)),
    (_POSSESSIVE, ("who",), ("verb",)),
    (_INTENT, ("who",), ("verb",)),
]


def _speaker(who: str, span: tuple[int, int], verb: str, role: str = "") -> Speaker | None:
    if _NEGATED.search(who):  # "Vanta has not said", "a fee it has not yet disclosed"
        return None
    if _CLAUSE_WORDS.search(who):  # ", said the Vision Pro will launch": a clause, no one
        return None
    if _UNNAMED.fullmatch(who) or _UNNAMED.match(who):
        return Speaker("unnamed", who, span, verb)
    if _GENERIC.fullmatch(who):
        return Speaker("generic", who, span, verb)
    kind = role_of(f"{who}, {role}")
    name = _name(who, keep_the=kind == "outlet")
    return Speaker("named", name, span, verb, kind) if name else None


def role_of(words: str) -> str | None:
    """`outlet`, `analyst` or `tipster` when the words say so, else None."""
    for role, pattern in _ROLES_OF:
        if pattern.search(words):
            return role
    if _ANALYST_FIRMS.search(words):
        return "analyst"
    return "outlet" if _OUTLETS.search(words) else None


_NEGATED = re.compile(r"\b(?:not|never|no|nor)\b|n[’']t\b", re.I)
_CLAUSE_WORDS = re.compile(r"\b(?:will|would|could|might|is|are|was|were|has|have|had)\b")
# Capitalised only because a sentence starts with them.
_OPENERS = {
    "what", "as", "the", "a", "an", "in", "but", "and", "however", "if", "when", "while", "for",
    "it", "this", "that", "these", "those", "its", "their", "our", "we", "i", "you", "there",
    "here", "so", "then", "now", "also", "starting", "with", "after",
}  # fmt: skip


def _name(words: str, keep_the: bool = False) -> str | None:
    """The name in "prolific tipster Kai Brandt", "Quanta chief executive Mei Lin" or
    "Matthias Harsch, CEO of Leica Camera AG": the last run of capitalised words before
    any appositive, without the titles before it or the employer after it ("Bloomberg's
    Mark Gurman" is Mark Gurman). An outlet keeps its "The": "The Information"."""
    words = words.split(",")[0].split(" of ")[0]
    runs = re.findall(_NAME, words)
    if not runs:
        return None
    tokens = runs[-1].split()
    owner = next((i for i, t in enumerate(tokens[:-1]) if t.endswith(("’s", "'s"))), None)
    if owner is not None:
        tokens = tokens[owner + 1 :]
    titled = [i for i, t in enumerate(tokens[:-1]) if t.lower() in _TITLES]
    if titled:  # "Apple CEO Tim Cook"
        tokens = tokens[titled[-1] + 1 :]
    while tokens and (tokens[0].lower() in _ROLES or tokens[0].lower() in _OPENERS):
        if keep_the and tokens[0] == "The" and len(tokens) > 1:
            break
        tokens.pop(0)
    name = " ".join(tokens).rstrip(".,").removesuffix("’s").removesuffix("'s")
    if not name or name.lower() in _ROLES:
        return None
    return name


def person_named(sentence: str) -> str | None:
    """A person introduced by a role ("Vanta's chief executive, Tomas Berg,"): whom a later
    "he said" means."""
    m = re.search(
        r"(?:executive|officer|founder|analyst|director|spokesperson|maintainer|CEO|CFO|CTO)"
        r",? (?P<who>[A-Z][\w’'-]+ [A-Z][\w’'-]+)",
        sentence,
    )
    return m["who"] if m else None
