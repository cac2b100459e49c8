"""The deterministic parts of a reply: greeting, the draft tidied, frames, sign-off,
and a mirror sentence built from the customer's own words when the model's fails.

Nothing here adds a fact: frames are fixed sentences that promise nothing, and
the tidied draft keeps every sentence of the draft in order.
"""

from __future__ import annotations

import functools
import re
import zlib
from dataclasses import dataclass

from . import draft as draftlib
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
POSITIVE = re.compile(
    r"\b(amazing|great|love|loved|wonderful|fantastic|awesome|excellent|brilliant|thank|thanks|kudos|helpful|"
    r"thoughtful|kind|lovely|perfect|friendly|impressed|best|incredible|superb|outstanding|phenomenal|most fun|smoothest|spotless)\b",
    re.I,
)
INSULT = re.compile(r"\b(useless|idiots?|stupid|incompetent|pathetic|morons?|clowns?|garbage|trash|worst|you people)\b", re.I)
STEPS = re.compile(r"(^|\n)\s*(\d+[.)]|[-*•])\s+", re.M)


@dataclass
class Plan:
    greeting: str
    body: str           # the draft, tidied: the fallback when the model's body fails
    closing: list[str]  # frames after the body
    signoff: str
    refusal: bool
    grief: bool
    already_warm: bool
    act: str = "answers"   # what the reply does (`reply_act`)
    feeling: str = ""      # how the customer feels (`customer_feeling`)
    code: bool = False     # the draft holds code: the model never rewrites it
    aside: bool = False    # the draft speaks to someone else ("@dana can you look at this"): no mirror, no closing
    thanks: str = ""       # the closing's thanks line, left out when the mirror already thanks them


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
    """The draft's own sentences, capitalised and punctuated, its formatting kept."""
    return draftlib.tidy(text)


# What the reply does, read from the draft: the closing follows it.
URGENT = re.compile(
    r"(?<![\d,.$£€])\b(?:911|999|112|000)\b(?![,.]?\d)|"
    r"(?<![\w&])A&E(?![\w&])|\b(?:the ER|urgent care)\b|"
    r"\b(emergency (?:services|room|department|number|line)|(?:an|the) emergency\b(?=\s*(?:[,.;:!?)]|$|(?:call|dial|go|contact|phone|ring)\b))|ambulance|poison control|evacuate|gas leak|carbon monoxide|fire department|"
    r"call (?:\w+ ){0,3}(?:immediately|right away|now)|leave the (?:house|building|room)|do not (?:use|touch|drink|eat)|"
    r"emergency (?:vet|clinic|hospital|dentist|care)|(?:bring|get|take) (?:him|her|them|it|your \w+) (?:in|to (?:us|a vet|the vet|hospital)) "
    r"(?:now|right away|immediately|straight away))\b",
    re.I,
)
ASKS = re.compile(
    r"(?:^|[.!?]\s+|\n)(?:can|could|would|will|are|do|did|have|is|were) you\b[^.!?\n]*\?|"
    r"\bplease (?:post|send|share|email(?!\s+[\w.+-]+@)|attach|provide|upload|reply with|include|add|paste|run|try|check|confirm|"
    r"let (?:me|us) know|comment|describe|tell)\b|"
    r"\b(?:we|i)(?:'ll| will)? need (?:your|the|a|an|some|more|to see)\b|^need\b|\bwhat (?:version|os|browser)\b[^?]*\?",
    re.I | re.M,
)
DEADLINE = re.compile(r"\b(?:within \d+|no later than|deadline|otherwise|or else|expires?|by (?:the )?(?:\d|mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|end of|tomorrow|tonight))", re.I)
SOMEONE_ELSE = re.compile(r"\b(?:my|our) (?:dog|cat|puppy|kitten|pet|horse|rabbit|bird|son|daughter|child|kid|baby|toddler|mum|mom|"
                          r"dad|mother|father|grandma|grandmother|grandpa|grandfather|wife|husband|partner|patient|client|neighbou?r)s?\b", re.I)
NO_REPLY = re.compile(r"\breplies? (?:to|on|in) this (?:thread|email|ticket|conversation)\b|\b(?:don't|do not|please don't) reply\b|"
                      r"\b(?:this )?(?:inbox|address|mailbox) is(?:n't| not) monitored\b", re.I)
SCOLDS = re.compile(r"^please avoid \w+ing\b|[.!?]\s+please avoid \w+ing\b", re.I | re.M)
LATER_ON = re.compile(r"\b(?:next time|in (?:the )?future|going forward|from now on)\b", re.I)
REFUSES = re.compile(
    r"\b(can't|cannot|can not|won't(?! (?:repeat|happen again|recur|be (?:charged|billed|taken) again))|will not|unable|not (?:possible|supported|available|able|allowed|going to)|"
    r"(?<!as )not planned|no longer|(?:don't|do not|doesn't|does not) (?:have|offer|support|ship|provide|allow|accept)|"
    r"(?:isn't|is not|aren't|are not) (?:possible|supported|available|allowed|eligible|refundable|included)|"
    r"non-refundable|nope|i'm afraid not|not a bug|sorry,? no|nothing (?:we|i) can do|not on our (?:end|side)|"
    r"(?:ban|decision|suspension|charge|denial) (?:is |was |has been )?upheld|appeal (?:is |was |has been )?(?:closed|denied|rejected)|final decision)\b|^no\b|(?:^|[.!?:]\s+)(?:\S+\s+){0,3}only\s*[.!]|\b(?:available|sold|offered|open|valid) only\b|\bonly (?:available|for|in|to|via|with|if)\b|\bcan only\b",
    re.I | re.M,
)
# How the customer feels, read from their message: the thanks and the tone follow it.
FEAR = re.compile(r"\b(scared|afraid|terrified|frightened|panic(?:king|s? attacks?)?(?! at\b)|panicked(?! at\b)|worried|worrying|anxious|nervous|help me|"
                  r"(?:imagining|fearing|expecting|assuming) the worst|awake all night|(?:can't|cannot|couldn't) sleep)\b", re.I)
ANGER = re.compile(
    r"\b(unacceptable|ridiculous|outrageous|furious|angry|disgust\w*|no right|dire|asap|incessant|annoying|"
    r"fed up|sick of|joke|scam|worst|pathetic|useless|terrible|awful)\b|!!|\b[A-Z]{4,}\b(?:\s+[A-Z]{3,}\b)+",
)
# What was done to them, said with praise around it: "Wow, third time the window was missed."
LET_DOWN = re.compile(r"\b(missed|(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time|never (?:came|arrived|showed|called)|"
                      r"still (?:no|not|waiting)|no-show|late again|again|(?:service |extra |hidden |surprise )?charge[ds]?|"
                      r"refund(?:ed)?|explanation|cancel(?:led|ling)?|cancellation)\b", re.I)
SARCASM = re.compile(
    r"\b(oh great|oh wonderful|oh perfect|thanks a lot|thanks for nothing|great job|well done|love how|"
    r"so helpful|very helpful|wow|yeah right|/s|really great|great service|brilliant service|fantastic service|"
    r"oh fantastic|oh brilliant|oh lovely|oh good|oh joy|love it|truly inspired|just great|wonderful job|nice bonus|what a joke|"
    r"love that (?:i|you|it)|really appreciate the|what year is it)\b",
    re.I,
)
# Waiting the customer has done (not "do we have to wait for it"): then thanks for patience.
WAITED_LONG = re.compile(
    r"\b(still|on hold|been waiting|waiting (?:for|since)|twice|three times|several times|\w+ times|"
    r"(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time|"
    r"(?:charged|billed|asked|written|writing|wrote|contacted|called|emailed|chased|happened|broken|broke|failed) (?:me |you |us |it )?again|"
    r"(?:ordered|paid|sent|asked|emailed|wrote|called|opened|submitted|requested|due|supposed to \w+)\b[\w\s]{0,20}?"
    r"(?:hours|days|weeks|months) ago|(?:hours|days|weeks|months) (?:later|now)|for (?:hours|days|weeks|months)|"
    r"it's been|been \w+ (?:hours|days|weeks))\b",
    re.I,
)
PRAISE = re.compile(
    r"\b(amazing|great work|love (?:your|it|the|this|how|what)|loved|wonderful|fantastic|awesome|excellent|brilliant|kudos|so helpful|"
    r"thoughtful|lovely|perfect|impressed|the best|more power|incredible|superb|outstanding|phenomenal|most fun)\b",
    re.I,
)
# What our fault costs them, said calmly: "this is costing us money every hour".
HARM = re.compile(r"\b(costing (?:us|me)|losing (?:money|customers|sales|business)|charged (?:me |us )?twice|double[- ]charged|"
                  r"overcharg\w*|out of pocket|(?:payment|rent|cheque|check) (?:was )?bounced|"
                  r"(?:wedding|engagement)(?:'s| is| was) (?:off|cancelled|called off)|called off|broke up|break-?up|divorc\w*|separated)\b", re.I)
# A next step in time: only then "Does that work for you?".
WHEN = re.compile(
    r"\b(tomorrow|today|tonight|next (?:week|month|day)|this (?:week|afternoon|evening)|between|arrive\w*|expected|"
    r"within|by (?:mon|tue|wed|thu|fri|sat|sun|the end|end of|\d)|will (?:call|arrive|be|ship|email|send)|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d{1,2}(?::\d{2})?\s?(?:am|pm)|\d{1,2}/\d{1,2})\b",
    re.I,
)
REPORT = re.compile(r"\b(bug|issue|crash\w*|error\w*|broken|fail\w*|not working|stopped working|doesn't work)\b", re.I)

CLOSINGS = {
    # (act, tone-family) -> phrasings; one is picked stably per conversation.
    ("urgent", "warm"): ["Please do that first: your safety matters most.", "Please put your safety first, and reply here once you're safe."],
    ("urgent", "formal"): ["Please do that first: your safety matters most."],
    # the one at risk is their pet, their child, someone they look after: not "your safety"
    ("urgent_other", "warm"): ["Please do that first, and reply here whenever you can.", "That comes first; reply here whenever you can."],
    ("urgent_other", "formal"): ["Please do that first, and reply here whenever you can."],
    ("asks", "warm"): ["Thanks in advance for your help with this.", "I appreciate your help with this."],
    ("asks", "formal"): ["Thank you in advance for your help with this."],
    # Asking something of a customer we let down: no "thanks in advance" for their trouble.
    ("asks_harmed", "warm"): ["As soon as we have that, I'll take it from there.", "Once we have that, I'll take it from there."],
    ("asks_harmed", "formal"): ["Once we have that, I will take it from there."],
    ("steps", "warm"): ["Could you give that a try and let me know how it goes?", "Please give that a try and let me know how it goes."],
    ("steps", "formal"): ["Please let me know how it goes."],
    ("refuses", "warm"): ["I know this isn't the answer you were hoping for.", "I realise this isn't what you were hoping to hear."],
    ("refuses", "formal"): ["I know this is not the answer you were hoping for."],
    ("refuses_door", "warm"): ["If there's anything else I can help with, just reply here.", "If I can help with anything else, just reply here."],
    ("refuses_door", "formal"): ["If there is anything else I can help with, please reply here."],
    ("plan", "warm"): ["Does that work for you?", "I hope that works for you."],
    ("plan", "formal"): ["Please let me know whether that works for you."],
    ("answers", "warm"): ["I hope that helps.", "I hope this helps."],
    ("answers", "formal"): ["Please let me know whether that answers your question."],
    ("door", "warm"): ["If anything doesn't look right, just reply here and I'll help.", "If anything is still unclear, just reply here.",
                       "If you run into anything else, just reply here."],
    ("door", "formal"): ["If anything is unclear, please reply here and I will be glad to help."],
    ("fear", "warm"): ["I understand this is worrying, and I'm here to help.", "I know this is worrying, and I'm here to help."],
    ("fear", "formal"): ["I understand this is worrying, and I am here to help."],
    ("thanks", "warm"): ["Thanks for reaching out.", "Thank you for getting in touch."],
    ("thanks", "formal"): ["Thank you for contacting us."],
    ("thanks_report", "warm"): ["Thanks for reporting this.", "Thank you for letting us know about this."],
    ("thanks_report", "formal"): ["Thank you for reporting this."],
    ("thanks_patience", "warm"): ["Thank you for your patience.", "Thanks for bearing with us."],
    ("thanks_patience", "formal"): ["Thank you for your patience."],
    ("thanks_anger", "warm"): ["Thank you for taking the time to tell us.", "Thank you for raising this with us."],
    ("thanks_anger", "formal"): ["Thank you for taking the time to tell us."],
    ("thanks_praise", "warm"): ["Thank you for the kind words.", "Thanks so much for the kind words."],
    ("thanks_praise", "formal"): ["Thank you for your kind words."],
}


def _pick(key: str, tone: str, seed: str) -> str:
    """One phrasing for `key`, chosen stably from the conversation (`seed`): the same input
    gets the same closing, and a customer's next message most likely another."""
    family = "formal" if tone == "formal-warm" else "warm"
    options = CLOSINGS[(key, family)]
    return options[zlib.crc32(seed.encode("utf-8", "surrogatepass")) % len(options)]


GRANTED = re.compile(r"\b(?:i've|i have|we've|we have) (?:refunded|credited|reopened|added|waived|replaced|reversed|rebooked|moved|"
                     r"extended|fixed|restored|unlocked)\b|\b(?:we'll|we will|i'll|i will) (?:file|refund|credit|replace|fix|cover|reverse|"
                     r"waive)\b|\brefunded in full\b|\bcredit (?:of \S+ )?(?:applied|added)\b", re.I)


# The money given back, said after a "no": "Refund of $249 processed 3/14", "We refunded $40"
REFUND_GRANTED = re.compile(r"\brefund (?:of \S+ )?(?:has been |was |is )?(?:processed|issued|approved|sent|completed)\b|"
                            r"\b(?:we|i)(?:'ve| have)? refunded\b|\brefunded in full\b", re.I)


def _sentence_end(prose: str, nth: int = 1) -> int:
    """Where the `nth` sentence of `prose` ends (the end of `prose` if it has fewer)."""
    ends = [m.end() for m in re.finditer(r"[.!?](?:\s+|$)|\n+", prose)]
    return ends[nth - 1] if len(ends) >= nth else len(prose)


def reply_act(body: str) -> str:
    """What the reply mainly does: "urgent", "asks" (the customer for something), "steps",
    "refuses", "plan" (a time or next step), or "answers"."""
    prose = draftlib.FENCED_BLOCK.sub("", body)
    if URGENT.search(prose):
        # "If swelling spreads -> A&E. Otherwise call at 8am": safety advice for if it gets
        # worse; the reply answers, and "Does that work for you?" never follows it
        urgent = [s for s in re.split(r"(?<=[.!?])\s+|\n+", prose) if URGENT.search(s)]
        if all(re.match(r"\s*(?:if|should|in case)\b", s, re.I) for s in urgent):
            return "answers"
        return "urgent"
    # "Please send a photo within 48h next time": advice for later, not something we wait on now
    if ASKS.search(" ".join(s for s in re.split(r"(?<=[.!?])\s+|\n+", prose) if not LATER_ON.search(s))):
        return "asks"
    if STEPS.search("\n" + prose):
        # a list answers several questions ("1) 1 checked bag 2) No wifi"): no "give that a try",
        # and one "no" in it doesn't make the reply a refusal
        return "steps" if _things_to_do(prose) else ("plan" if WHEN.search(prose) else "answers")
    if (m := REFUSES.search(prose)) and not (GRANTED.search(prose) and m.start() > _sentence_end(prose, 2)) \
            and not (REFUND_GRANTED.search(prose, m.end()) and not re.search(r"refund", prose[:_sentence_end(prose[m.start():]) + m.start()], re.I)):
        # "I've refunded the full $38.47 ... I'm not able to share the driver's number": what we
        # did is the answer; a late "no" next to it is no let-down to console them for. Nor is
        # "Installers can't assemble wall units. Refund of $249 processed": the money they asked for
        return "refuses"
    if WHEN.search(prose):
        return "plan"
    return "answers"


ITEM = re.compile(r"(?:^|\n|(?<=[.!?]) )\s*(?:\d+[.)]|[-*•])\s+([^\n]*?)(?=\s+\d+[.)]\s|\n|$)")


def _things_to_do(prose: str) -> bool:
    """Whether a list's items are steps for the customer ("1. Open Settings"), not answers to
    several questions ("1) 1 checked bag, 23kg. 2) No wifi"): then "give that a try" fits."""
    items = [m.group(1) for m in ITEM.finditer(prose) if m.group(1).strip()]
    if not items:
        return False
    from . import reading

    verbs = reading.word_index()[1]
    doing = 0
    for item in items:
        first = re.match(r"[A-Za-z]+", item.strip())
        if first and first.group(0).lower() in verbs:
            # "Tap Reset" is tagged as a name; "Please tap Reset" shows the verb
            tagged = reading.parse("Please " + first.group(0).lower() + item.strip()[len(first.group(0)):])
            doing += bool(len(tagged) > 1 and tagged[1].tag_ == "VB")
    return doing * 2 >= len(items)


def customer_feeling(message: str) -> str:
    """How the message reads: "grief", "fear", "sarcasm", "anger", "praise", "waited", "report" or ""."""
    if GRIEF.search(message):
        return "grief"
    if FEAR.search(message):
        return "fear"
    if SARCASM.search(message) and (TROUBLE.search(message) or ANGER.search(message) or LET_DOWN.search(message)):
        return "sarcasm"
    if PRAISE.search(message) and not TROUBLE.search(message) and not INSULT.search(message):
        return "praise"  # "we love your work!!!" is delight, not anger
    angry = [m.group(0) for m in ANGER.finditer(message)]
    if angry and set(angry) == {"!!"} and POSITIVE.search(message) and not INSULT.search(message):
        angry = []  # "I finally did a full pull-up!!" is joy
    if angry or INSULT.search(message):
        return "anger"
    if WAITED_LONG.search(message):
        return "waited"
    if REPORT.search(message):
        return "report"
    return ""


def plan(ctx: Context, tone: str) -> Plan:
    read = draftlib.read(ctx.draft, ctx.agent_name)
    formal = tone == "formal-warm"
    brief = tone == "brief-warm"
    name = ctx.customer_name.strip()
    if read.address:
        greeting = read.address
    elif formal:
        greeting = f"Dear {name}," if name else "Hello,"
    else:
        greeting = f"Hi {name}," if name else "Hi there,"

    # "@dana can you look at this" addresses a colleague, not the customer who wrote: the
    # reply stays theirs, without a mirror or a closing meant for the customer.
    # Only a bare opening mention reads so: "Hi @dana," greets the customer by their handle.
    aside = bool(draftlib.MENTIONS_FIRST.match(ctx.draft)) and bool(name) and name.lstrip("@").lower() not in read.address.lower()
    grief = bool(GRIEF.search(ctx.customer_message))
    already_warm = bool(THANKS.search(read.body))
    act = reply_act(read.body)
    feeling = customer_feeling(ctx.customer_message)
    # Let down by us, not reporting a bug to a project: thanking them "in advance" grates.
    harmed = feeling in {"anger", "waited", "sarcasm", "fear"} or bool(HARM.search(ctx.customer_message))
    seed = ctx.customer_message + "\n" + ctx.draft
    pick = lambda key: _pick(key, tone, seed)  # noqa: E731
    closing: list[str] = []

    if grief:
        if act == "refuses":
            closing.append(pick("refuses"))
        # "within 30 days, otherwise the waiver is reversed": no "take whatever time you need"
        closing.append("If anything here is unclear, just reply and I'll help." if DEADLINE.search(read.body)
                       else "Please take whatever time you need, and reply here whenever you are ready.")
    elif act == "urgent":
        closing.append(pick("urgent_other" if SOMEONE_ELSE.search(ctx.customer_message) else "urgent"))
    else:
        if feeling == "fear":
            closing.append(pick("fear"))
        if act == "refuses":
            # "I know this is worrying" already says we see it; to a delighted customer, a "no" that
            # follows our thanks is a small thing, one that is the answer ("I'm afraid I can't") is not
            delight_first = feeling == "praise" and (m := REFUSES.search(read.body)) is not None and m.start() > _sentence_end(read.body)
            if feeling != "fear" and not delight_first:
                closing.append(pick("refuses"))
            if not brief:
                closing.append(pick("refuses_door"))
        elif act == "asks" and already_warm:
            pass  # "Please post the log, thanks.": the draft thanked them; another thanks would be twice
        elif act == "asks" and harmed:
            # "Please try a hard refresh" asks them to try, not to send: "let me know how it goes"
            # "If it goes through, please comment below" asks only if: the door stays open
            if re.search(r"\bif\b[^.!?]*\bplease\b", read.body, re.I):
                closing.append(pick("door"))
            else:
                closing.append(pick("steps" if re.search(r"\b(?:please )?(?:try|run|restart|reinstall)\b", read.body, re.I) else "asks_harmed"))
        elif act in {"asks", "steps"}:
            closing.append(pick(act))
        elif feeling == "praise" and act in {"answers", "plan"}:
            pass  # "Thank you so much!" is the answer: no "I hope that helps", no "if you run into anything"
        elif feeling == "fear":
            pass  # "I'm here to help" is the open door: no "I hope that helps" or "Does that work for you?" after it
        else:
            if not already_warm:
                closing.append(pick(act))
            if not brief:
                closing.append(pick("door"))

    if NO_REPLY.search(read.body):
        # "replies to this thread are not attached to the case": no closing that invites one
        closing = [line for line in closing if "reply here" not in line and "just reply" not in line]
    scolds = bool(SCOLDS.search(read.body))
    if scolds:
        # "Please avoid opening issues like this": a request not to write again is not followed
        # by "just reply here", nor thanked for reaching out
        closing = ["Thank you for understanding."]
    if aside:
        closing = []
    signed_thanks = bool(THANKS.search(read.signoff)) or scolds
    asked = act == "asks" and not grief and not harmed  # its closing thanks them already
    before_thanks = len(closing)
    if not (aside or already_warm or signed_thanks or asked or act == "urgent" or feeling == "sarcasm"):
        if grief:
            closing.append("Thank you for reaching out to us at such a difficult time.")
        elif feeling in {"anger", "waited"} and KEPT_WAITING.search(ctx.customer_message) and not OWN_SORRY.search(read.body):
            # "the third time I've reported something and been ignored", "on hold for three hours":
            # thanks for their patience reads as sarcasm; the wait is what we are sorry for
            closing.append(WAIT_APOLOGY[formal])
        elif feeling == "anger":
            closing.append(pick("thanks_anger"))
        elif feeling == "praise":
            closing.append(pick("thanks_praise"))
        elif feeling == "waited":
            closing.append(pick("thanks_patience"))
        elif feeling == "report":
            closing.append(pick("thanks_report"))
        else:
            closing.append(pick("thanks"))

    thanks = closing[-1] if len(closing) > before_thanks else ""
    agent = ctx.agent_name.strip()
    if read.signoff:
        signoff = read.signoff if "\n" in read.signoff or not agent else f"{read.signoff}\n{agent}"
    elif grief:
        signoff = f"With sympathy,\n{agent}" if agent else "With sympathy"
    elif formal:
        signoff = f"Kind regards,\n{agent}" if agent else "Kind regards"
    elif brief:
        signoff = f"Thanks,\n{agent}" if agent and not already_warm else (f"Best,\n{agent}" if agent else "Best wishes")
    else:
        signoff = f"Best,\n{agent}" if agent else "Best wishes"

    return Plan(
        greeting=greeting,
        body=read.body,
        closing=closing,
        signoff=signoff,
        refusal=ctx.refusal,
        grief=grief,
        already_warm=already_warm,
        act=act,
        feeling=feeling,
        code=read.code,
        aside=aside,
        thanks=thanks,
    )


# Kept waiting by us, not just waiting: asked again and again, ignored, hours on hold
KEPT_WAITING = re.compile(r"\b(?:(?:second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)) time|on hold for|(?:been|was|were|being|get|got|getting|keep getting|feel) ignored|ignoring (?:me|us|my|our)|"
                          r"(?:nobody|no one|no-one|noone) (?:has |ever )?(?:answered|replied|responded|got back|called back)|"
                          r"(?:no|still no|never (?:got|had) an?) (?:reply|response|answer)|"
                          r"(?:two|three|four|five|six|several|\d+) (?:emails|messages|calls|tickets) (?:later|and|with|now|already)|"
                          r"(?:asked|written|wrote|emailed|called|contacted|chased|reported|told you|messaged)\b[^.!?]{0,30}?"
                          r"\b(?:three|four|five|several|many|\d+) times)\b", re.I)
WAIT_APOLOGY = ("I'm sorry you've had to wait so long for an answer.", "I am sorry you have had to wait so long for an answer.")  # warm, formal
OWN_SORRY = re.compile(r"\b(?:sorry|apologi[sz]e|apologies)\b", re.I)
THANKING_MIRROR = re.compile(r"(?:Thank you|Thanks)\b", re.I)
SORRY_MIRROR = re.compile(r"I(?:'m| am) (?:so |really |very |truly )?sorry\b", re.I)
# A draft's apology that says nothing else, opening the answer: the mirror has said it.
LONE_APOLOGY = re.compile(r"^(?:I'm |I am |We're |We are )?(?:so |very |really )?(?:sorry|apologies)"
                          r"(?: for (?:your |the )?loss)?[.!]+\s+(?=[A-Z0-9])", re.I)


LAST_APOLOGY = re.compile(
    r"(?<=[.!?])\s+(?:I'm |I am |We're |We are )?(?:so |very |really )?(?:sorry|apologies)"
    r"(?: (?:about|for) (?:this|that|the (?:trouble|confusion|hassle|inconvenience|delay|mix-up|wait)))?[.!]*$", re.I)


def closing_for(plan: Plan, mirror: str) -> list[str]:
    """The closing lines after `mirror`: a mirror that thanks them ("Thank you for asking
    ...") leaves out the closing's own thanks, so no reply thanks twice."""
    if plan.thanks and THANKING_MIRROR.match(mirror.strip()):
        return [line for line in plan.closing if line != plan.thanks]
    if plan.thanks in WAIT_APOLOGY and (
            SORRY_MIRROR.match(mirror.strip()) and re.search(r"\b(?:wait\w*|ask\w*|chas\w*|again|times|time you.ve had to|hold|ignored)\b", mirror, re.I)):
        return [line for line in plan.closing if line != plan.thanks]  # the mirror said it: "sorry you've had to ask three times"
    return list(plan.closing)


def assemble(plan: Plan, mirror: str, body: str) -> str:
    """One reply: greeting line, mirror and answer, closing, sign-off."""
    body = _unnamed(body.strip("\n").rstrip(), plan.greeting)
    if SORRY_MIRROR.match(mirror.strip()):
        body = LONE_APOLOGY.sub("", body, count=1)  # "I'm sorry to hear ... I'm sorry. The claim ..."
        body = LAST_APOLOGY.sub("", body, count=1)  # "I'm sorry to hear ... reverse one of the charges. Sorry about this."
    middle = " ".join(part for part in (mirror.strip(), body.strip()) if part)
    if "\n" in body:
        middle = (mirror.strip() + "\n\n" + body) if mirror.strip() else body
    paragraphs = [plan.greeting, middle]
    closing = closing_for(plan, mirror)
    if closing:
        paragraphs.append(" ".join(closing))
    paragraphs.append(plan.signoff)
    return "\n\n".join(p for p in paragraphs if p)


def _unnamed(body: str, greeting: str) -> str:
    """The name the greeting already says is not said again in a sentence's address: "Hi Ivy,"
    then "Thank you so much, Ivy!" reads "Thank you so much!", "Thanks Ivy!" "Thanks!"; "we told
    Ivy" (no comma, no thanks) is not an address and stays."""
    named = re.fullmatch(r"(?:Hi|Hello|Dear|Hey)\s+([A-Z][\w'-]*(?:\s[A-Z][\w'-]*)?),", greeting.strip())
    if not named:
        return body
    name = re.escape(named.group(1))
    body = re.sub(rf"\b(thanks|thank you(?: so much| very much)?)\s+{name}(?=[!.?,])", r"\1", body, flags=re.I)
    return re.sub(rf"(?<=\w),\s+{name}(?=[!.?])", "", body)


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
    r"^(hi|hello|hey|dear \w+)\b[,!.]?\s*|^(just|i just|i) (wanted|want) to (say|let you know|tell you)( that)?\s*|"
    r"^(so|well|ok|okay|um|please)\b,?\s*|"
    # "I just looked at my statement and you charged me twice": how they found out, not what went wrong
    r"^i (?:just |have just |'ve just )?(?:looked at|checked|opened|saw|noticed|logged in(?:to)?|went (?:to|into|on)|reviewed|came back to) "
    r"[^,.!?]{1,40}? and (?=(?:you|it|there|the|my|i|someone|somebody)\b|(?-i:[A-Z]))",
    re.I,
)
# "This is the FOURTH time I am writing about this": being kept waiting, theirs to be sorry for
REPEATED_CONTACT = re.compile(r"^this is (?:the|my) (second|third|fourth|fifth|sixth|2nd|3rd|4th|5th|6th) time (?:that )?i(?:'m| am|'ve| have)? "
                              r"(?:been )?(writing|written|emailing|emailed|calling|called|contacting|contacted|asking|asked|chasing|messaging|messaged)\b"
                              r"(?: (?:you |to you |us )?(?:about|regarding|for) (this|it|my [a-z]+(?: [a-z]+)?))?", re.I)
ORDINAL = {"2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth", "6th": "sixth"}
CONTACT_VERB = {"writing": "write to us", "written": "write to us", "emailing": "email us", "emailed": "email us", "calling": "call us",
                "called": "call us", "contacting": "contact us", "contacted": "contact us", "asking": "ask", "asked": "ask",
                "chasing": "chase this", "messaging": "message us", "messaged": "message us"}


# The customer's "you" (the company) as an object is "us" in our mouth: "been with you" is "been with us"
_OBJECT_YOU = re.compile(r"\b(with|to|for|from|at|by|about|of|contacted|called|emailed|told|asked|paid|trusted|chose|"
                         r"left|joined|thank|thanked|recommend|recommended|love|loved) you\b(?! guys)", re.I)


def _perspective(clause: str, ours: bool = False) -> str:
    """The customer's words from the agent's side: "my order" -> "your order". `ours`: their
    "your" is said as "our", for praise ("we love your work" is "you love our work"; "the work"
    would read as theirs); a complaint's "your app" stays "the app"."""
    def turn(m: re.Match) -> str:
        said = m.group(0)
        if said == "US":  # in capitals, the country ("my US address"), not "us"
            return said
        if ours and said.lower() in {"your", "yours"}:
            return "our" if said.lower() == "your" else "ours"
        return _PERSPECTIVE[said.lower()]
    clause = _OBJECT_YOU.sub(lambda m: m.group(1) + " \uE000", clause)  # kept from the turn below
    return _PERSPECTIVE_RE.sub(turn, clause).replace("\uE000", "us")


# Contractions typed without their apostrophe: "I cant get them" is "you can't get them" in ours.
BARE_CONTRACTIONS = re.compile(r"\b(can|don|doesn|didn|isn|aren|wasn|weren|haven|hasn|couldn|wouldn|shouldn)t\b|\b(i)m\b", re.I)


def _clean(clause: str) -> str:
    clause = BARE_CONTRACTIONS.sub(lambda m: f"{m.group(1)}'t" if m.group(1) else "I'm", clause)
    clause = re.split(r",\s*please\b", clause.strip(), flags=re.I)[0]
    clause = clause.strip().rstrip(".!?").strip()
    clause = re.sub(r"\s+", " ", clause)
    clause = re.sub(r"[!?]+", "", clause)
    # "from 18 of October" is how they wrote a date; in our sentence it is "18 October"
    clause = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)? of (?=(?:January|February|March|April|May|June|July|August|September|October|"
                    r"November|December)\b)", r"\1 ", clause)
    # "the patch is INCREDIBLE", "missing for FOUR DAYS": their shout is not ours; "CSV" and
    # "HTTPS" are names
    clause = re.sub(r"\b(?:I )?[A-Z]{2,}(?: (?:[A-Z]{2,}|[IA]\b))+", lambda m: " ".join(w if w == "I" else w.lower() for w in m.group(0).split()) if all(
        w in {"I", "A"} or _a_word(w) for w in m.group(0).split()) else m.group(0), clause)
    clause = re.sub(r"\b[A-Z]{5,}\b", lambda m: m.group(0).lower() if _a_word(m.group(0), plural=False) else m.group(0), clause)
    # "The CLI ignores it" opens with a capital because it opens the sentence; "New York" and
    # "CLI" are names
    determiner = re.match(r"(?:The|A|An|This|That|These|Those|My|Our|Your|Their|Every|Each|Some|All|No)\s", clause)
    if clause and not clause.startswith(("I ", "I'")) and (
            determiner or not re.match(r"[A-Z]{2,}|[A-Z][a-z]+(?:\s[A-Z])|[A-Z]\w*[A-Z]", clause)):
        clause = clause[0].lower() + clause[1:]
    return clause


def _a_word(shout: str, plural: bool = True) -> bool:
    """Whether a word in capitals is an English word ("CRASHED", "FOUR DAYS"), not a name
    ("CSV"); alone, an -s is not taken off ("HTTPS" is a name)."""
    w = shout.lower()
    forms = {w}
    if w.endswith("ed"):
        forms |= {w[:-2], w[:-1], w[:-3] + "y", w[:-3]}
    if w.endswith("ing"):
        forms |= {w[:-3], w[:-3] + "e", w[:-4]}
    if plural and w.endswith("s"):
        forms |= {w[:-1], w[:-2], w[:-3] + "y"}
    return any(len(f) >= 2 and f in _english() for f in forms)


@functools.lru_cache(maxsize=1)
def _english() -> frozenset:
    """Words of English (WordNet's nouns, verbs, adjectives and adverbs, and the function
    words), built once: "CRASHED HALFWAY THROUGH" is shouting, every word of it."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from . import reading

    nouns, verbs = reading.word_index()
    return nouns | verbs | reading._adjectives() | STOP_WORDS


def _shorten(clause: str, source: str, most: int = 16) -> str:
    """Keep the mirror short and in our own words: cut at a clause boundary."""
    ws = clause.split()
    if len(ws) > most or longest_common_run(clause, source) >= 8:
        for sep in (", and ", ", but ", ", ", " and then ", " but ", " and ", " because ", " when ", " after ",
                    " since ", " for ", " about ", " with ", " from "):
            head = clause.split(sep)[0]
            if 3 <= len(head.split()) < len(ws) and longest_common_run(head, source) < 8:
                return head
        # "the heating in flat 4B has been off since Sunday night": the place named once is enough
        placeless = re.sub(r"^((?:the|your|my|our) [\w-]+(?: [\w-]+)?) (?:in|at|of|on|for) (?:\w+ ){0,2}?[\w-]+ (?=(?:has|have|is|are|was|were|keeps?)\b)", r"\1 ", clause)
        if placeless != clause and len(placeless.split()) <= most and longest_common_run(placeless, source) < 8:
            return placeless
        return ""
    return clause


def _question_mirror(question: str) -> str:
    """ "Can I change my address?" -> "I understand you'd like to change your address"."""
    # "Can you add dark mode please?": the customer's "please" is theirs, not part of the wish.
    q, p = re.sub(r",?\s+(?:please|pls|plz)\b(?=\s*[?.!]?$)", "", _clean(question), flags=re.I), _perspective
    if re.match(r"^(?:how|why) (?:is|was|can|could|would) (?:this|that|it) (?:be |even )?(?:fair|ok|okay|acceptable|legal|right|possible|reasonable|normal|allowed)\b", q, re.I):
        return ""  # "How is this fair?": a protest, not a question to say back
    if m := re.match(r"^(?:can|could|may) (?:i|we) (.+)$", q, re.I):
        return f"I understand you'd like to {p(m[1])}"
    if m := re.match(r"^(?:can|could|would|will) you (?:please )?(.+)$", q, re.I):
        return f"I understand you'd like us to {p(m[1])}"
    if m := re.match(r"^(?:did|have|has) (?:you|we) (?:\w+) ((?:my|our|the|your|this|that) .+)$", q, re.I):
        return f"Thanks for checking in about {p(m[1])}"
    if m := re.match(r"^(?:do|does) you (.+)$", q, re.I):
        return f"I understand you'd like to know whether we {p(m[1])}"
    if m := re.match(r"^(how|where|who|when|what) (?:do|can|should) (?:i|we) ((?:need|have|want|ought) to .+)$", q, re.I):
        return f"I understand you'd like to know {m[1].lower()} you {p(m[2])}"  # "what do I need to do"
    if m := re.match(r"^(how|where|who|when|what) (?:do|can|should) (?:i|we) (.+)$", q, re.I):
        return f"I understand you'd like to know {m[1].lower()} to {p(m[2])}"
    if m := re.match(r"^(when|why|where|what time|how long|how) (is|are|was|were) ((?:the|my|our|your|this|that) \w+)(.*)$", q, re.I):
        # "why was my claim for physical therapy denied": the claim's phrase stays with it
        held = re.match(r"^((?: (?:for|of|on|with|from|in|at|to|about) (?:\w+ ){0,4}?\w+)?)( (?:\w+(?:ed|en)|paid|sent|made|done|held|kept|cut|lost|shut|set)\b.*)$", m[4])
        if held:
            return f"I understand you'd like to know {m[1].lower()} {p(m[3])}{p(held[1])} {m[2].lower()}{p(held[2])}"
        if re.match(r"^ (?:for|of|on|with|from|in|at|to|about) [\w' -]+$", m[4]):
            return f"I understand you'd like to know {m[1].lower()} {p(m[3])}{p(m[4])} {m[2].lower()}"
        return f"I understand you'd like to know {m[1].lower()} {p(m[3])} {m[2].lower()}{p(m[4])}"
    if m := re.match(r"^(when|where|what time|how long|how often|why) (does|do|did|will) ((?:the|my|our|your|this|that) \w+) (\w+)(.*)$", q, re.I):
        verb = m[4] + "s" if m[2].lower() == "does" and not m[4].endswith("s") else m[4]
        if m[2].lower() in {"did", "will"}:
            verb = f"{m[2].lower()} {m[4]}"
        return f"I understand you'd like to know {m[1].lower()} {p(m[3])} {verb}{p(m[5])}"
    if m := re.match(r"^(is|was) (this|that|it) (a|an) ((?:known |new |real |genuine )?(?:issue|bug|problem|regression|limitation|error|defect|scam|fraud|"
                     r"phishing|mistake|glitch|outage))$", q, re.I):
        return f"I understand you'd like to know whether {m[2].lower()} {m[1].lower()} {m[3].lower()} {m[4]}"  # "Is this a known issue?"
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
# What they know or accept ("I know I can't appeal") is no situation to be sorry for
KNOWING = re.compile(r"(?:i|we) (?:know|understand|realise|realize|accept|appreciate|am aware|'m aware)\b", re.I)
# An angry customer's ultimatum or last straw is not a situation to say back to them
ULTIMATUM = re.compile(r"\b(?:done being|fed up|sick of|had enough|i'?m done|i am done|or i'?m|or i will|or else|last time i)\b", re.I)
SELF_DESCRIPTION = re.compile(r"^(?:(i am|i'm) (\d+|a|an|not good|old|new)|(?:i've|i have) never)\b", re.I)


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


QUOTED_HEADER = re.compile(r"^\s*(?:On .{3,80} wrote:|-{2,} ?(?:Original|Forwarded) Message ?-{2,}|From: .*|Sent: .*)\s*$", re.I)


def _own_words(message: str) -> str:
    """The message without the earlier emails it quotes ("> ..." lines and their "On Jan 24,
    Sam wrote:" header): what those say is ours or theirs from before, not their situation now."""
    lines = message.strip().split("\n")
    own = [line for line in lines if not draftlib.QUOTE_LINE.match(line) and not QUOTED_HEADER.match(line)]
    return "\n".join(own).strip() if any(line.strip() for line in own) else message.strip()


def mirror_candidates(ctx: Context) -> list[str]:
    """Sentences that name the customer's situation in our words, best first."""
    message = _own_words(ctx.customer_message)
    if not message:
        return []
    grief = bool(GRIEF.search(message))
    delighted = customer_feeling(message) == "praise"
    scored = []
    for index, core in enumerate(_clauses(message)):
        if (repeat := REPEATED_CONTACT.match(core)) and not grief:
            about = repeat.group(3) or ""
            about = " about " + ("this" if about.lower() in {"this", "it"} else _perspective(about)) if about else ""
            nth = repeat.group(1).lower()
            scored.append((9 - index * 0.1, f"!I'm sorry this is the {ORDINAL.get(nth, nth)} time you've had to {CONTACT_VERB[repeat.group(2).lower()]}{about}."))
            continue
        if re.match(r"(?:nothing|none of (?:that|this)) (?:has |have )?(?:changed|is different)\b", core, re.I):
            continue  # "Nothing has changed in our house": their evidence, not their trouble
        if INSULT.search(core) or IMPERATIVE.search(core) or ULTIMATUM.search(core) or len(words(core)) < 4 or KNOWING.match(core):
            continue
        if re.search(r"\b(but|because|so|though|although)\b|[`*#\[\]()]|https?:", core, re.I):
            continue  # two situations in one clause, or markup: neither turns round into one sentence
        if core.endswith("?") and not re.match(r"(?:can|could|would|will|do|does|did|is|are|was|were|have|has|had|how|what|when|where|why|who|"
                                               r"which|should|shall|may|am|any|anyone|isn't|aren't|don't|doesn't|didn't|won't|can't)\b", core, re.I):
            core = core.rstrip("?!") + "."  # "StreamBox charged me twice on 2 May??": astonishment, not a question
        question = core.endswith("?")
        fragment = not question and not (SUBJECT_START.match(core) or NOUN_PHRASE.match(core))
        if fragment and not (TROUBLE.search(core) and len(words(core)) <= 12 and not re.search(r"\bplease\b", core, re.I)):
            continue  # a fragment is a situation only when it names a problem ("rate limit errors since this morning")
        first_person = bool(re.search(r"\b(i|my|me|i'm|i've|we|our)\b", core, re.I))
        score = (3 if question else 0) + (1 if first_person else 0) + 2 * len(TROUBLE.findall(core))
        score -= 3 if SELF_DESCRIPTION.match(core) else 0
        # "I called the emergency line twice" after "The heating has been off since Sunday": the
        # chasing is theirs because of the trouble, which comes first
        score -= 1.5 if re.search(r"\bi(?:'ve| have)? (?:called|emailed|phoned|written|wrote|messaged|contacted|chased|asked)\b.*\b(?:twice|times|again)\b", core, re.I) else 0
        score -= 2.5 if ", " in core and not question else 0  # its parts read better on their own
        if delighted and POSITIVE.search(core) and not TROUBLE.search(core):
            score += 4  # "the new offline sync is brilliant" before "you were on a 9-hour flight"
        scored.append((score - index * 0.1, core))
    out = []
    for _, core in sorted(scored, key=lambda item: -item[0]):
        if core.startswith("!"):
            out.append(core[1:])  # written whole above
            continue
        if core.endswith("?"):
            mirror = _question_mirror(core)
            if mirror and len(words(mirror)) <= 26 and longest_common_run(mirror, message) < 8:
                out.append(mirror + ".")
            continue
        if grief and (loss := LOSS.search(core)):
            out.append(f"I'm so sorry for the loss of your {loss.group(1).lower()}.")
        praise = not grief and bool(POSITIVE.search(core)) and not TROUBLE.search(core)
        whole = _perspective(_clean(core), ours=praise)
        clause = _shorten(whole, message)
        if not clause:
            continue
        if (clause != whole and TROUBLE.search(whole) and not TROUBLE.search(clause) and len(words(clause)) <= 5
                and not re.search(r"\bkeeps?\b", clause)):
            continue  # "your blender arrived" cut from "... arrived with the jug cracked": the trouble is gone
        if NOUN_PHRASE.match(clause) and not re.search(r"\b(is|are|was|were|has|have|had)\b", clause):
            clause = re.sub(r"^(yet another|another|a|an) ", "the ", clause, flags=re.I)
            out.append(f"I'm sorry about {clause}.")
            continue
        if not SUBJECT_START.match(clause) and not NOUN_PHRASE.match(clause):
            # A fragment ("rate limit errors since this morning") is named only when it is a
            # short noun phrase; "the previously held 387 hours at last memory" is not one.
            if len(words(clause)) <= 8 and not re.search(r"\b\w+(?:ed|en)\b|\d", clause):
                out.append(f"I'm sorry about the {clause}." if not clause.lower().startswith("the ") else f"I'm sorry about {clause}.")
            continue
        if re.match(r"(?!(?:you|it|there|this|that|he|she|we|they|nothing|everything|someone|somebody|nobody)\b)[a-z]+ (?:are|were|is|was)\b", clause) \
                and not TROUBLE.search(clause):
            continue  # "files are ~50MB exports from Excel": which files, and what went wrong?
        if re.match(r"(this|that|it|these|those|which|who|whom|whose)\b(?!')", clause, re.I):
            continue  # "I understand that this is counter to ...": which "this" is not ours to say
        for variant in dict.fromkeys([clause, _shorten(clause, message, 8)]):
            if not variant:
                continue
            if SETUP.match(variant) and not _misfortune(variant):
                continue  # "I understand that you are using Win10.": their setup, not their situation
            if grief:
                out.append(f"I'm so sorry to hear that {variant}.")
            elif POSITIVE.search(variant) and not TROUBLE.search(variant):
                out.append(f"It's lovely to hear that {variant}.")
            elif (m := re.match(r"you(?:'ve| have) (asked|called|written|emailed|chased|contacted|phoned|messaged) ", variant)) or (
                    (m := re.match(r"you (asked|called|wrote|emailed|chased|contacted|phoned|messaged) ", variant))
                    and re.search(r"\b(?:twice|times|again)\b", variant)):
                out.append(f"I'm sorry you've had to {HAD_TO[m.group(1)]} {variant[m.end():]}.")
            elif _misfortune(variant) and not SELF_DESCRIPTION.match(core):
                out.append(f"I'm sorry to hear that {variant}.")
            else:
                out.append(f"I understand that {variant}.")
    return out


SETUP = re.compile(r"(?:you(?:'re| are) (?:using|running|on)|you (?:use|run)|you tried (?:on|in|with|it on))\b", re.I)
# What they had to do because we didn't: "you've asked three times" is ours to be sorry for
# as "you've had to ask three times", never as their act
HAD_TO = {"asked": "ask", "called": "call", "written": "write", "emailed": "email", "chased": "chase",
          "contacted": "contact", "phoned": "phone", "messaged": "message", "wrote": "write"}


def _misfortune(clause: str) -> bool:
    """Whether `clause` names something gone wrong: "you still have the box" holds "still"
    and nothing wrong; "it still doesn't work" does."""
    for m in TROUBLE.finditer(clause):
        if m.group(0).lower() != "still" or re.match(r"\s+(?:\w+n't|not|no|unable|waiting|broken|missing)\b", clause[m.end():], re.I):
            return True
    return False


LOSS = re.compile(
    r"\bmy (mother|father|mom|mum|dad|husband|wife|partner|son|daughter|brother|sister|grandmother|grandfather|"
    r"grandma|grandpa|friend|dog|cat)\b[^.]*\b(died|passed away|passed|has died|is gone)\b",
    re.I,
)
