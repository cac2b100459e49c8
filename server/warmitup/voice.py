"""A team's voice: greeting and sign-off patterns, phrases to avoid (and what to say
instead), words always written exactly, formality, emoji, and example replies.

A profile is plain JSON so a team lead can hand one file to every agent. `parse_profile`
checks one and says exactly what is wrong; `Voice` applies it to a rewrite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .compose import SIGNOFF_AT_END, TONES, split_greeting
from .guard import sentences

FORMAT = "warmitup-profile"
VERSION = 1
LIMITS = {"name": 80, "pattern": 200, "phrase": 80, "rules": 50, "words": 100, "examples": 12, "example_text": 2000}
FIELDS = ("format", "version", "name", "greeting", "signoff", "avoid", "keep_words", "formality", "emoji", "examples")



class ProfileError(ValueError):
    """A profile that can't be used; `problems` lists every reason, each naming its field."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Example:
    draft: str
    reply: str
    customer_message: str = ""


@dataclass(frozen=True)
class Voice:
    name: str
    greeting: str = ""  # e.g. "Hi {customer},"; empty: the built-in greeting
    signoff: str = ""  # e.g. "Warmly,\n{agent}\nThe Crumb & Co. team"; empty: the built-in
    avoid: tuple[tuple[str, str], ...] = ()  # (phrase, instead); instead may be empty: drop it
    keep_words: tuple[str, ...] = ()
    formality: str = "warm"
    emoji: bool = False
    examples: tuple[Example, ...] = field(default=())

    # --- applying it ---------------------------------------------------------------

    def rewrite_phrases(self, text: str) -> str:
        """Avoided phrases replaced by what the team says instead; team words spelled exactly."""
        for phrase, instead in self.avoid:
            text = _replace(text, phrase, instead)
        for word in self.keep_words:
            text = _phrase_pattern(word).sub(word, text)
        return text

    def avoided_in(self, text: str) -> list[str]:
        return [phrase for phrase, _ in self.avoid if _phrase_pattern(phrase).search(text)]

    def misspelled_in(self, text: str) -> list[str]:
        """Team words written with other letter case ("Crumbcard" for "CrumbCard")."""
        return [m.group(0) for word in self.keep_words for m in _phrase_pattern(word).finditer(text) if m.group(0) != word]

    def greeting_for(self, customer: str) -> str:
        return _fill(self.greeting, "customer", customer)

    def signoff_for(self, agent: str) -> str:
        return _fill(self.signoff, "agent", agent)

    @property
    def own_text(self) -> str:
        """The team's own words, which a reply may use as if the draft had said them."""
        patterns = [self.greeting.replace("{customer}", ""), self.signoff.replace("{agent}", "")]
        return "\n".join(patterns + [instead for _, instead in self.avoid] + list(self.keep_words))

    def shots(self, limit: int = 3) -> list[tuple[str, str, str, str]]:
        """Up to `limit` of the team's examples as prompt examples: (customer, draft, empathy,
        reply), the reply's greeting and sign-off left out (the pipeline composes those).
        The shortest are chosen, the newest first among equals, in the profile's order; the
        engine then drops any its context can't hold."""
        usable = []
        for index, example in enumerate(self.examples):
            said = sentences(_middle(example.reply))
            if len(said) >= 2:
                usable.append((index, (example.customer_message or "(no message)", example.draft, said[0], " ".join(said[1:]))))
        chosen = sorted(usable, key=lambda item: (sum(map(len, item[1])), -item[0]))[:limit]
        return [shot for _, shot in sorted(chosen)]

    def as_profile(self) -> dict:
        """The exported JSON: every field, in a fixed order, so a round trip is exact."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "name": self.name,
            "greeting": self.greeting,
            "signoff": self.signoff,
            "avoid": [{"phrase": p, "instead": i} for p, i in self.avoid],
            "keep_words": list(self.keep_words),
            "formality": self.formality,
            "emoji": self.emoji,
            "examples": [
                {"draft": e.draft, "reply": e.reply, **({"customer_message": e.customer_message} if e.customer_message else {})}
                for e in self.examples
            ],
        }


def _phrase_pattern(phrase: str) -> re.Pattern:
    # Whole words only: avoiding "no" must not touch "know".
    start = r"\b" if phrase[:1].isalnum() else ""
    end = r"\b" if phrase[-1:].isalnum() else ""
    return re.compile(start + re.escape(phrase) + end, re.IGNORECASE)


def _replace(text: str, phrase: str, instead: str) -> str:
    """Every `phrase` in `text` replaced by `instead` (or dropped, with a comma after it),
    keeping sentence starts capitalised."""
    pattern = _phrase_pattern(phrase)
    if not instead:
        pattern = re.compile(pattern.pattern + r"[,;:]?[ \t]*", re.IGNORECASE)
    out: list[str] = []
    last = 0
    capitalise_next = False
    for m in pattern.finditer(text):
        before = text[last:m.start()]
        if capitalise_next and before:
            before, capitalise_next = before[0].upper() + before[1:], False
        out.append(before)
        so_far = "".join(out).rstrip()
        at_start = not so_far or so_far[-1] in ".!?\n"
        new = _same_case(m.group(0), instead)
        if new and at_start:
            new = new[0].upper() + new[1:]
        capitalise_next = at_start and not new
        out.append(new)
        last = m.end()
    rest = text[last:]
    if capitalise_next and rest:
        rest = rest[0].upper() + rest[1:]
    out.append(rest)
    result = "".join(out)
    if not instead and last:
        # "works, per our policy." -> "works."
        result = re.sub(r"[ \t]*[,;:][ \t]*(?=[.!?]|$)", "", result, flags=re.M)
        result = re.sub(r"[ \t]+(?=[.!?])", "", result)
    return result


def _same_case(found: str, new: str) -> str:
    """"Nope" -> "Unfortunately not"; "nope" -> "unfortunately not"."""
    if not new:
        return ""
    if found[:1].isupper() and new[:1].islower():
        return new[0].upper() + new[1:]
    if found[:1].islower() and new[:1].isupper() and not new.split()[0].isupper():
        return new[0].lower() + new[1:]
    return new


def _fill(pattern: str, slot: str, value: str) -> str:
    """"Hi {customer}," with "Ana" -> "Hi Ana,"; with no name -> "Hi,"; a line that is only
    the slot disappears with it."""
    value = value.strip()
    if value:
        return pattern.replace("{" + slot + "}", value)
    lines = [line for line in pattern.split("\n") if line.strip() != "{" + slot + "}"]
    text = "\n".join(lines)
    return re.sub(r"\s*\{" + slot + r"\}", "", text)


def _middle(reply: str) -> str:
    """A whole reply minus its greeting line and its sign-off (found as the pipeline finds a draft's)."""
    _, rest = split_greeting(reply.strip())
    signed = SIGNOFF_AT_END.search(rest)
    if signed:
        rest = rest[: signed.start()]
    return " ".join(rest.split())


# --- Reading a profile ------------------------------------------------------------------


def parse_profile(data) -> Voice:
    """A Voice from profile JSON (already decoded), or ProfileError listing every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ProfileError([f"a profile is a JSON object, not {_kind(data)}"])
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        problems.append(f"unknown field(s): {', '.join(unknown)} (known: {', '.join(FIELDS)})")
    if data.get("format", FORMAT) != FORMAT:
        problems.append(f"format: expected {FORMAT!r}, found {data.get('format')!r}; is this a Warm It Up profile?")
    version = data.get("version", VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        problems.append(f"version: expected a whole number, found {_kind(version)}")
    elif version > VERSION:
        problems.append(f"version: {version} is newer than this Warm It Up reads ({VERSION}); update Warm It Up")

    name = _text(data, "name", problems, LIMITS["name"], required=True)
    greeting = _text(data, "greeting", problems, LIMITS["pattern"])
    signoff = _text(data, "signoff", problems, LIMITS["pattern"])
    for label, value, slot in (("greeting", greeting, "customer"), ("signoff", signoff, "agent")):
        stray = set(re.findall(r"\{(\w*)\}", value)) - {slot}
        if stray:
            problems.append(f"{label}: unknown placeholder(s) {', '.join('{' + s + '}' for s in sorted(stray))}; use {{{slot}}}")
    if greeting and "\n" in greeting.strip():
        problems.append("greeting: one line only")

    avoid: list[tuple[str, str]] = []
    for where, rule in _objects(data, "avoid", ("phrase", "instead"), (), LIMITS["rules"], problems):
        phrase = _text(rule, "phrase", problems, LIMITS["phrase"], required=True, where=where)
        instead = _text(rule, "instead", problems, LIMITS["phrase"], where=where)
        if phrase and instead and _phrase_pattern(phrase).search(instead):
            problems.append(f"{where}: the replacement {instead!r} contains the phrase it replaces")
        if phrase:
            avoid.append((phrase, instead))
    for phrase, _ in avoid:
        for other, instead in avoid:
            if instead and _phrase_pattern(phrase).search(instead) and other != phrase:
                problems.append(f"avoid: the replacement for {other!r} uses {phrase!r}, which is itself avoided")

    keep = data.get("keep_words", [])
    if not isinstance(keep, list) or not all(isinstance(w, str) and w.strip() for w in keep):
        problems.append("keep_words: expected a list of words or names (non-empty text)")
        keep = []
    elif len(keep) > LIMITS["words"]:
        problems.append(f"keep_words: at most {LIMITS['words']}, found {len(keep)}")
    keep = [w.strip() for w in keep]

    formality = data.get("formality", "warm")
    if formality not in TONES:
        problems.append(f"formality: {formality!r} is not one of {', '.join(TONES)}")
    emoji = data.get("emoji", False)
    if not isinstance(emoji, bool):
        problems.append(f"emoji: expected true or false, found {_kind(emoji)}")

    examples: list[Example] = []
    for where, example in _objects(data, "examples", ("draft", "reply"), ("customer_message",), LIMITS["examples"], problems):
        draft = _text(example, "draft", problems, LIMITS["example_text"], required=True, where=where)
        reply = _text(example, "reply", problems, LIMITS["example_text"], required=True, where=where)
        message = _text(example, "customer_message", problems, LIMITS["example_text"], where=where)
        if draft and reply:
            examples.append(Example(draft, reply, message))

    if problems:
        raise ProfileError(problems)
    return Voice(name, greeting, signoff, tuple(avoid), tuple(keep), formality, emoji, tuple(examples))


def _objects(data: dict, key: str, required: tuple, optional: tuple, limit: int, problems: list[str]):
    """(where, item) for each object in the list data[key], after noting what is wrong with
    the list itself and each item's shape and unknown fields; none from a list over `limit`."""
    shape = "{" + ", ".join(f'"{f}": ...' for f in required) + "}"
    items = data.get(key, [])
    if not isinstance(items, list):
        problems.append(f"{key}: expected a list of {shape}, found {_kind(items)}")
        return
    if len(items) > limit:
        # Said before any item is read: checking thousands of rules (each against every
        # other) would take seconds of CPU for a file that is refused anyway.
        problems.append(f"{key}: at most {limit}, found {len(items)}")
        return
    for i, item in enumerate(items):
        where = f"{key}[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected {shape}, found {_kind(item)}")
            continue
        extra = sorted(set(item) - set(required) - set(optional))
        if extra:
            problems.append(f"{where}: unknown field(s) {', '.join(extra)}")
        yield where, item


def _kind(value) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _text(data: dict, key: str, problems: list[str], limit: int, required: bool = False, where: str = "") -> str:
    label = f"{where}.{key}" if where else key
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(f"{label}: expected text, found {_kind(value)}")
        return ""
    if "\x00" in value:
        problems.append(f"{label}: contains a NUL character")
        return ""
    value = value.strip() if key != "signoff" else value.strip("\n ")
    if required and not value:
        problems.append(f"{label}: required, and empty")
    if len(value) > limit:
        problems.append(f"{label}: {len(value)} characters; at most {limit}")
    return value
