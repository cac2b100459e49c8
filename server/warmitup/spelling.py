"""Slips of the keyboard in the agent's draft, put right only where there is no doubt.

Agents type fast ("This is alrwady fixed"), and a reply that goes out with the slip reads
careless. The word list and frequencies are pyspellchecker's (MIT, English, offline); the
rules of when to trust it are ours, and strict, because a support draft is full of words no
dictionary has ("systemd", "backend", "iframe", product names):

- only a lowercase word of six letters or more, outside code, links and every other
  protected span (the caller masks them), that the dictionary doesn't know and that the
  customer's message and the team's vocabulary don't use;
- only the slips people make: one letter typed for another (not the last one), two
  neighbours swapped (not the last two), or a doubled letter typed once or a single one
  twice ("untill", "recomend"), or one letter left out inside a word of eight letters or
  more ("replacment") when no other word is that slip away; never a letter added, and never
  one dropped from a shorter word ("backend" is not "backed"), and never what British spelling does differently from the list's
  American ("organisation", "licence", "centre", "apologise" stay);
- only when one common word is that slip away: a swap wins if it is the only one,
  otherwise the likeliest word must be ten times as common as the next.
"""

from __future__ import annotations

import re
import threading

WORD = re.compile(r"(?<![\w'’@#/.\-])[a-z]{6,}(?![\w'’@/\-]|\.\w)")
COMMON = 5000  # pyspellchecker's frequency count; "payment" is 17,215, "rebook" 50
_lock = threading.Lock()
_checker = None


def load():
    """The word list, loaded once per process (~0.4 s, ~40 MB)."""
    global _checker
    with _lock:
        if _checker is None:
            from spellchecker import SpellChecker

            _checker = SpellChecker(language="en", distance=1)
        return _checker


def _slip(typed: str, word: str) -> str:
    """'swap', 'other' (a substitution or a doubled letter) or '' when `word` is not one
    typing slip away from `typed`."""
    if len(word) == len(typed):
        diff = [i for i in range(len(typed)) if typed[i] != word[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and typed[diff[0]] == word[diff[1]] and typed[diff[1]] == word[diff[0]]:
            # Not at the end: "centre" and "apologise" are spelt so, not slips of "center", "apologies".
            return "swap" if diff[1] < len(typed) - 1 else ""
        if len(diff) != 1 or diff[0] == len(typed) - 1:
            return ""
        # Not s/z or c/s: "organisation", "licence" and "defence" are British, not slips.
        return "" if {typed[diff[0]], word[diff[0]]} in ({"s", "z"}, {"c", "s"}) else "other"
    long, short = (typed, word) if len(typed) > len(word) else (word, typed)
    for i in range(len(long)):
        if long[:i] + long[i + 1:] == short:
            doubled = (i > 0 and long[i] == long[i - 1]) or (i + 1 < len(long) and long[i] == long[i + 1])
            if doubled:
                return "other"
            # "replacment": a letter dropped inside a long word, when it was dropped, not added
            return "dropped" if long is word and len(typed) >= 8 and 0 < i < len(long) - 1 else ""
    return ""


# Slips too short or too far from their word for the rules above, and so common that they
# have one reading: a short list, by hand (no dictionary word is on it)
SLIPS = {
    "shoud": "should", "woudl": "would", "coudl": "could", "wich": "which", "tommorow": "tomorrow", "teh": "the",
    "adn": "and", "alot": "a lot", "thier": "their", "wierd": "weird", "wensday": "Wednesday", "wednsday": "Wednesday",
    "thrusday": "Thursday", "saturaday": "Saturday", "febuary": "February", "truely": "truly", "calender": "calendar",
    "collegue": "colleague", "arguement": "argument", "payed": "paid", "dissapointed": "disappointed", "aplied": "applied",
}


def correction(typed: str, known: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The word `typed` was meant to be, or None when it isn't a clear slip."""
    if typed in SLIPS and typed not in known:
        return SLIPS[typed]
    if len(typed) < 6 or not typed.isalpha() or not typed.islower() or typed in known:
        return None
    checker = load()
    frequency = checker.word_frequency
    if typed in frequency:
        return None
    candidates = []
    for word in checker.edit_distance_1(typed):
        if word in frequency and "'" not in word and (kind := _slip(typed, word)):
            candidates.append((frequency[word], kind, word))
    if not candidates:
        return None
    candidates.sort(reverse=True)
    swaps = [c for c in candidates if c[1] == "swap"]
    if len(swaps) == 1 and swaps[0][0] >= COMMON:
        return swaps[0][2]
    best = candidates[0]
    if best[1] == "dropped" and len(candidates) > 1:
        return None  # "backend" could be more than one word with a letter dropped: only one will do
    if best[0] < COMMON or (len(candidates) > 1 and best[0] < 10 * candidates[1][0]):
        return None
    return best[2]


SHORT_WORD = re.compile(r"(?<![\w'’@#/.\-])[a-z]{3,5}(?![\w'’@/\-]|\.\w)")


def correct(masked: str, known: frozenset[str] | set[str] = frozenset()) -> str:
    """`masked` prose (protected spans already masked) with its clear slips put right."""
    masked = SHORT_WORD.sub(lambda m: SLIPS.get(m.group(0), m.group(0)) if m.group(0) not in known else m.group(0), masked)
    return WORD.sub(lambda m: correction(m.group(0), known) or m.group(0), masked)


def unknown_share(text: str) -> float:
    """The share of `text`'s lowercase words (three letters or more) the English list doesn't
    know: a clause in another language scores high ("no puedo entrar a mi cuenta": all three)."""
    words = re.findall(r"(?<![\w'’])[a-z]{3,}(?![\w'’])", text)
    if len(words) < 2:
        return 0.0
    frequency = load().word_frequency
    return sum(1 for w in words if frequency[w] == 0) / len(words)
