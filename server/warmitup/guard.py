"""Checks on a candidate reply: nothing lost, nothing invented, nothing promised.

`check_reply` runs every check on a whole reply; `check_segment` runs the
stricter checks on a piece of text the model wrote (its words must come from
the inputs or a small neutral vocabulary, so it cannot claim what nobody said).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import facts as factlib
from . import draft as draftlib
from . import reading
from .vocabulary import BODY_WORDS, EMPATHY_WORDS, GRIEF_WORDS, NEUTRAL_WORDS

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])(?<!\bDr\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bSt\.)\s+|\n+")

COMMITMENTS = re.compile(
    r"\b(refund\w*|credit\w*|discount\w*|upgrad\w*|replac\w*|free|complimentary|compensat\w*|"
    r"reimburs\w*|voucher\w*|coupon\w*|waiv\w*|rebate\w*|gift\w*|bonus\w*|guarantee\w*|promis\w*|"
    r"expedit\w*|priority|money back|on us|no charge|at no cost|cancel\w*|extension|extend\w*|"
    r"escalat\w*|deadline|compensation|exchange\w*|return label)\b",
    re.IGNORECASE,
)
BLAME = re.compile(
    r"\b(you(?:'ve| have)? caused|your fault|you should have|you shouldn't have|you failed to|"
    r"you forgot|you didn't read|as you should know|user error|you were wrong|blame)\b",
    re.IGNORECASE,
)
SCAFFOLDING = re.compile(
    r"(\[[^\]]*\]|<\|[^>]*\|?>|<[a-z_]+>|\bhere(?:'s| is) (?:the|a|my|your) (?:re)?writ|\brewrit(?:e|ten)\b|"
    r"^\s*(?:draft|reply|response|customer|agent|assistant|user|system|notes?|empathy|output|input)\s*:|"
    r"\bas an ai\b|\blanguage model\b|```|\{\s*customer|\bcustomer'?s? name\b)",
    re.IGNORECASE | re.MULTILINE,
)
# Pictographs and their modifiers: what a profile's "no emoji" rules out.
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]")
APOLOGY = re.compile(r"\b(sorry|apologi[sz]e\w*|apolog(?:y|ies))\b", re.IGNORECASE)
CHEER = re.compile(r"!|\b(happy|glad|great|awesome|fantastic|wonderful|exciting|excited|yay|cheers)\b", re.IGNORECASE)
GRANT = re.compile(
    r"\b(yes|sure|of course|absolutely|happy to|glad to|able to|we can|i can|we will|i will|we'll|i'll|"
    r"we've|i've|done|approved|allowed|granted|no problem)\b",
    re.IGNORECASE,
)
FIRST_PERSON_ACTION = re.compile(
    r"\b(i|we)(?:'ve|'ll|'d| have| will| had| would| shall| am going| are going| just| already)\b|"
    r"\bwe are\b|\bwe're\b",
    re.IGNORECASE,
)
EMPATHY_STEM = re.compile(
    r"^(i'm (?:so |really |very |truly )?sorry|i am (?:so |really |very |truly )?sorry|"
    r"i (?:completely |totally |really )?understand|i can (?:see|imagine|understand)|"
    r"i know (?:how|that|it)|i hear you|that (?:sounds|must)|it (?:sounds|must)|"
    r"thank you (?:so much )?for|thanks (?:so much )?for|what a|losing|it's lovely|it means a lot)",
    re.IGNORECASE,
)
_GRIEF_WORDS = re.compile(
    r"\b(died|dies|dead|death|passed away|passed on|funeral|bereave\w*|widow\w*|"
    r"late (?:husband|wife|mother|father|mom|dad|son|daughter|partner)|terminal(?:ly)? (?:ill\w*|cancer|diagnosis|condition)|hospice|cancer|"
    r"hospital\w*|diagnos\w*|miscarr\w*|grief|grieving|lost my (?:husband|wife|mother|father|mom|dad|son|daughter|partner|baby)|"
    r"(?:was|were|be|been|being|had (?:him|her|them)) put to sleep|euthanas\w*|cremation|cremated|"
    r"lost (?:my|our) (?:dog|cat|pet|puppy|kitten|horse|rabbit))\b",
    re.IGNORECASE,
)
# "the battery dies after two minutes", "dead pixel", "the app died": a thing, not a person
_THING_DIES = re.compile(
    r"\b(?:it|battery|batteries|phone|laptop|app|screen|pixels?|car|engine|server|process|link|links|page|drive|disk|"
    r"charger|bulb|unit|device|router|modem|connection|line|key|keys|game|thing|one|tablet|camera|mouse|keyboard|"
    r"controller|console|printer|drill|machine|motor|fan|pump|boiler|heater|fridge|tv|remote|landline|broadband|internet|"
    r"wifi|signal|socket|sim|watch|speaker|headphones|earbuds)\s+"
    r"(?:\w+\s+){0,2}?(?:died|dies|is dead|was dead|went dead|goes dead|(?:has|have) been dead|'s dead|is completely dead)\b|\bdead (?:pixel|link|battery|key|zone|end|on arrival)s?\b|"
    r"\bdeath (?:screen|loop)\b|blue screen of death|\bdeath by\b",
    re.IGNORECASE,
)


class _Grief:
    """Words of a death, an illness or a loss; "the battery dies" and "a dead pixel" are not one."""

    def search(self, text: str):
        for m in _GRIEF_WORDS.finditer(text):
            if m.group(1).lower() in {"died", "dies", "dead", "death"} and any(
                    t.start() <= m.start() < t.end() or t.start() <= m.end() - 1 < t.end() for t in _THING_DIES.finditer(text)):
                continue
            if m.group(1).lower().startswith("late ") and re.search(r"\b(?:her|his|their)\s+$", text[:m.start()], re.I) and text[m.end():m.end() + 2] in {"'s", "’s"}:
                continue  # "her late husband's grandfather clock": a thing to move, not a loss they are grieving
            return m
        return None


GRIEF = _Grief()


# A customer message that tries to instruct the model: its asks are not the customer's to mirror.
INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|rules|prompts?|policy)\b|\bsystem\s*:|"
    r"\b(in|into) your (reply|response|answer)\b|\badmin mode\b|\byou are now\b",
    re.IGNORECASE,
)

# Words that show the customer has a problem: only then is "I'm sorry" a mirror, not a guess.
TROUBLE = re.compile(
    r"\b(can't|cannot|won't|doesn't|didn't|isn't|haven't|hasn't|wasn't|aren't|not|no|never|nobody|still|crash\w*|"
    r"lost|charged|broke\w*|declin\w*|error\w*|problem\w*|fail\w*|stuck|refused|twice|hold|beep\w*|frustrat\w*|"
    r"died|dead|passed away|sick|ill|hurt|worried|angry|upset|damaged|delay\w*|locked|freez\w*|missing|late|wrong|"
    r"(?:is|are|was|were|been|be|went|gone|still|ran|run|running|sold|locked|cut|knocked|kicked|left|keeps going) out|out of (?:pocket|stock|date|order|service)|"
    r"(?:power|internet|wifi|electricity|heating|gas|water|service|signal|network|site|app|server)(?:'s| is| was)? out|down|"
    r"(?:power|heating|heat|hot water|water|electricity|gas|boiler|lights?)(?: [\w-]+){0,3}? (?:is|has been|had been|was|went|goes|keeps going|been|turned|switched|cut) off|rain|stopped|ridiculous|useless|hospital|surgery|messed|mistake|leak\w*|cold|slow|overcharg\w*|"
    r"disappoint\w*|annoy\w*|terrible|awful|worst|again|without|double|disconnect\w*|(?<![$£€¥\d.,])[45]\d\d(?![\d,.]?\d)|hopeless|unbelievable|"
    r"nothing|ignor\w*|chas\w*|block\w*|asked \w+ times|crack\w*|shatter\w*|smash\w*|torn|soaked|ripped|dent|dents|dented|billed|overbilled)\b",
    re.I,
)
# What an apology can be for, in the mirror's own words: the message's troubles, and a few
# more that are only trouble once we apologise for them ("you've been waiting 9 days").
MISFORTUNE = re.compile(
    TROUBLE.pattern + r"|\b(\w+n't|wait\w*|hang\w*|crack\w*|torn|ripped|scratch\w*|dent\w*|stain\w*|smash\w*|shatter\w*|"
    r"spill\w*|burn\w*|melt\w*|rotten|spoil\w*|mou?ld\w*|faulty|defect\w*|stolen|hack\w*|fraud\w*|bill\w*|"
    r"overdrawn|bounc\w*|flood\w*|burst|injur\w*|bitten|lost|ruin\w*|soak\w*|wet|crush\w*|bent|unusable|keeps? \w+ing|(?:second|third|fourth|fifth|\w+) times?|deleted|old address|"
    r"price|gone|went missing|reload\w*|offline|blank|frozen|froze|empty|disappear\w*|vanish\w*|overheat\w*|drop\w*|"
    r"bounced|cut off|expired|cancell?ed|rejected|denied|ignored|unanswered)\b",
    re.I,
)
CHAT_SHORTHAND = re.compile(r"\b(?:tbh|lol|lmao|imo|imho|btw|idk|rn|ngl|omg|wtf|pls|plz|thx|u|ur|bc|cuz|gonna|wanna|kinda)\b", re.I)
ACCUSATION = re.compile(
    r"\b(?:trap\w*|scam\w*|rip\w* (?:people |us |me )?off|steal\w*|stole|on purpose|deliberately|designed to|lie|lies|lying|"
    r"liars?|fraudulent|thie(?:f|ves)|crooks?|incompeten\w*)\b", re.I)
LOWER_MONTHS = re.compile(r"\b(?:january|february|march|april|june|july|august|september|october|november|december|"
                          r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
WORKS_AS_DESIGNED = re.compile(r"\b(?:not a bug|works as (?:designed|intended|expected)|by design|expected behaviou?r|"
                               r"intended behaviou?r|working as (?:designed|intended))\b", re.I)
# The customer has waited: only then is their patience ours to thank.
WAITED = re.compile(
    r"\b(wait\w*|still|again|(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time|chas\w*|follow\w* up|ages|forever|yet|"
    r"delay\w*|late|no (?:reply|response|answer|update)|heard nothing|(?:for|over|about|nearly|almost|than) "
    r"(?:\d+|a|an|one|two|three|four|five|six|several|many) (?:hours?|days?|weeks?|months?))\b",
    re.I,
)
# The customer has had to chase: asking again is not a question to thank them for
CHASED = re.compile(r"\b(?:(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time|again|still (?:no|not|nothing|waiting)|"
                    r"(?:no|nothing) (?:reply|response|answer|update|tracking)|weeks? ago|months? ago|now (?:december|january|february|march|"
                    r"april|may|june|july|august|september|october|november))\b", re.I)
# The customer asked something: a question mark, or a sentence that opens like a question.
QUESTION = re.compile(
    r"\?|(?:^|[.!]\s+)(?:how|what|when|where|why|who|which|can|could|do|does|did|is|are|will|would|should|may)\b",
    re.I,
)
APOLOGY_STEM = re.compile(r"^(i'm|i am) (?:so |really |very |truly )?sorry", re.I)
# Short words that are words as well as names in capitals ("IT", "US", "NO", "OK")
ENGLISH_SHORT = frozenset("""it us no ok on in at to is am me my we or an as be by do go he if of so up our you and are
    the for not now all can may was has had its his her one two new old any few see get""".split())
# The draft's own apology or condolence, a sentence of its own ("I'm very sorry about Robert."); a
# bare "Sorry." is dropped when the mirror apologises
OWN_APOLOGY = re.compile(r"\b(?:i'm|i am|we're|we are)\s+(?:so |very |truly |really |deeply )?sorry\b|\bcondolences\b", re.I)
# What the draft says is not so: "Detection was a memory-reading overlay, not discord/fps counter"
DENIAL = re.compile(r"\b(?:not|isn't|wasn't|aren't|weren't)\s+(?:an? |the |your |from |by |caused by |due to )?([\w/-]+(?:[ /][\w-]+)?)", re.I)
DENIAL_COMMON = frozenset("""you your our the and for yet sure able been being any all just only also that this there
    working work works worked available possible right needed required enough long much many more problem issue bug
    covered case true""".split())

# A state the mirror gives them that the draft says was the opposite: "you had data roaming
# switched off" above "Roaming was ON from 14:02 per our logs".
STATE = re.compile(r"(?i:\b(?:switched|turned|set|left|kept)\s+(on|off)\b)"
                   r"|(?i:\b(?:was|were|is|are|been|stayed|remained)\s+(on|off)(?=\s*[.,;!?]|\s*$|\s+(?:from|since|at|during|all|the whole)\b))"
                   r"|\b(ON|OFF)\b|(?i:\b(enabled|disabled|inactive|activated|deactivated|unpaid))\b"
                   r"|(?i:\b(?:is|are|was|were|been|stays|stayed|remains|remained|marked(?: as)?|shows?|showed)\s+"
                   r"(?:still\s+|now\s+|already\s+)?(active|locked|unlocked|paid|open|closed)\b)")
OPPOSITE_STATE = {"on": "off", "off": "on", "enabled": "disabled", "disabled": "enabled", "active": "inactive",
                  "inactive": "active", "activated": "deactivated", "deactivated": "activated", "locked": "unlocked",
                  "unlocked": "locked", "paid": "unpaid", "unpaid": "paid", "open": "closed", "closed": "open"}

STOP_STATE = frozenset(OPPOSITE_STATE) | frozenset("""switched turned kept stayed left that have been with this your were
    they from when what there about still just""".split())

def states(text: str) -> set[str]:
    """The on/off-like states a text asserts, in lower case."""
    return {next(g for g in m.groups() if g).lower() for m in STATE.finditer(text)}


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


@dataclass
class Context:
    """What the reply is checked against."""

    draft: str
    customer_message: str = ""
    customer_name: str = ""
    agent_name: str = ""
    draft_facts: list = field(default_factory=list)
    voice: object = None  # the team's voice.Voice, if a profile is active
    as_written: str = ""  # the draft before courtesy rules softened it, if they did

    def __post_init__(self) -> None:
        if not self.draft_facts:
            self.draft_facts = factlib.extract(self.draft, (self.customer_name, self.agent_name))
        # The team's own words (its sign-off, product names) count as said.
        team = self.voice.own_text if self.voice else ""
        self.sources = "\n".join([self.draft, self.customer_message, self.customer_name, self.agent_name, team])
        self.team_words = {w.lower() for w in words(team)}
        self.draft_words = {w.lower() for w in words(self.draft)}
        self.message_words = {w.lower() for w in words(self.customer_message)}
        self.draft_stems = {stem(w) for w in self.draft_words}  # the draft's words in any form

    @property
    def refusal(self) -> bool:
        return any(f.kind in {"negation", "limiter"} for f in self.draft_facts)

    @property
    def grief(self) -> bool:
        return bool(GRIEF.search(self.customer_message) or GRIEF.search(self.draft))


def words(text: str) -> list[str]:
    return [w.strip("'’-") for w in WORD.findall(text) if w.strip("'’-")]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_SPLIT.split(text) if s and s.strip()]


def _norm_sentence(text: str) -> str:
    return " ".join(w.lower() for w in words(text))


def word_limit(draft: str) -> int:
    """The guide's "about four times the draft's words", plus room for what every warm
    reply has around the answer (greeting, mirror, closing question, thanks, sign-off):
    the guide's own example is 66 words for a 9-word draft."""
    return 4 * len(words(draft)) + 40


def _in_sources(text: str, ctx: Context) -> bool:
    return text.lower() in ctx.sources.lower()


def check_reply(reply: str, ctx: Context, mirror: str = "") -> list[Check]:
    """Every check the guide asks of a finished reply. `mirror`, a sentence that passed
    check_segment, may name what the customer asked for ("you'd like a refund")."""
    checks: list[Check] = []

    lost = [f.text for f in ctx.draft_facts if not factlib.contains_fact(reply, f)]
    checks.append(Check("facts_kept", not lost, "lost: " + ", ".join(lost) if lost else ""))
    broken = [c for c in draftlib.code_spans(ctx.draft) if c not in reply]
    checks.append(Check("code_kept", not broken, "changed: " + ", ".join(broken) if broken else ""))

    invented = [
        f.text for f in factlib.extract(reply)
        if f.kind in factlib.CHECKABLE_KINDS and not _in_sources(f.text, ctx)
    ]
    invented += [
        w for w in words(reply)
        if w.lower() in factlib.NUMBER_WORDS and w.lower() not in {x.lower() for x in words(ctx.sources)}
    ]  # the sources include the names: "alpha1one" says "one"
    invented += [
        f.text for f in factlib.extract(reply)
        if f.kind in {"proper_noun", "acronym"} and not _in_sources(f.text, ctx) and f.text not in FRAME_PROPER
    ]
    checks.append(Check("nothing_invented", not invented, "invented: " + ", ".join(invented) if invented else ""))

    unvetted = reply.replace(mirror, " ") if mirror else reply
    promised = [m.group(0) for m in COMMITMENTS.finditer(unvetted) if not _commitment_in(m.group(0), ctx.draft)]
    checks.append(Check("no_new_commitment", not promised, "not in the draft: " + ", ".join(promised) if promised else ""))

    blame = [m.group(0) for m in BLAME.finditer(reply)]
    checks.append(Check("no_blame", not blame, ", ".join(blame)))

    leaked = [m.group(0) for m in SCAFFOLDING.finditer(reply) if not _in_sources(m.group(0), ctx)]
    checks.append(Check("no_scaffolding", not leaked, ", ".join(leaked)))

    # A sentence said more often than once, and more often than the draft itself says it.
    in_draft = Counter(_norm_sentence(s) for s in sentences(ctx.draft))
    in_reply = Counter(key for key in (_norm_sentence(s) for s in sentences(reply)) if key)
    repeated = [key for key, n in in_reply.items() if n > max(1, in_draft[key])]
    checks.append(Check("no_repeats", not repeated, " | ".join(repeated)))

    apologies = len(APOLOGY.findall(reply))
    checks.append(Check("apologies_at_most_two", apologies <= 2, f"{apologies} apologies"))

    # Measured on the draft as the agent wrote it, before any softening reworded it.
    written = ctx.as_written or ctx.draft
    count, limit = len(words(reply)), word_limit(written)
    floor = min(len(words(ctx.draft)), len(words(written)))
    checks.append(Check("length_in_bounds", floor <= count <= limit, f"{count} words (allowed {floor}-{limit})"))

    if ctx.grief:
        cheer = [m.group(0) for m in CHEER.finditer(reply) if not _in_sources(m.group(0), ctx)]
        checks.append(Check("gentle_for_grief", not cheer, ", ".join(cheer)))
    if ctx.voice is not None:
        checks += team_checks(reply, ctx)
    return checks


def team_checks(text: str, ctx: Context) -> list[Check]:
    """The active profile's rules: no avoided phrase, team words spelled exactly, emoji only if on."""
    voice = ctx.voice
    avoided = voice.avoided_in(text)
    misspelled = voice.misspelled_in(text)
    checks = [
        Check("team_phrases_avoided", not avoided, "avoided: " + ", ".join(avoided) if avoided else ""),
        Check("team_words_exact", not misspelled, ", ".join(misspelled)),
    ]
    if not voice.emoji:
        emoji = [e for e in EMOJI.findall(text) if e not in ctx.sources and e not in "\ufe0f\u200d"]
        checks.append(Check("no_emoji", not emoji, "".join(emoji)))
    return checks


FRAME_PROPER = {"I", "Hi", "Hello", "Dear", "Thanks", "Thank", "Best", "Kind", "Warm", "Regards", "Just"}


def _commitment_in(word: str, draft: str) -> bool:
    stem = word.lower()[:5]
    return stem in draft.lower()


# A notice that forbids: "No outside food.", "No pets inside." (a verbless "No" + words).
PROHIBITION = re.compile(r"(?:^|[.!?]\s+)No\s+[a-z]+(?:[ -][a-z]+){0,2}[.!]", re.M)


def check_segment(text: str, kind: str, ctx: Context) -> list[Check]:
    """Stricter checks on model-written text. kind: "mirror" or "body"."""
    checks: list[Check] = []
    stripped = text.strip()
    if kind == "mirror":
        allowed = ctx.message_words | EMPATHY_WORDS | NEUTRAL_WORDS | (GRIEF_WORDS if ctx.grief else frozenset())
    else:
        allowed = ctx.draft_words | BODY_WORDS | NEUTRAL_WORDS
        if PROHIBITION.search(ctx.draft):
            allowed = allowed | {"allowed", "permitted"}  # "No outside food." -> "Outside food is not allowed."
    allowed = allowed | ctx.team_words
    names = {ctx.customer_name.lower(), ctx.agent_name.lower()} - {""}

    # A mirror may put the customer's words in another form ("bring" -> "bringing").
    forms = {stem(w) for w in ctx.message_words} if kind == "mirror" else set()

    def grounded(word: str) -> bool:
        w = word.lower()
        return w in allowed or w in names or (w.endswith("s") and w[:-1] in allowed) or stem(w) in forms  # "start" -> "starts"

    unsupported = sorted({w for w in words(stripped) if not grounded(w)})
    checks.append(Check("grounded_words", not unsupported, "unsupported: " + ", ".join(unsupported) if unsupported else ""))
    checks.append(Check("no_blame", not BLAME.search(stripped)))
    checks.append(Check("no_scaffolding", not SCAFFOLDING.search(stripped), stripped[:40]))
    # A mirror may name what the customer asked for in their words; nothing else may.
    asked = ctx.draft + "\n" + (ctx.customer_message if kind == "mirror" else "")
    promised = [m.group(0) for m in COMMITMENTS.finditer(stripped) if not _commitment_in(m.group(0), asked)]
    checks.append(Check("no_new_commitment", not promised, ", ".join(promised)))
    invented = [f.text for f in factlib.extract(stripped) if f.kind in factlib.CHECKABLE_KINDS and not _in_sources(f.text, ctx)]
    checks.append(Check("nothing_invented", not invented, ", ".join(invented)))

    if kind == "mirror":
        checks.append(Check("empathy_opening", bool(EMPATHY_STEM.match(stripped)), stripped[:30]))
        said = {factlib.negation_class(m.group(0)) for m in factlib.NEGATIONS.finditer(ctx.customer_message)}
        added = sorted({m.group(0) for m in factlib.NEGATIONS.finditer(stripped) if factlib.negation_class(m.group(0)) not in said})
        checks.append(Check("no_new_negation", not added, ", ".join(added)))  # "you can't leave them here" for "Can I?"
        warranted = not APOLOGY_STEM.match(stripped) or TROUBLE.search(ctx.customer_message) or ctx.grief
        checks.append(Check("apology_warranted", bool(warranted), "the customer reports no problem"))
        # ...and is for the problem: "I'm sorry your rent goes out tomorrow", "I'm sorry you
        # landed at Heathrow" name something that isn't one.
        rest = APOLOGY_STEM.sub("", stripped, count=1)
        named = not APOLOGY_STEM.match(stripped) or MISFORTUNE.search(rest) or GRIEF.search(rest) or (
            ctx.grief and re.match(r"(?:i'm|i am) so sorry for the loss\b", stripped, re.I))
        # "sorry that nobody on your team changed anything": their side's defence, not a misfortune
        if named and re.search(r"\b(?:nobody|no one|no-one|none of)\b[^.]*\byour (?:team|side|end|staff|company|office|department|people|developers|engineers)\b", rest, re.I):
            named = None
        if named and re.search(r"\b(?:nothing|anything) wrong\b", rest, re.I):
            named = None  # "sorry that you didn't do anything wrong": their innocence is no misfortune
        checks.append(Check("apology_for_the_problem", bool(named), rest[:40]))
        # "Thank you for your patience" to someone who hasn't waited is a stock phrase misfired.
        patience = re.search(r"\bpatience\b", stripped, re.I)
        checks.append(Check("patience_warranted", not patience or bool(WAITED.search(ctx.customer_message)),
                            "the customer didn't wait"))
        # "Thank you for bringing your own food" to "Can I bring my own food?": thanking them
        # for an action needs the action done ("I attached" -> "attaching"), not just named.
        thanked = re.match(r"(?:thank you|thanks)(?: so much)? for (\w+ing)\b", stripped, re.I)
        done = {stem(w) for w in ctx.message_words if w.endswith("ed")}
        did = not thanked or thanked.group(1).lower() in ctx.message_words | EMPATHY_WORDS | ctx.team_words or stem(thanked.group(1)) in done
        checks.append(Check("thanked_for_what_they_did", did, thanked.group(1) if thanked else ""))
        thanked_for_asking = re.match(r"(thank you|thanks)( so much)? for asking\b", stripped, re.I)
        checks.append(Check("asked_something", not thanked_for_asking or bool(QUESTION.search(ctx.customer_message)),
                            "the customer asked nothing"))  # "Thank you for asking" to praise
        # "Thank you for asking where your lamp is" to someone asking for the third time
        checks.append(Check("no_thanks_for_chasing", not thanked_for_asking or not CHASED.search(ctx.customer_message),
                            "the customer has been chasing this"))
        checks.append(Check("no_claims", not FIRST_PERSON_ACTION.search(stripped)))
        checks.append(Check("no_grant", not (ctx.refusal and GRANT.search(stripped))))
        checks.append(Check("one_sentence", len(sentences(stripped)) == 1 and "?" not in stripped))
        n = len(words(stripped))
        checks.append(Check("mirror_length", 6 <= n <= 32, f"{n} words"))
        checks.append(Check("specific", specificity(stripped, ctx) >= 1))
        # Their words in quotation marks or after a colon are a quote ("a "scratch" on the
        # bumper", "the ValueError: No closing quotation"), never our sentence.
        quoted = longest_common_run(stripped, ctx.customer_message) >= 8 or bool(re.search(r"[\"“][\w'-]+[\"”]|:", stripped))
        checks.append(Check("not_quoting", not quoted))
        # Their chat shorthand ("tbh", "rn") and their charges against us ("designed to trap
        # people") are theirs to say; a month they typed in lower case is not ours to copy.
        slang = CHAT_SHORTHAND.findall(stripped) + ACCUSATION.findall(stripped) + LOWER_MONTHS.findall(stripped)
        checks.append(Check("our_own_words", not slang, ", ".join(slang)))
        # "I'm sorry this library is broken" above "Not a bug, works as designed."
        conceded = APOLOGY_STEM.match(stripped) and WORKS_AS_DESIGNED.search(ctx.draft)
        checks.append(Check("no_apology_for_no_fault", not conceded, "the draft says it works as designed"))
        # "move your mri Tuesday": the draft's "MRI" is a name, in its capitals
        capitals = {w for w in re.findall(r"\b[A-Z]{2,5}\b", ctx.draft)}
        lowered = sorted({w for w in re.findall(r"\b[a-z]{2,5}\b", stripped) if w.upper() in capitals and w not in ENGLISH_SHORT})
        checks.append(Check("names_in_capitals", not lowered, ", ".join(lowered)))
        # "I'm very sorry about Robert." opens the draft: a second condolence of ours before it repeats it
        first = sentences(ctx.draft.strip())[:1]
        repeated = bool(APOLOGY_STEM.match(stripped) and first and OWN_APOLOGY.search(first[0]))
        checks.append(Check("apology_not_repeated", not repeated, "the draft opens with its own"))
        # A grieving customer whose draft opens with its own condolence: nothing of ours goes before it
        checks.append(Check("condolence_first", not (ctx.grief and first and OWN_APOLOGY.search(first[0])),
                            "the draft opens with its condolence"))
        # "the only thing you run is discord and a fps counter" above "not discord/fps counter":
        # their claim, which the draft denies, restated as if we accepted it
        denied = {w.lower() for m in DENIAL.finditer(ctx.draft) for w in words(m.group(1)) if len(w) > 2} - DENIAL_COMMON
        contradicted = sorted(denied & {w.lower() for w in words(stripped)})
        checks.append(Check("not_denied_by_draft", not contradicted, ", ".join(contradicted)))
        # "you had roaming switched off" above "Roaming was ON": the same thing, the other state
        shared = {stem(w) for w in words(stripped) if len(w) > 3} & ctx.draft_stems - {stem(w) for w in STOP_STATE}
        flipped = sorted(s for s in states(stripped) if OPPOSITE_STATE[s] in states(ctx.draft) and s not in states(ctx.draft))
        checks.append(Check("state_as_in_draft", not (flipped and shared), ", ".join(flipped)))
        # What an instruction asks for may be named when the draft answers it ("No discounts
        # this month." -> "I understand you'd like a discount."); its framing never.
        echoed = sorted({w for w in words(stripped) if w.lower() in injected_words(ctx.customer_message) and stem(w) not in ctx.draft_stems})
        checks.append(Check("not_echoing_instructions", not echoed, ", ".join(echoed)))  # "promise me a discount"
        if ctx.grief:
            checks.append(Check("gentle_for_grief", not CHEER.search(stripped)))
        # Who acts, in what tense and mood, said where in their message (reading.py).
        wrong = reading.mirror_problems(stripped, ctx.customer_message, INJECTION)
        checks.append(Check("reads_right", not wrong, ", ".join(wrong)))
    else:
        # The draft's own greeting ("Hi {{ticket.requester.first_name}},") is the reply's
        # greeting: its facts are carried there, not by the answer.
        greeted = DRAFT_GREETING.match(ctx.draft)
        answered = [f for f in ctx.draft_facts if not greeted or f.start >= greeted.end()]
        lost = [f.text for f in answered if not factlib.contains_fact(stripped, f)]
        # A draft that answers "Yes, ..." must still say yes: "It is between 1-3 PM" is not an answer.
        if re.match(r"\s*(?:hi\b[^,\n]*,\s*)?yes\b", ctx.draft, re.I) and not re.search(r"\byes\b", stripped, re.I):
            lost.append("Yes")
        checks.append(Check("facts_kept", not lost, ", ".join(lost)))
        # The answer restates the draft: every word that carries its meaning stays (in some
        # form), so "No outside food." can't become "No, it is for you outside.".
        dropped = sorted(draft_content_stems(ctx.draft) - {stem(w) for w in words(stripped)})
        checks.append(Check("draft_words_kept", not dropped, ", ".join(dropped)))
        # ...and says each fact as often as the draft does ("expected at 6pm ... in 6pm").
        said = Counter(f.text.lower() for f in answered if f.kind in factlib.CHECKABLE_KINDS)
        again = Counter(f.text.lower() for f in factlib.extract(stripped) if f.kind in factlib.CHECKABLE_KINDS)
        repeated_facts = sorted(text for text, n in again.items() if n > max(1, said[text]))
        checks.append(Check("facts_said_once", not repeated_facts, ", ".join(repeated_facts)))
        # ...and denies nothing the draft doesn't ("Refund processed" -> "there are still no refunds").
        extra = negations(stripped) - negations(ctx.draft)
        checks.append(Check("no_new_negation", not extra, ", ".join(sorted(extra))))
        # ...and keeps a point in time one: "Refund processed 3/14" is not "it takes 3/14".
        turned = sorted(when_as_duration(stripped, ctx.draft))
        checks.append(Check("dates_kept_as_dates", not turned, ", ".join(turned)))
        if ctx.refusal:  # a grant the draft itself makes ("Yes, on a leash. Not in the cafe.") stays
            granted = [m.group(0) for m in re.finditer(r"\b(yes|sure|of course|absolutely|happy to|glad to|approved)\b", stripped, re.I)
                       if not re.search(r"\b" + re.escape(m.group(0)) + r"\b", ctx.draft, re.I)]
            checks.append(Check("no_grant", not granted, ", ".join(granted)))
        seen = [_norm_sentence(s) for s in sentences(stripped)]
        checks.append(Check("no_repeats", len(seen) == len(set(seen))))
        n, limit = len(words(stripped)), 3 * len(words(ctx.draft)) + 12
        checks.append(Check("body_length", len(words(ctx.draft)) <= n <= limit, f"{n} words"))
        # The draft's mood, speakers, modals and tense, kept (reading.py): a request stays a
        # request, "can" stays "can", "Closes within 10 days" never becomes "was closed".
        body = DRAFT_GREETING.sub("", ctx.draft, count=1).strip() or ctx.draft
        changed = reading.answer_problems(stripped, body, ctx.customer_message)
        checks.append(Check("meaning_kept", not changed, ", ".join(changed)))
        # Code is never the model's to write: every code span of the draft, byte for byte.
        broken = [c for c in draftlib.code_spans(ctx.draft) if c not in stripped]
        checks.append(Check("code_kept", not broken, ", ".join(broken)))
    if ctx.voice is not None:
        checks += team_checks(stripped, ctx)
    return checks


DRAFT_GREETING = re.compile(r"^\s*(?:hi|hello|hey|dear)\b[^,\n]*,", re.I)


def draft_content_stems(draft: str) -> set[str]:
    """The stems of the draft's meaning-bearing words: not its greeting, function words,
    or its "no"/"nope"/"only" (facts_kept checks those by kind, so "Nope" may become "No")."""
    body = DRAFT_GREETING.sub("", draft)
    body = factlib.NEGATIONS.sub(" ", factlib.LIMITERS.sub(" ", body))
    return {stem(w) for w in words(body) if w.lower() not in NEUTRAL_WORDS | BODY_WORDS and len(w) > 1}


def negations(text: str) -> Counter:
    """How often `text` says each kind of "no" (`facts.negation_class`); the idiom "no can do"
    says both "no" and "can't"."""
    found = Counter(factlib.negation_class(m.group(0)) for m in factlib.NEGATIONS.finditer(text))
    found["can't"] += len(re.findall(r"\bno can do\b", text, re.I))
    return +found


def injected_words(message: str) -> set[str]:
    """The content words of the sentences in `message` that try to instruct the model:
    what they "ask" for is not the customer's situation, and a mirror must not repeat it."""
    said = sentences(message)
    injected = [s for s in said if INJECTION.search(s)]
    if not injected:
        return set()
    other = {w.lower() for s in said if s not in injected for w in words(s)}
    return {w.lower() for s in injected for w in words(s)} - other - NEUTRAL_WORDS - EMPATHY_WORDS


def specificity(text: str, ctx: Context) -> int:
    """How many of the customer's own content words (not the draft's) `text` uses, in any
    form ("bringing" names their "bring"), and how many of the facts only they gave (their
    order "#A1043", "3 hours")."""
    own = ctx.message_words - ctx.draft_words - NEUTRAL_WORDS - EMPATHY_WORDS
    own_forms = {stem(w) for w in own} - ctx.draft_stems
    theirs = [
        f for f in factlib.extract(ctx.customer_message)
        if f.kind in factlib.CHECKABLE_KINDS and f.text.lower() not in ctx.draft.lower()
    ]
    named = sum(factlib.contains_fact(text, f) for f in theirs)
    return len({stem(w.lower()) for w in words(text)} & own_forms) + named


# Words that make what follows a length of time: a date or time after them has changed meaning.
DURATION_LEADS = {"take", "takes", "taking", "took", "within", "in", "allow"}


def when_as_duration(text: str, draft: str) -> set[str]:
    """The dates and times of `draft` that `text` puts after a duration word the draft
    doesn't put before them ("processed 3/14" -> "it takes 3/14", "expected 6pm" -> "in 6pm")."""
    def leads(source: str) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for f in factlib.extract(source):
            if f.kind in {"date", "time", "weekday"}:
                before = words(source[: f.start])
                found.setdefault(f.text.lower(), set()).add(before[-1].lower() if before else "")
        return found

    drafted = leads(draft)
    return {
        when for when, before in leads(text).items()
        if when in drafted and (before & DURATION_LEADS) - drafted[when]
    }


def stem(word: str) -> str:
    """A crude common form of an English word, enough to see "bringing", "brings" and
    "bring", or "charged" and "charge", as one word; never used to compare facts."""
    w = word.lower().replace("’", "'")
    w = w[:-2] if w.endswith("'s") else w
    if w.endswith(("sses", "xes", "ches", "shes", "zes")):
        w = w[:-2]
    elif not w.endswith("ss"):
        for suffix in ("ing", "ed", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)]
                break
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # "stopp" -> "stop"
    return w.rstrip("e") if len(w) > 3 else w


def longest_common_run(a: str, b: str) -> int:
    """Length in words of the longest run that `a` quotes from `b`."""
    wa, wb = [w.lower() for w in words(a)], [w.lower() for w in words(b)]
    best = 0
    previous = [0] * (len(wb) + 1)
    for x in wa:
        current = [0] * (len(wb) + 1)
        for j, y in enumerate(wb, 1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def failed(checks: list[Check]) -> list[Check]:
    return [c for c in checks if not c.ok]
