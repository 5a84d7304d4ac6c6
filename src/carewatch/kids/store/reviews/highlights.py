"""What parents talk about in their reviews, and whether they liked it. Plain Python.

Keyword and phrase rules, not a model: a review is cut into clauses (at sentence
ends and at "but"), each clause names zero or more aspects (battery, GPS, ...) and
gets a sense from a small lexicon, where a negation flips the word it governs
("not accurate", "no problems", Hindi "अच्छी नहीं", Tamil "நல்லா இல்லை"). Each
review counts once per aspect, with the sum of its clauses' senses, so "the
battery is great but the GPS is not accurate" is one positive battery mention and
one negative GPS mention.

English words match whole tokens. Hindi and Tamil words match the start of a
token, because Tamil (and to a lesser degree Hindi) glues case endings onto the
word: "பேட்டரியின்" is still the battery.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# English first, then Hindi, then Tamil.
ASPECTS: dict[str, frozenset[str]] = {
    "battery": _words("battery batteries charge charging charger recharge बैटरी चार्ज பேட்டரி சார்ஜ்"),
    "gps": _words(
        "gps location locations tracking position map accuracy accurate inaccurate "
        "लोकेशन जीपीएस லொகேஷன் ஜிபிஎஸ் இருப்பிட"
    ),
    "sos": _words("sos emergency panic एसओएस இமர்ஜென்சி"),
    "calling": _words("call calls calling voice speaker microphone mic कॉल आवाज़ आवाज அழைப்பு கால்"),
    "comfort": _words(
        "strap straps band comfort comfortable uncomfortable wrist fit fits पट्टा स्ट्रैप ஸ்ட்ராப் பட்டை"
    ),
    "app": _words("app apps application setup notifications ऐप ஆப் செயலி"),
    "water": _words("water waterproof swim swimming rain shower wet पानी तैराकी தண்ணீர் நீச்சல்"),
    "price": _words(
        "price priced cost costs money value expensive cheap affordable overpriced "
        "कीमत दाम पैसे விலை காசு"
    ),
    "durability": _words(
        "durable durability sturdy broke broken breaks cracked scratch scratches build drop "
        "मजबूत मज़बूत टूट உறுதி உடைந்த"
    ),
}

# Multi-word cues, matched on the clause's spaced lower-case text before tokens.
PHRASES: dict[str, int] = {
    "lasts all day": 1,
    "lasts two days": 1,
    "dies quickly": -1,
    "drains fast": -1,
    "drains quickly": -1,
    "runs out": -1,
    "off by": -1,
    "worth it": 1,
    "value for money": 1,
    "waste of money": -1,
    "falls off": -1,
    "fell off": -1,
    "stopped working": -1,
}

POSITIVE = _words(
    """good great excellent amazing awesome love loves loved perfect accurate precise reliable
    comfortable comfy easy lasts last lasted long fast quick clear loud sturdy durable strong
    solid affordable worth happy nice best works working fine soft light lightweight simple
    intuitive waterproof survived useful helpful recommend smooth instant instantly work worked
    perfectly reliably
    अच्छा अच्छी अच्छे बढ़िया शानदार बेहतरीन आसान मस्त सही
    நல்ல நல்லா நன்றாக அருமை அருமையான சிறந்த சூப்பர் எளிது எளிதான"""
)
NEGATIVE = _words(
    """bad poor terrible awful horrible worst hate hated inaccurate wrong unreliable
    uncomfortable difficult confusing slow short weak dies died drains drain broke broken breaks
    cracked expensive overpriced costly laggy lag crashes crashed crash buggy itchy tight loose
    rash heavy fails failed useless problem problems issue issues disappointed disappointing
    jumps drifts leaked leaks fogged annoying delayed late complaint complaints
    खराब बेकार घटिया मुश्किल गलत महंगा महँगा कमजोर कमज़ोर
    மோசம் மோசமான கெட்ட கடினம் தவறான"""
)
# English negators govern the next few words; Hindi and Tamil ones follow the word.
NEGATE_BEFORE = _words("not no never hardly barely without cannot nothing neither nor")
NEGATE_AFTER = _words("नहीं ना न இல்லை அல்ல")
NEGATION_WINDOW = 3

CLAUSE_BREAK = re.compile(
    r"[.!?;\n।]+|\s(?:but|however|although|though|yet|लेकिन|मगर|ஆனால்)\s", re.IGNORECASE
)
TOKEN = re.compile(r"[^\s.!?;,:()\"“”'‘’/\-–—]+(?:'t)?")


@dataclass(frozen=True)
class Mention:
    aspect: str
    sense: int  # +1, -1 or 0
    clause: str


@dataclass(frozen=True)
class Highlight:
    aspect: str
    mentions: int
    positive: int
    negative: int
    quote: str

    @property
    def sense(self) -> str:
        return "positive" if self.positive >= self.negative else "negative"


def _is_any(token: str, words: frozenset[str]) -> bool:
    """Exact for English (a set lookup); by prefix for the few Hindi and Tamil words."""
    if token in words:
        return True
    if token.isascii():
        return False
    return any(token.startswith(word) for word in _PREFIXES[words])


def _prefixes(words: frozenset[str]) -> tuple[str, ...]:
    return tuple(w for w in words if not w.isascii() and len(w) >= 3)


_PREFIXES = {words: _prefixes(words) for words in (POSITIVE, NEGATIVE, *ASPECTS.values())}


def tokens(text: str) -> list[str]:
    text = text.lower().replace("’", "'")
    return TOKEN.findall(text)


def _is_negator(word: str) -> bool:
    return word in NEGATE_BEFORE or word.endswith("n't")


def clause_sense(clause: str) -> int:
    """The sign of the clause's lexicon senses. An English negator flips the next sentiment
    word within a few words ("not bad, works great" stays positive); a Hindi or Tamil
    one flips the sentiment word just before it."""
    words = tokens(clause)
    lowered = " ".join(words)
    senses = [sense for phrase, sense in PHRASES.items() if phrase in lowered]
    pending = 0  # words left in which an English negator still governs
    last = -NEGATION_WINDOW - 1  # position of the last sentiment word
    for i, word in enumerate(words):
        if _is_negator(word):
            pending = NEGATION_WINDOW
        elif word in NEGATE_AFTER:
            if senses and i - last <= NEGATION_WINDOW:
                senses[-1], last = -senses[-1], -NEGATION_WINDOW - 1
        elif sense := 1 if _is_any(word, POSITIVE) else -1 if _is_any(word, NEGATIVE) else 0:
            senses.append(-sense if pending else sense)
            pending, last = 0, i
        else:
            pending = max(0, pending - 1)
    score = sum(senses)
    return (score > 0) - (score < 0)


def clauses(text: str) -> list[str]:
    return [c.strip() for c in CLAUSE_BREAK.split(text) if c and c.strip()]


def mentions(text: str) -> list[Mention]:
    found: list[Mention] = []
    for clause in clauses(text):
        words = tokens(clause)
        aspects = [a for a, cues in ASPECTS.items() if any(_is_any(w, cues) for w in words)]
        if aspects:
            sense = clause_sense(clause)
            found.extend(Mention(aspect, sense, clause) for aspect in aspects)
    return found


def review_senses(text: str) -> dict[str, tuple[int, str]]:
    """One (sense, quote) per aspect a review mentions: its clauses' senses summed."""
    totals: dict[str, int] = {}
    quotes: dict[str, str] = {}
    for mention in mentions(text):
        totals[mention.aspect] = totals.get(mention.aspect, 0) + mention.sense
        quotes.setdefault(mention.aspect, mention.clause)
    return {a: ((s > 0) - (s < 0), quotes[a]) for a, s in totals.items()}


def snippet(clause: str, limit: int = 120) -> str:
    clause = " ".join(clause.split())
    return clause if len(clause) <= limit else clause[: limit - 1].rsplit(" ", 1)[0] + "…"


def highlights(texts: Iterable[str], top: int = 4) -> list[Highlight]:
    """The aspects most reviews mention, most mentioned first. `texts` come in the order
    their quotes should be preferred (the newest or most helpful first)."""
    counts: dict[str, list[int]] = {}
    quotes: dict[str, dict[int, str]] = {}
    for text in texts:
        for aspect, (sense, clause) in review_senses(text).items():
            counts.setdefault(aspect, []).append(sense)
            quotes.setdefault(aspect, {}).setdefault(sense, clause)
    found: list[Highlight] = []
    for aspect, senses in counts.items():
        positive, negative = senses.count(1), senses.count(-1)
        majority = 1 if positive >= negative else -1
        by_sense = quotes[aspect]
        quote = by_sense.get(majority) or by_sense.get(0) or next(iter(by_sense.values()))
        found.append(Highlight(aspect, len(senses), positive, negative, snippet(quote)))
    found.sort(key=lambda h: (-h.mentions, -h.positive, h.aspect))
    return found[:top]
