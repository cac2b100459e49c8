"""Deterministic fact extraction: what a rewrite must carry over unchanged.

Every fact is a span of the source text with a kind. The guard checks that each
one reappears in a candidate reply exactly (case aside for words), and that the
candidate holds no fact of these kinds that neither input had.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
)
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
CURRENCY_CODES = "usd|eur|gbp|cad|aud|jpy|chf|inr|sek|nok|dkk|nzd|mxn|brl|cny"
UNITS = (
    "business days?|working days?|days?|weeks?|months?|years?|hours?|hrs?|minutes?|mins?|"
    "seconds?|secs?|req/min|requests?|ms|kb|mb|gb|tb|items?|pieces?|attempts?|tries|"
    "pm|am|x|%"
)

# Order matters: earlier kinds claim their span first, so "$249" is money, not a number.
_PATTERNS: list[tuple[str, str]] = [
    ("placeholder", r"\{\{\s*[^{}]+?\s*\}\}|\{%\s*[^{}]+?\s*%\}"),
    ("url", r"\b(?:https?://|www\.)[^\s<>\"'`]+"),
    ("email", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
    ("menu_path", r"[A-Z][\w&'-]*(?: [A-Z&][\w&'-]*)*(?:\s*(?:>|›|»|→|->)\s*[A-Z][\w&'-]*(?: [A-Z&][\w&'-]*)*)+"),
    (
        "money",
        r"(?:[$€£¥₹]\s?\d+(?:,\d{3})*(?:\.\d+)?(?:\s?(?:k|m|bn)\b)?|\b\d+(?:,\d{3})*(?:\.\d+)?\s?(?:" + CURRENCY_CODES + r")\b)",
    ),
    ("ip_address", r"\b\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?(?![\d.])"),
    ("version", r"\b[vV]?\d+\.\d+(?:\.\d+){1,2}\b|\b[vV]\d+(?:\.\d+)?\b"),
    (
        "date",
        r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b"
        r"|\b(?:" + MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?\b"
        r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + MONTHS + r")\b(?:,?\s+\d{4})?",
    ),
    ("phone", r"(?<![\w.])\+?\(?\d{1,4}\)?(?:[ .-]\d{2,4}){2,4}\b|\b\d{3}-\d{4}\b"),
    (
        "time",
        r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm)?\s?(?:-|–|to)\s?\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)(?-i:\s+[A-Z]{1,4}T\b)?\b"
        r"|\b\d{1,2}:\d{2}(?:\s?(?:am|pm|a\.m\.|p\.m\.))?(?-i:\s+[A-Z]{1,4}T\b)?\b"
        r"|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)(?-i:\s+[A-Z]{1,4}T\b)?\b",
    ),
    ("code", r"#\s?[A-Za-z0-9][\w-]*|\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+\b|\b(?=\w*\d)(?=\w*[A-Za-z])\w{4,}\b"),
    (
        "quantity",
        r"\b\d[\d,]*(?:\.\d+)?\s?(?:-|–|to)\s?\d[\d,]*(?:\.\d+)?\s?(?:" + UNITS + r")\b"
        r"|\b\d[\d,]*(?:\.\d+)?\s?(?:" + UNITS + r")(?-i:\s+[A-Z]{2,}\b)?(?![\w/])"
        r"|\b\d[\d,]*(?:\.\d+)?%",
    ),
    ("number", r"\b\d[\d,]*(?:\.\d+)?\b"),
    ("weekday", r"\b(?:" + WEEKDAYS + r")\b"),
    # "Dr Patel will call you tomorrow": a day said relative to now is as much a fact as a date.
    ("relative_day", r"\b(?:today|tonight|tomorrow|yesterday|(?:this|next|last) (?:morning|afternoon|evening|week|weekend|month|year))\b"),
    ("month", r"\b(?:" + MONTHS + r")\b"),
]
_COMPILED = [(kind, re.compile(pattern, re.IGNORECASE if kind in {"date", "time", "weekday", "relative_day", "month", "money", "quantity"} else 0)) for kind, pattern in _PATTERNS]

# "No", "can't", "only": a reply must keep saying them. Contractions kept whole.
NEGATIONS = re.compile(
    r"\b(?:no|nope|not|never|none|nothing|nobody|nowhere|neither|nor|cannot|unable|"
    r"can't|won't|don't|doesn't|didn't|isn't|aren't|wasn't|weren't|hasn't|haven't|hadn't|"
    r"couldn't|shouldn't|wouldn't|mustn't|can’t|won’t|don’t|doesn’t|didn’t|isn’t|aren’t)\b",
    re.IGNORECASE,
)
LIMITERS = re.compile(r"\b(?:only|non-[a-z]+|except|unless|until|no longer|not yet|at most|at least|maximum|minimum)\b", re.IGNORECASE)

_TRAILING = ".,;:!?'\""
ACRONYM = re.compile(r"\b[A-Z]{2,}[0-9]?\b")
CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*\b")
SENTENCE_START = re.compile(r"(?:^|[.!?:;>\n]\s*|^\s*\d+[.)]\s*|[-*•]\s+)$")


@dataclass(frozen=True)
class Fact:
    kind: str
    text: str
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text}


def _clean_url(text: str) -> str:
    # A sentence's full stop or a closing bracket is not part of the link.
    while text and text[-1] in _TRAILING + ")]}>":
        if text[-1] == ")" and text.count("(") >= text.count(")"):
            break
        text = text[:-1]
    return text


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= a or start >= b for a, b in taken)


def extract(text: str, names: tuple[str, ...] = ()) -> list[Fact]:
    """Facts in `text`, in reading order; `names` (customer, agent) are facts when present."""
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        value = text[start:end]
        if kind == "url":
            value = _clean_url(value)
            end = start + len(value)
        value = value.strip()
        if not value or not _free(taken, start, end):
            return
        fact = Fact(kind, value, start, end)
        if not contains_fact(text, fact):
            return  # part of a longer token ("0@host"): the guard could never find it again
        facts.append(fact)
        taken.append((start, end))

    for kind, regex in _COMPILED:
        for match in regex.finditer(text):
            if kind == "weekday" and match.group(0).lower().rstrip(".") in {"sat", "sun", "wed", "mar", "may"}:
                # "sat" and "wed" are also verbs; only count them capitalised.
                if not match.group(0)[0].isupper():
                    continue
            if kind in {"weekday", "month"} and match.group(0).lower() == "may" and match.group(0) != "May":
                continue
            add(kind, match.start(), match.end())

    for name in names:
        if name and name.strip():
            for match in re.finditer(r"(?<!\w)" + re.escape(name.strip()) + r"(?!\w)", text):
                add("name", match.start(), match.end())

    for match in ACRONYM.finditer(text):
        add("acronym", match.start(), match.end())
    for match in CAPITALISED.finditer(text):
        if SENTENCE_START.search(text[: match.start()]) or match.group(0) in {"I", "I'm", "I'll", "I've"}:
            continue
        add("proper_noun", match.start(), match.end())

    for match in LIMITERS.finditer(text):
        add("limiter", match.start(), match.end())
    for match in NEGATIONS.finditer(text):
        add("negation", match.start(), match.end())

    facts.sort(key=lambda fact: fact.start)
    return facts


# Facts a reply may not invent: anything checkable against the inputs.
CHECKABLE_KINDS = {
    "ip_address", "placeholder", "url", "email", "money", "phone", "version", "date", "time", "code",
    "quantity", "number", "weekday", "relative_day", "month",
}

NUMBER_WORDS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "hundred", "thousand",
    "half", "dozen", "twice",
}


def negation_class(token: str) -> str:
    """Negations that say the same thing: "nope" is a "no", "cannot" a "can't"."""
    token = token.lower().replace("’", "'")
    if token in {"no", "nope", "not", "none", "nothing", "never", "nobody", "nowhere", "neither", "nor"}:
        return "no"
    if token in {"can't", "cannot", "unable"}:
        return "can't"
    return token


def contains_fact(reply: str, fact: Fact) -> bool:
    """Whether `reply` states `fact` unchanged."""
    if fact.kind == "negation":
        wanted = negation_class(fact.text)
        return any(negation_class(m.group(0)) == wanted for m in NEGATIONS.finditer(reply))
    if fact.kind in {"limiter", "weekday", "relative_day", "month", "proper_noun", "name"}:
        return re.search(r"(?<!\w)" + re.escape(fact.text) + r"(?!\w)", reply, re.IGNORECASE) is not None
    # Not inside a longer token: "600" is not in "1600" or "3.600", but "12pm" is in "8am-12pm".
    return re.search(r"(?<![\w@])(?<!\d[.,])" + re.escape(fact.text) + r"(?![\w@])(?![.,]\d)", reply) is not None or (
        fact.kind in {"url", "code", "email", "placeholder"} and fact.text in reply
    )
