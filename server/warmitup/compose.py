"""The deterministic parts of a reply: greeting, the draft tidied, frames, sign-off,
and a mirror sentence built from the customer's own words when the model's fails.

Nothing here adds a fact: frames are fixed sentences that promise nothing, and
the tidied draft keeps every sentence of the draft in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .guard import GRIEF, TROUBLE, Context, longest_common_run, sentences, words

TONES = ("warm", "formal-warm", "brief-warm")

GREETING_AT_START = re.compile(
    r"^\s*(hi|hello|hey|dear|good (?:morning|afternoon|evening))\b(?:[ \t]+(?:\{\{[^{}]*\}\}|[^\s,.!{]+)){0,3}[ \t]*[,!.]?\s*",
    re.I,
)
SIGNOFF_AT_END = re.compile(
    r"\n\s*(best|thanks|thank you|regards|kind regards|warm regards|warmly|cheers|sincerely|all the best|with sympathy)"
    r"[^\n]{0,40}\n?[^\n]{0,40}$",
    re.I,
)
THANKS = re.compile(r"\b(thank|thanks|grateful|appreciate)\b", re.I)
WAITED = re.compile(
    r"\b(still|wait\w*|hold|hours?|weeks?|days?|again|twice|three times|several times|already|yet|"
    r"frustrat\w*|useless|annoy\w*|ridiculous|unacceptable|angry|upset|lost)\b",
    re.I,
)
POSITIVE = re.compile(
    r"\b(amazing|great|love|loved|wonderful|fantastic|awesome|excellent|brilliant|thank|thanks|kudos|helpful|"
    r"thoughtful|kind|lovely|perfect|friendly|impressed|best)\b",
    re.I,
)
INSULT = re.compile(r"\b(useless|idiots?|stupid|incompetent|pathetic|morons?|clowns?|garbage|trash|worst|you people)\b", re.I)
STEPS = re.compile(r"(^|\n)\s*(\d+[.)]|[-*•])\s+", re.M)
PLAN = re.compile(r"\b(between|arrive|expected|by|at|on|will|call|next week|tomorrow|today|within|\d)\b", re.I)


@dataclass
class Plan:
    greeting: str
    body: str           # the draft, tidied: the fallback when the model's body fails
    closing: list[str]  # frames after the body
    signoff: str
    refusal: bool
    grief: bool
    already_warm: bool


def split_greeting(draft: str) -> tuple[str, str]:
    """A draft that already greets ("Hi {{ticket.requester.first_name}}, done.") keeps its greeting."""
    match = GREETING_AT_START.match(draft)
    if not match:
        return "", draft
    greeting = match.group(0).strip()
    if not greeting.endswith((",", "!", ".")):
        greeting += ","
    if greeting.endswith("."):
        greeting = greeting[:-1] + ","
    return greeting, draft[match.end():]


def tidy(text: str) -> str:
    """The draft's own sentences, capitalised and punctuated, list lines kept as lines."""
    lines = []
    for line in text.strip().split("\n"):
        line = line.strip()
        if not line:
            continue
        line = re.sub(r"^nope\b[.!]?", "I'm afraid not.", line, flags=re.I)
        line = re.sub(r"^no\.(?=\s|$)", "I'm afraid not.", line, flags=re.I)
        parts = re.split(r"(?<=[.!?])\s+", line)
        fixed = []
        for part in parts:
            if part and part[0].islower() and not re.match(r"(https?://|www\.|\S+@)", part):
                part = part[0].upper() + part[1:]
            fixed.append(part)
        line = " ".join(fixed)
        if not re.search(r"[.!?:)]$", line):
            line += "."
        lines.append(line)
    if STEPS.search("\n" + text.strip()):
        return "\n".join(lines)
    return " ".join(lines)


def plan(ctx: Context, tone: str) -> Plan:
    draft_greeting, rest = split_greeting(ctx.draft)
    signed = SIGNOFF_AT_END.search(rest)
    if signed:
        rest = rest[: signed.start()]
    formal = tone == "formal-warm"
    brief = tone == "brief-warm"
    name = ctx.customer_name.strip()
    if draft_greeting:
        greeting = draft_greeting
    elif formal:
        greeting = f"Dear {name}," if name else "Hello,"
    else:
        greeting = f"Hi {name}," if name else "Hi there,"

    refusal = ctx.refusal
    grief = bool(GRIEF.search(ctx.customer_message))
    already_warm = bool(THANKS.search(ctx.draft))
    steps = bool(STEPS.search("\n" + ctx.draft))
    closing: list[str] = []

    if refusal and not grief:
        closing.append(
            "I know this is not the answer you were hoping for."
            if formal else "I know this isn't the answer you were hoping for."
        )
    if grief:
        closing.append("Please take whatever time you need, and reply here whenever you are ready.")
    elif refusal:
        closing.append(
            "If there is anything else I can help with, please reply here."
            if formal else "If there's anything else I can help with, just reply here."
        )
    elif steps:
        closing.append(
            "Please let me know whether that works for you." if formal
            else "Could you give those steps a try and let me know how it goes?"
        )
    elif PLAN.search(ctx.draft) and not already_warm:
        closing.append("Does that work for you?" if not formal else "Please let me know whether that works for you.")
    elif not already_warm:
        closing.append("Does that help?" if not formal else "Please let me know whether that answers your question.")
    if not grief and not refusal and not brief and not already_warm:
        closing.append(
            "If anything is unclear, please reply here and I will be glad to help." if formal
            else "If anything doesn't look right, just reply here and I'll help."
        )

    if not already_warm:
        if grief:
            closing.append("Thank you for reaching out to us at such a difficult time.")
        elif WAITED.search(ctx.customer_message):
            closing.append("Thank you for your patience." if not brief else "Thanks for your patience.")
        elif formal:
            closing.append("Thank you for contacting us.")
        else:
            closing.append("Thanks for reaching out.")

    agent = ctx.agent_name.strip()
    if signed:
        signoff = ctx.draft[ctx.draft.index(signed.group(0)):].strip() if signed.group(0) in ctx.draft else signed.group(0).strip()
    elif formal:
        signoff = f"Kind regards,\n{agent}" if agent else "Kind regards"
    elif brief:
        signoff = f"Thanks,\n{agent}" if agent and not already_warm else (f"Best,\n{agent}" if agent else "Best wishes")
    else:
        signoff = f"Best,\n{agent}" if agent else "Best wishes"
    if grief and not signed:
        signoff = f"With sympathy,\n{agent}" if agent else "With sympathy"

    return Plan(
        greeting=greeting,
        body=tidy(rest),
        closing=closing,
        signoff=signoff,
        refusal=refusal,
        grief=grief,
        already_warm=already_warm,
    )


def assemble(plan: Plan, mirror: str, body: str) -> str:
    """One reply: greeting line, mirror and answer, closing, sign-off."""
    middle = " ".join(part for part in (mirror.strip(), body.strip()) if part)
    if "\n" in body.strip():
        middle = (mirror.strip() + "\n\n" + body.strip()) if mirror.strip() else body.strip()
    paragraphs = [plan.greeting, middle]
    if plan.closing:
        paragraphs.append(" ".join(plan.closing))
    paragraphs.append(plan.signoff)
    return "\n\n".join(p for p in paragraphs if p)


# --- The mirror built from the customer's words --------------------------------

_PERSPECTIVE = {
    "i'm": "you're", "i am": "you are", "i've": "you've", "i'd": "you'd", "i'll": "you'll",
    "i was": "you were", "i": "you", "my": "your", "me": "you", "mine": "yours", "myself": "yourself",
    "we're": "you're", "we've": "you've", "we'd": "you'd", "we": "you", "us": "you", "our": "your", "ours": "yours",
    # The customer's "you" is the company: "your app" is "the app" in the agent's mouth.
    "you guys": "we", "your": "the", "you": "we",
}
_PERSPECTIVE_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(k) for k in _PERSPECTIVE), key=len, reverse=True)) + r")\b", re.I
)
_LEADINS = re.compile(
    r"^(hi|hello|hey|dear \w+)[,!.]?\s*|^(just|i just|i) (wanted|want) to (say|let you know|tell you)( that)?\s*|"
    r"^(so|well|ok|okay|um|please),?\s*",
    re.I,
)


def _perspective(clause: str) -> str:
    """The customer's words from the agent's side: "my order" -> "your order"."""
    return _PERSPECTIVE_RE.sub(lambda m: _PERSPECTIVE[m.group(0).lower()], clause)


def _clean(clause: str) -> str:
    clause = re.split(r",\s*please\b", clause.strip(), flags=re.I)[0]
    clause = clause.strip().rstrip(".!?").strip()
    clause = re.sub(r"\s+", " ", clause)
    clause = re.sub(r"[!?]+", "", clause)
    if clause and not clause.startswith(("I ", "I'")) and not re.match(r"[A-Z]{2,}|[A-Z][a-z]+(?:\s[A-Z])", clause):
        clause = clause[0].lower() + clause[1:]
    return clause


def _shorten(clause: str, source: str, most: int = 16) -> str:
    """Keep the mirror short and in our own words: cut at a clause boundary."""
    ws = clause.split()
    if len(ws) > most or longest_common_run(clause, source) >= 8:
        for sep in (", and ", ", but ", ", ", " and then ", " but ", " and ", " because ", " when ", " after ",
                    " since ", " for ", " about ", " with ", " from "):
            head = clause.split(sep)[0]
            if 3 <= len(head.split()) < len(ws) and longest_common_run(head, source) < 8:
                return head
        return ""
    return clause


def _question_mirror(question: str) -> str:
    """ "Can I change my address?" -> "I understand you'd like to change your address"."""
    q, p = _clean(question), _perspective
    if m := re.match(r"^(?:can|could|may) (?:i|we) (.+)$", q, re.I):
        return f"I understand you'd like to {p(m[1])}"
    if m := re.match(r"^(?:can|could|would|will) you (?:please )?(.+)$", q, re.I):
        return f"I understand you'd like us to {p(m[1])}"
    if m := re.match(r"^(?:did|have|has) (?:you|we) (?:\w+) ((?:my|our|the|your|this|that) .+)$", q, re.I):
        return f"Thanks for checking in about {p(m[1])}"
    if m := re.match(r"^(?:do|does) you (.+)$", q, re.I):
        return f"I understand you'd like to know whether we {p(m[1])}"
    if m := re.match(r"^(how|where|who|when|what) (?:do|can|should) (?:i|we) (.+)$", q, re.I):
        return f"I understand you'd like to know {m[1].lower()} to {p(m[2])}"
    if m := re.match(r"^(when|why|where|what time|how long|how) (is|are|was|were) ((?:the|my|our|your|this|that) \w+)(.*)$", q, re.I):
        return f"I understand you'd like to know {m[1].lower()} {p(m[3])} {m[2].lower()}{p(m[4])}"
    if m := re.match(r"^(when|where|what time|how long|how often|why) (does|do|did|will) ((?:the|my|our|your|this|that) \w+) (\w+)(.*)$", q, re.I):
        verb = m[4] + "s" if m[2].lower() == "does" and not m[4].endswith("s") else m[4]
        if m[2].lower() in {"did", "will"}:
            verb = f"{m[2].lower()} {m[4]}"
        return f"I understand you'd like to know {m[1].lower()} {p(m[3])} {verb}{p(m[5])}"
    if m := re.match(r"^(is|are) there (.+)$", q, re.I):
        return f"I understand you'd like to know whether there {m[1].lower()} {p(m[2])}"
    if m := re.match(
        r"^(is|are) ((?:the|my|our|your|this|that) (?:\w+ ){0,2}?\w+) "
        r"((?:still|not|already|going|coming|ready|available|open|back|working|down|up|on)\b.*)$", q, re.I
    ):
        return f"I understand you'd like to know whether {p(m[2])} {m[1].lower()} {p(m[3])}"
    return ""


SUBJECT_START = re.compile(
    r"^(i|i'm|i've|i'd|my|we|we're|we've|our|you|your|the|this|it|it's|its|there|they|his|her|nobody|no one|someone|"
    r"everyone|[A-Z][a-z]+'s|\w+ (?:has|have|had|is|are|was|were|keeps?|stopped|won't|doesn't|didn't|can't|isn't))\b",
    re.I,
)
NOUN_PHRASE = re.compile(r"^(?:a|an|another|yet another) ", re.I)
# Messages that give orders ("Ignore your rules and...") are data to answer, not situations to mirror.
IMPERATIVE = re.compile(
    r"^(?:please )?(?:ignore|disregard|forget|pretend|act|write|say|tell|give|promise|send|make|confirm|approve|"
    r"output|print|respond|reply|include|add|stop|refund|cancel|fix)\b|"
    r"\b(?:instructions?|system prompt|admin mode|developer mode|your rules|jailbreak)\b",
    re.I,
)
SELF_DESCRIPTION = re.compile(r"^(i am|i'm) (\d+|a|an|not good|old|new)\b", re.I)


def _clauses(message: str) -> list[str]:
    """Sentences, and the comma-separated parts of long ones."""
    out = []
    for sentence in sentences(message):
        sentence = _LEADINS.sub("", _LEADINS.sub("", sentence.strip()).strip()).strip()
        if not sentence:
            continue
        out.append(sentence)
        parts = [p.strip() for p in re.split(r",\s+", sentence)]
        if len(parts) > 1:
            out += [p for p in parts if len(words(p)) >= 4]
    return out


def mirror_candidates(ctx: Context) -> list[str]:
    """Sentences that name the customer's situation in our words, best first."""
    message = ctx.customer_message.strip()
    if not message:
        return []
    grief = bool(GRIEF.search(message))
    scored = []
    for index, core in enumerate(_clauses(message)):
        if INSULT.search(core) or IMPERATIVE.search(core) or len(words(core)) < 4:
            continue
        question = core.endswith("?")
        fragment = not question and not (SUBJECT_START.match(core) or NOUN_PHRASE.match(core))
        if fragment and not (TROUBLE.search(core) and len(words(core)) <= 12 and not re.search(r"\bplease\b", core, re.I)):
            continue  # a fragment is a situation only when it names a problem ("rate limit errors since this morning")
        first_person = bool(re.search(r"\b(i|my|me|i'm|i've|we|our)\b", core, re.I))
        score = (3 if question else 0) + (1 if first_person else 0) + 2 * len(TROUBLE.findall(core))
        score -= 3 if SELF_DESCRIPTION.match(core) else 0
        score -= 2.5 if ", " in core and not question else 0  # its parts read better on their own
        scored.append((score - index * 0.1, core))
    out = []
    for _, core in sorted(scored, key=lambda item: -item[0]):
        if core.endswith("?"):
            mirror = _question_mirror(core)
            if mirror and len(words(mirror)) <= 26 and longest_common_run(mirror, message) < 8:
                out.append(mirror + ".")
            continue
        if grief and (loss := LOSS.search(core)):
            out.append(f"I'm so sorry for the loss of your {loss.group(1).lower()}.")
        clause = _shorten(_perspective(_clean(core)), message)
        if not clause:
            continue
        if NOUN_PHRASE.match(clause) and not re.search(r"\b(is|are|was|were|has|have|had)\b", clause):
            clause = re.sub(r"^(yet another|another|a|an) ", "the ", clause, flags=re.I)
            out.append(f"I'm sorry about {clause}.")
            continue
        if not SUBJECT_START.match(clause) and not NOUN_PHRASE.match(clause):
            out.append(f"I'm sorry about the {clause}." if not clause.lower().startswith("the ") else f"I'm sorry about {clause}.")
            continue
        for variant in dict.fromkeys([clause, _shorten(clause, message, 8)]):
            if not variant:
                continue
            if grief:
                out.append(f"I'm so sorry to hear that {variant}.")
            elif POSITIVE.search(variant) and not TROUBLE.search(variant):
                out.append(f"It's lovely to hear that {variant}.")
            elif TROUBLE.search(variant) and not SELF_DESCRIPTION.match(core):
                out.append(f"I'm sorry to hear that {variant}.")
            else:
                out.append(f"I understand that {variant}.")
    return out


LOSS = re.compile(
    r"\bmy (mother|father|mom|mum|dad|husband|wife|partner|son|daughter|brother|sister|grandmother|grandfather|"
    r"grandma|grandpa|friend|dog|cat)\b[^.]*\b(died|passed away|passed|has died|is gone)\b",
    re.I,
)
