"""From an article's sentences to the claims worth checking.

A sentence is a candidate when it looks ahead or is attributed (a cue word, a speaker, a
time phrase still to come), says something checkable (a number, a price, a product's
name, a date, a launch, a deal), and is not the writer's opinion ("will be hoping", "wait
and see") nor a habit ("typically holds"). A relayed rumour ("sources say", "is rumoured
to") needs only to name what it is about; a question, to ask yes or no about a product or
to name something checkable. Who says it sets the hedge too: a company or its people are
official, an analyst expected, another outlet reportedly, a tipster rumoured. Each
candidate keeps the sentence as its quote and the statement, without its attribution, as
its text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from tracker.extract.articles import Article, Block
from tracker.extract.attribution import Attribution
from tracker.extract.cues import OFFICIAL, UNNAMED, Cue, cues_in, headline_cues, weakest
from tracker.extract.names import PRODUCT, names_something, subject_of
from tracker.extract.releases import read_release
from tracker.extract.sentences import split
from tracker.extract.speakers import Speaker, speaker_of
from tracker.extract.windows import Found, find_window


@dataclass(frozen=True)
class Candidate:
    text: str  # the claim, in the article's words
    quote: str  # the sentence it comes from
    cue: Cue
    source: str | None
    subject: str | None
    expected: Found | None


_OPINION = re.compile(
    r"will be hoping|will have to wait|wait and see|remains to be seen|all eyes|\b(?:we|I) "
    r"think\b|in (?:our|my) view|will want to|worth it|\bshould you\b|time will tell"
    r"|too early to (?:say|tell)",
    re.I,
)
_DENIAL = re.compile(
    r"\b(?:has|have|had|did|does|do|would|will) (?:not|n[o’']t)(?: yet)?(?: been)?"
    r" (?:said|say|confirm"
    r"|confirmed|comment|commented|announce|announced|disclose|disclosed)|declined to|denied"
    r"|nothing to announce|no comment",
    re.I,
)
_CHECKABLE = re.compile(
    r"(?<![A-Za-z])\d[\d,.]*(?:x\b|(?![A-Za-z\d]))|[$€£¥%]|\bfaster\b|\bslower\b|\blaunch|\brelease|\bship|\barriv"
    r"|\bavailab|\bpre-?orders?\b|\bdebut|\bunveil|on sale|on shelves|in stores|\bcost|\bpric"
    r"|\bdeliver(?:y|ies)\b|\bcalled\b|\bnamed\b|powered by|\bacqui"
    r"|\bmerge|in talks|negotiat|\bagreement|(?:partnership|cooperation|collaboration|deal)"
    r" with|\bsigned\b|in development|\bfix(?:es|ed)?\b|\bsupport|switch off|shut down|end of life"
    r"|\bworks? with\b|\bcompatib|\bdelay|postpone|\bcancel|\bdiscontinu|replacement|subscription"
    r"|\bfree\b|\bforecast"
    r"|\bgo live|roll(?:s|ing)? out|\bbackwards compatib|\bexpand|redesign|\bbeta\b",
    re.I,
)
_CONNECTIVES = re.compile(
    r"^(?:however|but|and|also|meanwhile|still|now|as noted above|as expected|for now"
    r"|in addition|separately|moreover|additionally|instead|so)\b,?\s*",
    re.I,
)
_QUOTES = re.compile(r"[“”\"«»]|‘|(?<![A-Za-z])’|’(?![A-Za-z])")


def find_claims(article: Article, said_on: date, fallback: str | None) -> list[Candidate]:
    """The article's candidate claims, in article order; `fallback` is the source of
    claims nobody is named for (the --source, else the outlet). In a company's press
    release, they are the company's."""
    if article.blocks and all(block.heading for block in article.blocks):
        # Headlines alone (a feed's titles, a list of them): each is the claim it makes.
        attribution = Attribution(fallback)
        headlines = (_headline(block.text, said_on, attribution) for block in article.blocks)
        return [claim for claim in headlines if claim is not None]
    release = read_release(article)
    attribution = Attribution(fallback, release.company if release else None)
    found: list[tuple[bool, Candidate]] = []
    for block in release.blocks if release else article.blocks:
        found.extend((block.heading, claim) for claim in _block_claims(block, said_on, attribution))
    # A question headline asks what the story then reports: keep the story's sentence.
    told = {claim.subject for heading, claim in found if not heading and claim.subject}
    return [claim for heading, claim in found if not (heading and claim.subject in told)]


# A headline's furniture: "BREAKING:", "WATCH:", "[VIDEO]", "UPDATED", "- Photos".
_KICKER = re.compile(
    r"^(?:(?:breaking|urgent|watch|video|photos?|update[ds]?|exclusive|report|rumou?r|just in"
    r"|live|opinion|analysis|debunk)\s*:\s*)+|^\[\w+\]\s*",
    re.I,
)
_TAIL = re.compile(r"\s*(?:[-–—|:]\s*)?\(?(?:updated?|video|photos?|live|report)\)?\s*$", re.I)
MIN_HEADLINE_WORDS = 4  # "Crabzilla", "Ghost Ship", "World's oldest burger": no claim to check


def _headline(text: str, said_on: date, attribution: Attribution) -> Candidate | None:
    """A headline as the claim it makes, hedged by its own words: "Florida woman reportedly
    gets third breast" is a rumour, "Apple Watch will need charging every day" a statement,
    "Is this the world's oldest burger?" a question."""
    if len(text) > MAX_SENTENCE:
        return None
    cues = headline_cues(text)
    clause = _TAIL.sub("", _KICKER.sub("", text)).strip()
    if len(re.findall(r"[\w’'-]+", clause)) < MIN_HEADLINE_WORDS:
        return None
    speaker = speaker_of(clause)
    statement = _statement(clause, speaker)
    return Candidate(
        text=statement,
        quote=text,
        cue=weakest(cues) or Cue("will", ""),
        source=attribution.source(clause, speaker),
        subject=subject_of(statement),
        expected=find_window(clause, said_on),
    )


def _block_claims(block: Block, said_on: date, attribution: Attribution) -> Iterator[Candidate]:
    sentences = [s for s in split(block.text) if len(s) <= MAX_SENTENCE]
    clauses = [_clause(sentence) for sentence in sentences]
    speakers = [speaker_of(clause) if clause else None for clause in clauses]
    _lend_quotation_speakers(sentences, speakers)
    speakers = [speaker or attribution.publisher for speaker in speakers]
    found: list[Candidate] = []
    for sentence, clause, speaker in zip(sentences, clauses, speakers, strict=True):
        candidate = None
        if clause:
            candidate = _candidate(sentence, clause, speaker, block.heading, said_on, attribution)
        attribution.saw(sentence, speaker, block.heading)
        if candidate is not None:
            found.append(candidate)
    # A question that its paragraph goes on to answer ("Could the Fold 2 be cheaper? ...
    # She expects $1,499") is the answer's lead-in, not a claim of its own.
    last = len(found) - 1
    yield from (c for i, c in enumerate(found) if i == last or not _is_question(c.quote))


MAX_SENTENCE = 1000  # longer is not a sentence (a table, a run-on page) and no claim
_CONTRAST = re.compile(r",? (?:while|whereas|but|though|although|even though|yet) (?!also)")
_LABEL = re.compile(r"[\w ]{1,30}: (?!.*\b(?:will|is|are|was|were|has|have|had|said|says)\b)")


def _clause(sentence: str) -> str | None:
    """The part of the sentence that holds its claim: an opinion before a colon is left
    out ("Gamers will want to wait: a Pro model is rumoured for early 2025"), and so is a
    contrast after a comma, whose cues are about something else ("will support the new
    service, while some older devices may need an update"). None: no claim at all."""
    if _LABEL.match(sentence):
        return None  # "Original release date: October 14, 2025": a fact box, not a claim
    clause = sentence
    if opinion := _OPINION.search(clause):
        rest = re.split(r"[:;] ", clause[opinion.end() :], maxsplit=1)
        if len(rest) < 2:
            return None
        clause = rest[1]
    if (contrast := _CONTRAST.search(clause)) and clause[contrast.start()] == ",":
        head, tail = clause[: contrast.start()], clause[contrast.end() :]
        if _DENIAL.search(head):  # "Vanta has not said, but developers expect ..."
            clause = tail
        elif len(head.split()) >= 4:
            clause = head + (clause[-1] if clause[-1] in ".!?" else "")
    return clause


def _lend_quotation_speakers(sentences: list[str], speakers: list[Speaker | None]) -> None:
    """A sentence of a quotation is said by whoever the quotation is attributed to, in the
    sentence that closes it or the one that opened it ("“...,” wrote Oskar Lund. “...”")."""
    for index, sentence in enumerate(sentences):
        if speakers[index] is not None or not _QUOTED_START.match(sentence):
            continue
        later = next((s for s in speakers[index + 1 :] if s is not None), None)
        lent = later if later is not None and not _closes_quote(sentence) else None
        if lent is None and index:
            lent = speakers[index - 1]
        if lent is not None:  # the attribution is in another sentence: nothing to cut here
            speakers[index] = replace(lent, span=(0, 0))


_QUOTED_START = re.compile(r"[“\"]")


def _closes_quote(sentence: str) -> bool:
    return sentence.rstrip().endswith(("”", '"', "”.", '".'))


def _is_question(sentence: str) -> bool:
    return sentence.rstrip("”’\"') ").endswith("?")


def _candidate(
    sentence: str,
    clause: str,
    speaker: Speaker | None,
    heading: bool,
    said_on: date,
    attribution: Attribution,
) -> Candidate | None:
    question = _is_question(sentence)
    if heading and not question:  # a headline restates the story's claims
        return None
    cues = cues_in(clause)
    denial = _DENIAL.search(clause)
    if denial and not any(m for m in cues if clause.find(m.words) < denial.start()):
        return None
    expected = find_window(clause, said_on)
    ahead = expected is not None and expected.window.end > said_on
    if not (cues or speaker or ahead):
        return None  # neither looks ahead nor says who says so: background
    if not (cues or speaker) and _HABIT.search(clause):
        return None  # "Google typically holds its event in early October": a habit
    text = _statement(clause, speaker)
    subject = subject_of(text)
    # The product's own name ("Fold 2") is not what is checked about it.
    checkable = _CHECKABLE.search(text.replace(subject or "\0", "")) or expected
    worded = bool(cues)  # the sentence's own words hedge it, beyond who says it
    role = attribution.role(speaker) if speaker is not None and speaker.kind == "named" else None
    if speaker is not None and (speaker.kind == "unnamed" or role == "tipster"):
        cues.append(Cue(UNNAMED, speaker.name))  # "Brandt's list also shows ..."
    elif speaker is not None and role in _RELAYED:
        # An analyst's "will" is a forecast; an outlet's, a report.
        cues = [cue for cue in cues if cue.hedge != "will"]
        cues.append(Cue(_RELAYED[role], speaker.verb))
    elif speaker is not None:
        # A speaker's own "will" is a statement, not a hedge: "Xiaomi said the phone will
        # launch in July" is official; "expects", "could" still weaken it.
        cues = [cue for cue in cues if cue.hedge != "will"]
        cues.append(Cue(OFFICIAL, speaker.verb))
    if question:
        # "Will the Pixel 8 ship in October?", "Is the Pixel 8 Pro getting a temperature
        # sensor?", "Could Samsung launch a tri-fold this year?"; not "What can we expect?",
        # "Will the partnership ensure this?"
        product = PRODUCT.search(text)
        if not ((product and _YES_NO.match(text)) or (checkable and names_something(text))):
            return None
    elif not (checkable or (subject and worded)):
        # A rumour needs only to name what it is about: "Sources say Apple will drop the
        # Lightning port"; others something to check, not "a strong boost to our strategy"
        # nor a quote that just names the product ("... and the Arc 2 delivers it").
        relayed = speaker is not None and (speaker.kind == "unnamed" or role is not None)
        rumour = relayed or _SAID_TO.search(clause)
        about = names_something(text) or _THING.search(text)
        if not (rumour and about and _LOOKS_AHEAD.search(text)):
            return None
    cue = weakest(cues) or Cue("will", "")
    return Candidate(
        text=text,
        quote=sentence,
        cue=cue,
        source=attribution.source(sentence, speaker),
        subject=subject,
        expected=expected,
    )


_RELAYED = {"analyst": "expected", "outlet": "reportedly"}
_HABIT = re.compile(
    r"\b(?:typically|usually|traditionally|generally|normally|historically|customarily"
    r"|tends? to|every year|each year|annually)\b|\bfiscal year (?:ends|begins|starts|runs)\b",
    re.I,
)
_LOOKS_AHEAD = re.compile(
    r"\b(?:will|would|to|working on|developing|preparing|in the works)\b|[’']ll\b", re.I
)  # not "Samsung is worried"
_SAID_TO = re.compile(r"\b(?:(?:rumou?red|said|tipped|reported) to|reportedly)\b", re.I)
_YES_NO = re.compile(r"(?:Will|Is|Are|Does|Do|Did|Can|Could|Would|Has|Have|Should)\b")
# A thing named before: "the tablet will come in three colours".
_THING = re.compile(
    r"\b(?:the|its) (?:\w+ )?(?:phone|tablet|device|console|handheld|headset|watch|laptop|chip"
    r"|handset|model|game|car|headphones|earbuds|update|service|app)\b",
    re.I,
)


def _statement(sentence: str, speaker: Speaker | None) -> str:
    """The sentence without its attribution, opening connective, quotation marks and
    closing full stop: "The first ... will be officially launched in July this year"."""
    text = sentence
    if speaker is not None and speaker.framing:
        start, end = speaker.span
        if start == 0:
            text = sentence[end:]
        elif sentence[start] in '”"' or sentence[start - 1 : start] in ("”", '"'):
            text = sentence[: start + 1]
        elif sentence[start] == ",":
            text = sentence[:start] + sentence[end:]
    text = _QUOTES.sub("", text).strip().lstrip(",:; ").strip()
    text = _CONNECTIVES.sub("", text)
    text = text.rstrip(" .,;:")
    if not text:
        return sentence.strip()
    first = text.split()[0]
    return text[:1].upper() + text[1:] if first.islower() else text  # not "VisionOS"
