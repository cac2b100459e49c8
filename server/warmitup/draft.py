"""Reading a draft as agents really write it.

A draft has an optional address ("Hi @Xe ,", "@ROUND and @cjdowner,"), a body of
blocks (prose, list items, quoted lines, fenced code) and an optional sign-off
("Thanks,\\nSam", "-- Sam", "Thank you Milton"). Spans that must reach the customer
byte for byte (code, links, mentions, references, paths, placeholders, emoji) are
masked while prose is tidied, so nothing inside them is capitalised, punctuated or
reflowed. Curt or rude phrasing is softened by rules that keep every fact.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from . import facts as factlib

FENCE = re.compile(r"^\s*(```|~~~)")
LIST_ITEM = re.compile(r"^\s*(?:[-*•+]|\d+[.)])\s+")
QUOTE_LINE = re.compile(r"^\s*>")

# Spans kept exactly, in the order they claim text.
PROTECTED = re.compile(
    r"(?P<code>`[^`\n]+`)"
    r"|(?P<link>\[[^\]\n]+\]\([^)\s]+\))"
    r"|(?P<url>\b(?:https?://|www\.)[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]])"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<mention>(?<![\w@/])@[\w-]+(?:/[\w.-]+)?)"
    r"|(?P<ref>(?<![\w&/])#\d+\b|\b[\w.-]+/[\w.-]+#\d+\b)"
    r"|(?P<placeholder>\{\{[^{}]*\}\}|\{%[^{}]*%\})"
    r"|(?P<path>(?<![\w/])(?:\.{1,2}|~)?/[\w.@~+-]+(?:/[\w.@~+-]*)*|\b[\w-]+\.(?:txt|md|json|ya?ml|toml|py|js|ts|sh|exe|dll|so|cfg|ini|conf|log|lock|xml|html|csv|gguf)\b)"
    r"|(?P<emoji>[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF][\uFE0F\u200D\U0001F3FB-\U0001F3FF]*)"
)
# Kinds after which a full stop would read as part of the span (a link or path copied with it).
NO_STOP_AFTER = {"url", "path", "emoji", "email"}
MASK_BASE = 0xE000  # private-use characters stand in for protected spans

GREETING_WORD = r"(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings)"
ADDRESSEE = r"(?:@[\w-]+|\{\{[^{}]*\}\}|[A-Z][\w'.-]*|there|all|everyone|folks|team|guys)"
GREETING = re.compile(
    rf"^\s*(?P<word>{GREETING_WORD})\b(?P<names>(?:[ \t]+{ADDRESSEE}(?:[ \t]+(?:and|&)[ \t]+{ADDRESSEE})?){{0,3}})[ \t]*"
    rf"(?P<stop>[,!.:]|(?=\n)|$)[ \t]*\n*",
    re.I,
)
MENTIONS_FIRST = re.compile(r"^\s*(?P<names>@[\w-]+(?:\s*(?:,|and|&)\s*@[\w-]+)*)\s*[,:]?[ \t]+(?=\S)")
THANKS_MENTION = re.compile(r"^\s*(?P<thanks>thanks|thank you)[ \t]+(?P<names>@[\w-]+)[ \t]*[-–—,:!.][ \t]*", re.I)

VALEDICTION = (
    r"(?:thanks|thank you|many thanks|thanks again|cheers|best|best wishes|best regards|regards|kind regards|"
    r"warm regards|warmly|sincerely|all the best|with sympathy|take care|talk soon)"
)
SIGNOFF_LINE = re.compile(rf"^\s*(?P<word>{VALEDICTION})(?:[ \t]*[,!.]?[ \t]*(?P<name>[A-Z][\w'.-]*(?:[ \t]+[A-Z][\w'.-]*){{0,2}}))?[ \t]*[,!.]?\s*$", re.I)
DASH_SIGNOFF = re.compile(r"^\s*(?:--|—|–|-)[ \t]*(?P<name>\S.{0,40})$")
LONE_NAME = re.compile(r"^\s*(?P<name>[A-Z][a-z'’-]+(?:[ \t]+[A-Z][a-z'’-]+){0,2})[ \t]*$")
# Capitalised words that end drafts on their own line without being a name.
NOT_NAMES = {
    "thanks", "done", "yes", "no", "sorry", "fixed", "closed", "duplicate", "cheers", "best", "regards", "ok",
    "okay", "sure", "noted", "confirmed", "resolved", "agreed", "correct", "great", "perfect", "right", "good",
    "nope", "merged", "released", "shipped", "refunded", "approved", "declined", "enjoy", "welcome", "apologies",
}

# Curt or rude phrasing and its courteous form, applied to prose outside protected spans.
# Each keeps the substance: a refusal stays a refusal, a request a request.
SHORTHAND = {"pkg": "package", "pkgs": "packages", "acct": "account", "accts": "accounts", "appt": "appointment",
             "appts": "appointments", "tmrw": "tomorrow", "tmr": "tomorrow", "msg": "message", "msgs": "messages",
             "cert": "certificate", "approx": "approximately", "dept": "department", "dup": "duplicate", "dupe": "duplicate",
             "txn": "transaction", "txns": "transactions", "pw": "password", "pwd": "password", "amt": "amount",
             "legit": "legitimate", "chg": "charge", "chgs": "charges", "avail": "available", "wk": "week", "wks": "weeks"}


def _as_typed(word: str, typed: str) -> str:
    """`word` capitalised as `typed` was ("Acct" -> "Account"); "ACCT" is an ID, left."""
    if typed.isupper() and len(typed) > 1:
        return typed
    return word[0].upper() + word[1:] if typed[0].isupper() else word


# "police report no 4471", "order No. 88": the abbreviation of "number". Only a lower-case "no",
# or "No." before a figure: "order No." alone may be the answer "No", and that is a fact we keep.
NUMBER_NO = re.compile(r"\b((?i:report|order|policy|case|claim|account|acct|reference|ticket|invoice|member|serial|tracking|confirmation|phone)) "
                       r"(?:no\b(?:\.(?!\s+[A-Z]|\s*$))?|No\.(?=\s*#?[\d\uE000-\uF8FF]))(?!\s+(?:longer|one|way|more|need|problem)\b)")

BIZ_DAYS = re.compile(r"\bbiz (?=days?\b)", re.I)  # "5-7 biz days": business days, the same duration
# What may follow a done act after its comma and be its second act ("Fix merged, deploys with v4.2.0")
SECOND_ACT = r"will|deploys|ships|lands|goes out|rolls out|arrives|releases|shows|appears|posts|clears"
# The subject of a telegram that dropped its verb: up to three words, or words and a masked name ("Invoice INV-1")
BARE_SUBJECT = r"^((?:(?!not\b)[A-Za-z][\w.+-]*\s){0,2}(?:(?!not\b)[A-Za-z][\w.+-]*|[\uE000-\uF8FF]))\s+"

NOT_A_SUBJECT = {"everything", "nothing", "something", "anything", "all", "none", "both", "stay", "stays", "stayed", "remain", "remains", "remained",
                 "become", "becomes", "became", "seem", "seems", "look", "looks", "keep", "keeps", "go", "goes", "went", "get", "gets", "got", "came", "comes", "is", "are", "was", "were", "be", "been", "say", "says", "said", "do", "does", "did", "has", "have", "had",
                 "it", "this", "that", "we", "you", "i", "they", "he", "she", "its", "still", "but", "and", "or", "if", "so",
                 "sadly", "unfortunately", "currently", "sorry", "yes", "no", "just", "also", "already", "yet", "please"}


def _ready(m: re.Match) -> str:
    """ "Ashes ready Fri 21 Jun" -> "The ashes will be ready Fri 21 Jun"; a name is left."""
    from . import reading
    phrase = m.group(1)
    head = phrase.split()[-1].lower()
    nouns = reading.word_index()[0]
    if head in NOT_A_SUBJECT or (head not in nouns and head.rstrip("s") not in nouns) or any(w[0].isupper() for w in phrase.split()[1:]):
        return m.group(0)
    return f"The {phrase[0].lower() + phrase[1:]} will be ready "


def _with_be(m: re.Match) -> str:
    """ "LaTeX export not supported yet" -> "LaTeX export is not supported yet": the verb the
    telegram dropped, by the number of its noun; nothing when the words are no noun phrase."""
    phrase = m.group(1)
    ws = phrase.lower().split()
    if any(w in NOT_A_SUBJECT for w in ws) or ws[0] in {"can't", "won't", "don't", "doesn't"}:
        return m.group(0)
    plural = re.search(r"[^s']s$", ws[-1]) is not None and ws[-1] not in {"this", "its", "status", "bus", "news", "access"}
    # "Purchases non-refundable", "Slip not on file": no name is ever that
    state = not m.string[m.end():].startswith("not ") or re.match(r"not (?:on file|on record|in stock)", m.string[m.end():]) is not None
    if len(ws) < 2 and not state and (plural or ws[0].endswith("s") or not ws[0].isalpha()):
        return m.group(0)  # one word may be a name ("Windows not supported"): is it one or many?
    if state and ws[0] in {"expired", "old", "wrong", "outdated", "previous", "invalid", "former"}:
        return m.group(0)  # "Expired card on file": the card we hold has expired, not "the expired card is on file"
    if m.string[m.end():].startswith("booked") and not (len(ws) > 1 and all(w[:1].isupper() for w in phrase.split())):
        return m.group(0)  # "Dr. Alvarez booked until 14 Nov": a person fully booked; "Table booked for 8" was our act
    proper = len(ws) > 1 and all(w[:1].isupper() for w in phrase.split())  # "Dr. Alvarez", "Travel Pass"
    if state and not plural and not proper and not re.search(r"[\d\uE000-\uF8FF]", phrase) and ws[0] not in {"the", "your", "our", "a", "an", "this", "that", "my"}:
        kind = re.match(r"optional|mandatory", m.string[m.end():])  # "Police report optional": any one
        from .grammar import YOURS
        article = ("an" if ws[0][0] in "aeiou" else "a") if kind else ("your" if ws[-1] in YOURS else "the")
        phrase = (article[0].upper() + article[1:] if phrase[0].isupper() else article) + " " + (phrase[0].lower() + phrase[1:] if not phrase[:2].isupper() else phrase)
    return f"{phrase} {'are' if plural else 'is'} "


# Where a noun ends its phrase: punctuation, the end, or a word that starts the next phrase
PHRASE_END = r"(?=\s*[.,;:!?)]|\s*$|\s+(?:and|or|if|by|before|after|within|until|till|today|tomorrow|now|first|please|so|but)\b)"


def _not_yet(m: re.Match) -> str:
    """ "Dr Hassan's fax not received yet" -> "... has not been received yet"."""
    subject = m.group(2)
    if subject.split()[0].lower() in NOT_A_SUBJECT:
        return m.group(0)
    plural = re.search(r"[^s']s$", subject.split()[-1]) is not None
    return f"{m.group(1)}{subject} {'have' if plural else 'has'} not been {m.group(3)}{m.group(4) or ''}"


COURTESY: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^hey,?\s+(?=[a-z])", re.I), ""),
    (re.compile(r"\bcould you (?:please )?stop (\w+ing)\b([^?.!]*)\?", re.I), r"please avoid \1\2."),
    (re.compile(r"\bstop (\w+ing)\b", re.I), r"please avoid \1"),
    (re.compile(r"\buseless (\w+)", re.I), r"\1 like this"),
    (re.compile(r"\b(is|are|was|were) useless\b", re.I), r"\1 not helpful"),
    (re.compile(r"\b(?:i|we) (?:already|have already) (?:said|told you)(?: that)?,?\s*", re.I), "as I mentioned, "),
    (re.compile(r"\bas i (?:already )?said\b", re.I), "as I mentioned"),
    # "tracking goes out once packed, as already explained.": to someone asking again, the reminder
    # is the rude part; at the end of a sentence it carries nothing and goes
    (re.compile(r",?\s*as (?:already|previously) (?:explained|stated|said|told|mentioned)(?: before)?(?=\s*[.!?]|\s*$)", re.I), ""),
    (re.compile(r"\bas (?:already|previously) (?:explained|stated|said|told)\b", re.I), lambda m: m.group(0)[0] + "s mentioned before"),
    (re.compile(r"\bwe need way more (\w+) than that\b", re.I), r"we'll need a bit more \1"),
    (re.compile(r"\b(?:obviously|clearly|simply|just)\s+(?=read|check|look|use|google)", re.I), ""),
    (re.compile(r"\brtfm\b", re.I), "please see the documentation"),
    (re.compile(r"^(?:please )?(?:go )?read the (docs|documentation|manual|faq|readme)\b[.!]*", re.I), r"This is covered in the \1."),
    # "Nothing we can do til it clears": the same "no", said as regret, not a shrug
    (re.compile(r"^nothing (we|I) can do\b(?: (?:til|till|'til)\b)?", re.I),
     lambda m: "Unfortunately, there's nothing " + ("I" if m.group(1) == "I" else "we") + " can do" + (" until" if m.group(0).lower().endswith("til") else "")),
    # "Can't do that, policy.": the reason, said as one
    (re.compile(r"^((?:we |i )?(?:can't|cannot|can not|won't) [^,.;:!?]+), (?:(?:our|company|store) )?policy\.?$", re.I),
     r"\1 because of our policy."),
    # "Can waive the fee if you want.": an offer says who makes it; "Can you ...?" asks
    (re.compile(r"^can (?!(?:you|we|i|they|he|she|it|this|that|u)\b)(?=[a-z]+\b)(?![^?]*\?)", re.I), "We can "),
    # "Works for me. Check your setup.": what we saw, and a suggestion, not a verdict on them
    (re.compile(r"^works (?:fine )?for me\b", re.I), "It works as expected on my side"),
    (re.compile(r"^(?:check|fix) your (setup|config|configuration|settings|environment|code)\s*([.!]*)$", re.I),
     lambda m: f"It may be worth checking your {m.group(1).lower()}{m.group(2) or ''}"),
    # Telegram fragments with one reading: "Known bug." "Tracking 1Z99." "Should arrive Friday." "Done."
    (re.compile(r"^known (bug|issue|problem|fault|limitation|regression)\b", re.I), r"This is a known \1"),
    (re.compile(r"^(tracking|ref|reference|case|ticket|confirmation|order|claim|booking)(?: (?:number|(?-i:no)\b\.?|(?-i:No)\.|#))?:? ([\w#-]*\d[\w#-]*|[\uE000-\uF8FF])\.?$", re.I),
     lambda m: f"The {'reference' if m.group(1).lower() == 'ref' else m.group(1).lower()} number is {m.group(2)}."),
    (re.compile(r"^(should|will|may|might|could) (arrive|ship|reach you|come|take|show up|appear|clear|be delivered|be ready)\b(?![^?]*\?)", re.I),
     lambda m: f"It {m.group(1).lower()} {m.group(2)}"),
    (re.compile(r"^done[.!]?$", re.I), "That's done."),
    (re.compile(r"^as per my (?:last|previous) (email|message|reply)\b,?", re.I), r"As I mentioned in my last \1,"),
    (re.compile(r"\bur\b(?= [a-z])"), "your"),
    (re.compile(r"\btho\b(?=[.!]?$)"), "though"),
    (re.compile(r"\bIve\b"), "I've"),
    (re.compile(r"\bincl\b\.?(?=\s+in\b|,|\s*$)"), "included"),
    # "if u want", "add u to": you, typed short (lower case, a word of its own between words)
    (re.compile(r"\b(if|when|once|unless|can|could|will|would|should|to|for|let|help|add|send|give|tell|ask|show|get|call|email|remind|that|so|and|but|"
                r"thank|thanks|see|want|need|do|did|are|have|were|sure|than|as|with)\s+u\b(?=\s+[a-z]|[.,!?]|$)"), r"\1 you"),
    (re.compile(r"(?<![\w/])w/in(?![\w/])"), "within"),
    (re.compile(r"\beff\.? (?=today|immediately|now|tomorrow|\d)", re.I), "effective "),
    (re.compile(r"^nope\b[.!]*", re.I), "I'm afraid not."),
    (re.compile(r"^no\.(?=\s|$)", re.I), "I'm afraid not."),
    (re.compile(r"^(can't|cannot|won't)[,.]\s+(?=I\b)", re.I), lambda m: f"I'm afraid I {m.group(1).lower()}: "),
    # A sentence with no subject ("Can't work that out this time.") speaks for the team.
    (re.compile(r"^(can't|cannot|won't|couldn't)\s+(?!(?:you|we|i|they|he|she|it|this|that)\b)(?=[a-z]+\b)", re.I),
     lambda m: f"We {m.group(1).lower()} "),
    # A subjectless act of ours ("Rebooked you on TP1337.", "Added PIN lock on purchases.") says
    # who did it: left bare, a rewrite makes it "It was rebooked you". "Fixed in 0.5.8" (no
    # object) is a state and stays as written; "Need the log" is not past.
    (re.compile(r"^(?!\w*eed\b|(?:embed|shred|shed|bed|red|wed|used|based|tired|bored|scared|worried|interested|excited|"
                r"pleased|limited|located|required|supported)\b)"
                r"([a-z]{2,}ed|sent|made|told|found|left|got|gave|took|brought|built|paid|kept)\s+"
                r"(?=(?:you|it|this|that|these|those|them|him|her|your|the|a|an|our|new|another|replacement|both|(?-i:[A-Z]{2,}))\b|[$£€]\d|\d+ (?!(?:days?|hours?|weeks?|months?|years?|minutes?|mins?|hrs?|business|working|times?)\b)[a-z])", re.I),
     lambda m: f"We {m.group(1).lower()} "),
    (re.compile(r"\bthx\b|\bthnx\b|\btnx\b", re.I), "thanks"),
    # A busy agent's shorthand, in words the customer reads without decoding
    (re.compile(r"(?<![\w/])w/o(?![\w/])"), "without"),
    (re.compile(r"(?<![\w/])w/(?=\s+[a-z\d]|\s+(?:Dr|Mr|Mrs|Ms|[A-Z][a-z]+)\b)"), "with"),
    (re.compile(r"(?<![\w/])b/c(?![\w/])"), "because"),
    (re.compile(r"(?<![\w'])'?(?:til|Til)(?=\s+\w)"), lambda m: "until" if m.group(0)[-3] == "t" else "Until"),
    (re.compile(r"^(until then|in the meantime|meanwhile|for now)\s+(?=[a-z])", re.I), r"\1, "),
    # "dont need return the broken one": the "to" typed past
    (re.compile(r"\b(don't|dont|do not|won't|wont|will not) need (?=(?:return|send|bring|pay|call|worry|do|come|post|ship|print)\b)", re.I), r"\1 need to "),
    # "until dr reviews", "police report no": a doctor, a number
    (re.compile(r"\b(the|your|my|our|a) dr\b(?!\.? ?[A-Z])"), r"\1 doctor"),
    (re.compile(r"(?<![\w.])dr\b(?!\.? ?[A-Z])(?=\s+[a-z])"), "the doctor"),
    (NUMBER_NO, r"\1 number"),
    (re.compile(r"\b(?:pkgs?|accts?|appts?|tmrw|tmr|msgs?|cert|approx|dept|dupe?|txns?|pwd?|amt|legit|chgs?|avail|wks?)\b", re.I),
     lambda m: _as_typed(SHORTHAND[m.group(0).lower()], m.group(0))),
    (re.compile(r"\bpls\b|\bplz\b", re.I), lambda m: "Please" if m.group(0)[0].isupper() else "please"),
    (BIZ_DAYS, "business "),
    # "Dup charge Feb 5 ($240) refunded": the charge of that day, and what was done to it
    (re.compile(r"^((?:[a-z]+ ){0,2}(?:charge|payment|debit|transaction|order|invoice|fee|deposit|booking|withdrawal))( (?:on |from |of )?"
                r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* \d{1,2}|\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*)"
                r"(?: \([^)]*\))?) (refunded|reversed|cancell?ed|canceled|credited|voided|waived|removed|returned)\b", re.I),
     lambda m: f"The {m.group(1).lower()} {'from ' if not re.match(r' (?:on|from|of) ', m.group(2)) else ''}{m.group(2).strip()} has been {m.group(3).lower()}"),
    # "Pls keep old one till new one active"
    (re.compile(r"\b((?:the|a|an|your|my|our|this|that|its|their|any|each|every|which) )?(old|new|broken|damaged|faulty|original|replacement) one\b", re.I),
     lambda m: m.group(0) if m.group(1) else (f"the {m.group(2)} one" if m.start() else f"The {m.group(2).lower()} one")),
    (re.compile(r"(?<![\w'])till(?= (?:the|it|we|you|then|they|your|our|\d|mon|tue|wed|thu|fri|sat|sun))\b"), "until"),
    (re.compile(r"\b(until|once|when) (the \w+(?: one)?|it) (active|ready|live|working|back|here|activated|delivered|fixed)\b", re.I), r"\1 \2 is \3"),
    # "dep 11:15", "so eligible for EUR 250 comp": the flight leaves, and who is eligible for what
    (re.compile(r"\bdep(?:\.|:)? (?=\d{1,2}[:.]\d{2}\b)", re.I), "departing at "),
    (re.compile(r"\barr(?:\.|:)? (?=\d{1,2}[:.]\d{2}\b)", re.I), "arriving at "),
    (re.compile(r"\bso eligible\b", re.I), "so you're eligible"),
    (re.compile(r"(?<=\d) comp\b(?!\w)", re.I), " compensation"),
    (re.compile(r",?\s+anyway(?=\s*[.!]?$)", re.I), ""),  # "Lock expires after 30 min anyway.": a shrug, no fact
    # "Ashes ready Fri 21 Jun after 2pm": a thing to be ready at a time
    (re.compile(r"^((?:[A-Za-z][a-z-]+ ){0,1}[A-Za-z][a-z-]+) ready (?=(?:on|from|after|by|at|for collection|to collect|mon|tue|wed|thu|fri|sat|sun|"
                r"tomorrow|today|\d)\b)", re.I), _ready),
    (re.compile(r"\bon hold (?=\d+(?:\s?-\s?\d+)? (?:days?|weeks?|hours?|months?)\b)", re.I), "on hold for "),
    # Telegrams said as sentences, each with one reading. "Regression from #1417.": what this is;
    # "Fixed in main": a state, where the fix is; "Rebooked on FL 22": who was rebooked
    (re.compile(r"^(regression|typo|known limitation|limitation|duplicate) (from|of|in|since|introduced in)\b", re.I),
     lambda m: f"This is a{'n' if m.group(1)[0].lower() in 'aeiou' else ''} {m.group(1).lower()} {m.group(2)}"),
    (re.compile(r"^(fixed|resolved|patched|addressed) (in|on|as of|since|with)\b", re.I), lambda m: f"This is {m.group(1).lower()} {m.group(2)}"),
    (re.compile(r"^rebooked (on|onto)\b", re.I), r"We've rebooked you \1"),
    # "Not a bug - by design.": what it is, said as a reason and not a shrug
    (re.compile(r"^(not a (?:bug|defect|mistake|fault|error))\s*(?:[-\u2013\u2014,;:]\s*|\.\s+)(?:it's |it is )?(by design|intended|intentional|expected)\b\.?", re.I),
     lambda m: f"This is {m.group(1).lower()}: it's {m.group(2).lower()}."),
    # "We can do partial refund 40% ($34.80)": the refund, and what it is of
    (re.compile(r"\b(do|offer|give|issue|process|make) (partial|full) refund(?: of)? (?=\d+(?:\.\d+)?\s?%|[$£€]\s?\d)", re.I), r"\1 a \2 refund of "),
    (re.compile(r"\b(do|offer|give|issue|process|make) (partial|full) refund\b", re.I), r"\1 a \2 refund"),
    # "..., closing." at the end of a sentence: what we do now, said by us
    (re.compile(r",\s*closing(?: (?:this|it|now))?\s*([.!]?)$", re.I), r", so I'm closing this\1"),
    (re.compile(r"^closing(?: (?:this|it|now))?[.!]?$", re.I), "I'm closing this."),
    (re.compile(r"^(card|account|phone|line|number)( ending(?: in)? [\w\uE000-\uF8FF]+) (blocked|frozen|locked|cancell?ed|canceled|suspended|"
                r"closed|replaced|reissued|unlocked|unblocked|reactivated)\b", re.I),
     lambda m: f"Your {m.group(1).lower()}{m.group(2)} has been {m.group(3).lower()}"),
    (re.compile(r"^(seat|gate|room|terminal|platform|table|locker|desk|bay|pitch) ([A-Z]?\d+[A-Z]?|[\uE000-\uF8FF])\.?$", re.I),
     lambda m: f"{'Your' if m.group(1).lower() == 'seat' else 'The'} {m.group(1).lower()} is {m.group(2)}."),
    (re.compile(r"(?<![\w-])b4(?![\w-])", re.I), "before"),
    (re.compile(r"(?<![\w-])bc(?=\s+[a-z\d])"), "because"),  # lower case only: "BC" is a province
    (re.compile(r"^fyi\b", re.I), "FYI"),  # opening a sentence only: elsewhere the article rule would read it as a noun
    (re.compile(r"^(?:ty|tyvm|thx|thnx)[.!]*$", re.I), "Thank you."),
    # More telegrams with one reading, said as sentences: "Need your approval" is our need,
    # "Quote $612" the quote, "Approx 2 min." how long it takes, "Not a bug" what this isn't
    (re.compile(r"^(quote|estimate|total|price|cost|balance) (?=[$£€¥]\s?\d|[\uE000-\uF8FF])", re.I), lambda m: f"The {m.group(1).lower()} is "),
    (re.compile(r"^((?:approximately|about|around|roughly) )?(\d+(?:\.\d+)?(?:\s?[-–]\s?\d+)? ?(?:business |working )?"
                r"(?:days?|hours?|hrs?|mins?|minutes?|weeks?|months?))( (?:once|after|from|to process|for (?:it|this|the)|after that)\b[^.!?;:,]*)?\.?$", re.I),
     lambda m: f"It takes {(m.group(1) or '').lower()}{m.group(2)}{m.group(3) or ''}."),
    (re.compile(r"^not (a|an) (?=[a-z])", re.I), r"This is not \1 "),
    # "Not our fee, we charge in USD.": what this isn't, and why, said as one sentence
    (re.compile(r"^not (our|your|the|their|fraud|spam|a scam|malware|us)\b", re.I), r"This is not \1"),
    (re.compile(r"^(This is not [^,;.:]+), (?=(?:we|i|you|it|they|that's|it's)\b)"), r"\1: "),  # "not", as the draft said it: the facts compare its negations
    (re.compile(r"^not (broken|possible|available|needed|necessary|required|covered|supported|included|refundable|eligible|"
                r"planned|faulty|expired)\b", re.I), r"It's not \1"),
    (re.compile(r"^closing (?:this )?as (?:a )?(?:duplicate|dupe?)\b", re.I), "I'm closing this as a duplicate"),
    (re.compile(r"^closing (?:this )?(since|because|as|in favou?r of|for now)\b", re.I), r"I'm closing this \1"),
    (re.compile(r"^final (decision|answer|offer)[.!]?$", re.I), r"This is our final \1."),
    # "Transfer to another acct not possible": a noun and what it is for, and what it isn't
    (re.compile(r"^([A-Za-z][a-z]+(?:s)?) ((?:to|for|of|on|in|with|from|between) (?:another |the |a |an |your |other |new )?[\w-]+(?: (?!not\b|only\b|is\b|are\b|was\b|were\b)[a-z-]+)?) "
                r"(?=(?:not |only )?(?:possible|available|supported|allowed|covered|included|refundable|eligible|permitted|transferable)\b)"),
     lambda m: m.group(0) if m.group(1).lower() in NOT_A_SUBJECT else f"{m.group(1)} {m.group(2)} {'are' if re.search(r'[^s]s$', m.group(1)) else 'is'} "),
    (re.compile(BARE_SUBJECT + r"(?=not (?:supported|available|possible|included|covered|allowed|"
                r"refundable|valid|needed|required|eligible|on file|on record|in stock)\b)"), _with_be),
    (re.compile(BARE_SUBJECT + r"(?=(?:non-refundable|non-transferable|"
                r"optional|mandatory|on hold|on file|in stock|out of stock|back in stock|included|attached|(?-i:OK)|"
                r"legitimate|genuine|(?:fully )?booked (?=until|through|up to)|available|active|inactive|enabled|disabled|pending|overdue|live|"
                r"still (?:covered|valid|active|available|open|pending|included|eligible|on)|held (?=until|till|for))\b"
                r"(?=\s*(?:[,.;:!)\-]|$|(?:per|until|till|for|on|at|in|from|with|but|and|so|as|since|under|via|here|below|above)\b)))"), _with_be),
    (re.compile(r"!{2,}"), "!"),
    (re.compile(r"\b(thanks|thank you) (\w+ing)\b", re.I), r"\1 for \2"),
    (re.compile(r"\s*(?:\bXD\b|:P\b|\blol\b|\blmao\b)", re.I), ""),
    (re.compile(r"\ba (?=[aeio][a-z])(?!one\b|once\b|eu\b|euro)", re.I), "an "),
    (re.compile(r", (Sorry|Thanks|Thank you)\b"), lambda m: ", " + m.group(1).lower()),
    # Slips of grammar everyone makes typing fast.
    (re.compile(r"\bas long a (?=(?:you|we|it|they|the|your|our|this)\b)", re.I), "as long as "),
    (re.compile(r"\b(could|should|would|must) of\b", re.I), r"\1 have"),
    # A contrast needs its comma: "a support issue not a technical one", "not a forum for
    # questions just a tracker".
    (re.compile(r"\b((?:a|an|the) [a-z]+(?: [a-z]+)?) (not (?:a|an|the) [a-z]+)\b"), r"\1, \2"),
    (re.compile(r"\b(not (?:a|an|the) [^,.;:!?]+?) (just|only) ((?:a|an|the) [a-z]+)\b"), r"\1, \2 \3"),
    # "We are welcome you to report it": the welcome is the customer's.
    (re.compile(r"\b(?:we|i) (?:are|am) (?:very |always |most )?welcome (?:for )?you to\b", re.I),
     lambda m: ("Y" if m.group(0)[0].isupper() else "y") + "ou are welcome to"),
    (re.compile(r"\balot\b", re.I), "a lot"),
    # Contractions typed without their apostrophe ("didnt", "Its in requirements.txt").
    (re.compile(r"\b(did|does|do|is|was|were|are|have|has|had|could|should|would)nt\b", re.I), r"\1n't"),
    (re.compile(r"\b([Ii])ts (?=(?:a|an|not|in|on|at|been|already|ok|okay|fine|done|just|still|now|because|there|"
                r"here|working|fixed|broken)\b(?!-))"), r"\1t's "),
    (re.compile(r"(?<=[\w\uE000-\uF8FF]) +\?"), "?"),
    # An opening adverb takes its comma: "Anyway if it fails" -> "Anyway, if it fails".
    (re.compile(r"^(Anyway|However|Also|Otherwise|Meanwhile|Unfortunately|Alternatively|Additionally|Besides|Instead|"
                r"Basically|Honestly|Luckily|Fortunately|Sadly|Currently|Usually|Normally) (?=(?:if|when|once|you|we|i|it|"
                r"this|that|the|there|they|please|our|your)\b)"), r"\1, "),
    # "First this is an issue" -> "First, this is ..."; "First due 15th" is the first payment
    (re.compile(r"^(First|Second|Secondly|Third|Thirdly|Finally) (?=(?:this|that|these|those|the|we|you|it|i|they|"
                r"please|there|our|your|my)\b)"), r"\1, "),
    # "First, this is an issue, not a post. Second, this is not a forum": points of an argument,
    # numbered at someone; a step ("First, we need your receipt") keeps its number
    (re.compile(r"^(?:First|Second|Secondly|Third|Thirdly),? (?=(?:this|that|it) (?:is|was|isn't|wasn't)\b|it's\b)"), ""),
    # An apology joined to the news by a comma ("Sorry for the delay, 1.3.1 is out") is two
    # sentences; "Sorry for the delay, and thanks" stays one.
    (re.compile(r"^((?:sorry|apologies|my apologies) (?:for|about) [^,.!?]{1,40}), "
                r"(?!(?:and|but|or|so|as|because|which|who|if|when|though|although|thanks|thank)\b)(?=\S)", re.I),
     r"\1. "),
    (re.compile(r"^(?:duplicate|dupe)(?: of)?[.:]?\s+(?=[\uE000-\uF8FF])", re.I), "this is a duplicate of "),
    (re.compile(r"(?<=[a-z], )(?:duplicate|dupe) of\s+(?=[\uE000-\uF8FF])"), "a duplicate of "),
    (re.compile(r"^(?:duplicate|dupe)\.?$", re.I), "this is a duplicate."),
    # "Sorry for loss.", "Sorry for delay": the apology said whole, by someone
    (re.compile(r"^(?:so |very |really )?sorry (?:for|about) (your |the )?loss\b", re.I), lambda m: f"I'm so sorry for {(m.group(1) or 'your ').lower()}loss"),
    (re.compile(r"^sorry (for|about) (delay|inconvenience|confusion|trouble|wait|mix-?up|hassle|mess|error|mistake)\b", re.I), r"I'm sorry \1 the \2"),
    # "Valid 24h", "slot held 2h only": for how long
    (re.compile(r"\b(valid|held|good|reserved|kept|active) (?=\d+(?:\.\d+)?\s?(?:h|hrs?|hours?|days?|mins?|minutes?|weeks?|months?)\b)", re.I), r"\1 for "),
    # "Checked, refund was never submitted - our error.": what we did, and whose the error was
    (re.compile(r"^checked(?: (?:it|this|that|again))?\s*[,:;\u2013\u2014-]\s+(?=[a-z])(?:(refund|charge|payment|order|package|parcel|account|card|claim|"
                r"booking|invoice|ticket|request|transfer|delivery|return)\b)?", re.I),
     lambda m: "I've checked, and " + (f"the {m.group(1)}" if m.group(1) else "")),
    # "Charge €64.99 legitimate:", "CL-55817 approved.": the charge of that amount, the case of that number
    (re.compile(r"^(?i:(charge|payment|fee|debit|transaction|deposit|transfer)) ([$£€¥]\s?\d[\d,.]*\d) (?=(?:legitimate|genuine|valid|correct|pending|confirmed)\b)"),
     lambda m: f"The {m.group(1).lower()} of {m.group(2)} is "),
    (re.compile(r"^([A-Z]{1,5}-?\d[\w-]*) (approved|confirmed|processed|cancell?ed|canceled|refunded|shipped|resolved|closed|merged|released|issued|paid|received|"
                r"denied|declined|rejected|reopened|escalated)\b"),
     r"\1 has been \2"),
    (re.compile(r"\s+[-\u2013\u2014]\s+our (error|mistake|fault)\s*([.!]?)$", re.I), r"; that was our \1\2"),
    (re.compile(r"^our (error|mistake|fault|bad)[.!]?$", re.I), lambda m: f"That was our {'mistake' if m.group(1).lower() == 'bad' else m.group(1).lower()}."),
    (re.compile(r"^escalated (to|with)\b", re.I), r"I've escalated this \1"),
    # "Dup charge confirmed, our side not yours.": whose the error was, said whole
    (re.compile(r"(?:,|\s[-\u2013\u2014])\s*our (side|end|fault|error|mistake),? not yours\b", re.I),
     lambda m: f", and the error was on our {m.group(1).lower()}, not yours" if m.group(1).lower() in {"side", "end"} else f", and the {m.group(1).lower()} was ours, not yours"),
    # "Issued today, $89.99, ref RF-7731, 3-5 biz days.": what was done when, its reference, and how long it takes
    (re.compile(r"^(issued|sent|shipped|posted|processed|submitted|filed|reissued|resent|refunded|approved|cancell?ed|canceled|closed|renewed|reactivated) "
                r"(today|yesterday|this morning|this afternoon|just now)\b", re.I),
     lambda m: f"It was {m.group(1).lower()} {m.group(2).lower()}"),
    (re.compile(r", (?:ref|reference|confirmation|case|ticket) ([\w#-]*\d[\w#-]*|[\uE000-\uF8FF]), (\d+(?:\s?[-\u2013]\s?\d+)? (?:business |working )?days)\s*\.?$", re.I),
     r" (reference \1), and it takes \2."),
    (re.compile(r"\b(until|once|when|after) (?:the )?((?:[a-z]+ )?(?:trace|check|review|investigation|inspection|repair|refund|payment|transfer|return|claim|update|"
                r"upgrade|migration|verification|appraisal|assessment|audit|test|scan))(?: is)? (done|complete|completed|finished|ready|processed|approved|received|confirmed)\b", re.I),
     r"\1 the \2 is \3"),
    (re.compile(r"(departing at [^,;.]+?) ?(?:->|\u2192) ?(arriving at)\b", re.I), r"\1, \2"),
    (re.compile(r"(?<=[A-Za-z]) \+ (?=[A-Za-z])"), " and "),
    # "Dr Hassan's fax not received yet": what hasn't happened yet, said with its verb
    (re.compile(r"(^|, )((?:[A-Z][\w']*|[a-z]+'s)(?: [\w']+){0,3}?) not (received|sent|processed|approved|found|shipped|delivered|signed|submitted|paid|"
                r"confirmed|filed|scanned|reviewed|registered|activated)( yet)?\b"),
     _not_yet),
    (re.compile(r", (last|final|next|first) (charge|payment|bill|day|delivery|session|class|invoice) (was|is|will be)\b", re.I), r", and the \1 \2 \3"),
    # "Cancelled. No refund for current month; access until 30 Jun.": what was done, what there isn't, what they keep
    (re.compile(r"^(cancell?ed|canceled|refunded|sorted|updated|confirmed|resolved|reversed|removed|unlocked|reactivated)[.!]?$", re.I),
     lambda m: f"That's been {m.group(1).lower()}."),
    (re.compile(r"^no (refund|charge|fee|credit|compensation|cover|coverage|cashback|discount|reimbursement) (for|on|with) ", re.I), r"There's no \1 \2 "),
    (re.compile(r"\b(for|in|of) (current|previous|next|last|coming) (month|week|year|period|cycle|term|season|billing period)\b"), r"\1 the \2 \3"),
    (re.compile(r"(^|; )access (until|till|through|to) (?=\S)", re.I), lambda m: f"{m.group(1)}{'You' if not m.group(1) else 'you'} have access {m.group(2)} "),
    (re.compile(r"^([a-z]+s) (?=not (?:covered|included|refundable|allowed|permitted|transferable)\b)", re.I),
     lambda m: m.group(0) if m.group(1).lower() in NOT_A_SUBJECT or m.group(1).lower() in {"its", "this", "us", "yes", "is", "was", "has", "does"} else f"{m.group(1)} are "),
    # "off on device", "from vet", "email with link", "before next trip", "for €25 fee": a telegram's
    # dropped article, where the noun ends its phrase (a bare noun before another is a compound)
    (re.compile(r"\b(on|from|to|via|in) (device|phone|laptop|router|account|card)" + PHRASE_END, re.I), r"\1 your \2"),
    (re.compile(r"\b(from|to|with) (vet|doctor|dentist|pharmacy|clinic|office|courier|driver|landlord|bank|insurer|airline)" + PHRASE_END, re.I),
     lambda m: f"{m.group(1)} {'your' if m.group(2).lower() in {'bank', 'landlord', 'insurer'} else 'the'} {m.group(2)}"),
    (re.compile(r"\b(with|for) (link|receipt|invoice|photo|screenshot|code|form|note|letter|reference)" + PHRASE_END, re.I), r"\1 a \2"),
    (re.compile(r"\b(before|after|on|for|with) next (trip|visit|order|bill|booking|flight|stay|payment|renewal|delivery|appointment)\b", re.I), r"\1 your next \2"),
    (re.compile(r"\bfor ([$£€]\s?\d[\d,.]*) (fee|charge|deposit|surcharge)\b", re.I), r"for a \1 \2"),
    # "Escalated to billing lead (Dana); if not in acct by Fri call her direct 555-0142": our lead,
    # what "not" is about, and the call after its condition
    (re.compile(r"\b(escalated (?:this |it )?to) ((?:billing|team|support|shift|store|site|account|tech|technical|case) (?:lead|manager|supervisor|team))\b", re.I),
     r"\1 our \2"),
    (re.compile(r"(^|; |, )if not (in|on|received|here|there|fixed|resolved|working|back|delivered|arrived)\b", re.I),
     lambda m: f"{m.group(1)}{'I' if not m.group(1) and m.group(0)[0].isupper() else 'i'}f it's not {m.group(2)}"),
    (re.compile(r"\b(call|ring|text|email|message) (her|him|them|us) direct(?: on)?(?= \+?\d| [\uE000-\uF8FF])", re.I), r"\1 \2 directly on"),
    (re.compile(r"(\b(?i:if) [^,;.!?]{2,60}?[A-Za-z0-9])(?<!\bor)(?<!\band)(?<!\bthen)(?<!\bto)(?<!n.t)(?<!\bwill)(?<!\bcan)(?<!\bplease) (call|email|contact|reply|text|ring|message|send|try|restart|check|use|tap|click)\b(?! (?:is|was|us|you|it)\b)"),
     lambda m: m.group(0) if re.search(r"\b(?:you|we|i|they|it)$", m.group(1)) else f"{m.group(1)}, {m.group(2)}"),
    (re.compile(r"^(login|log-in|sign-in|purchase|charge|payment|order|transaction|transfer|access)( (?:from|in|at|on) [^,;.]+?)? (?:was )?not (you|yours)\b", re.I),
     lambda m: f"The {m.group(1).lower()}{m.group(2) or ''} was not {m.group(3).lower()}"),
    # "Login from Lagos not you -> we signed out all sessions": what followed, said as what followed
    (re.compile(r"(?<=[\w)\uE000-\uF8FF]) ?(?:->|\u2192|=>) ?(?=(?:we|you|it|they|i|there)\b(?!-))", re.I), ", so "),
    # "No cancel on file from 2 Mar": there is none, said whole
    (re.compile(r"^no (cancel|cancellation|request|record|payment|claim|order|booking|ticket|complaint|booking|refund|form|document|consent|authori[sz]ation)"
                r"( request)? on (file|record)\b", re.I),
     lambda m: f"There's no {'cancellation' if m.group(1).lower() == 'cancel' else m.group(1).lower()}{m.group(2) or ''} on {m.group(3).lower()}"),
    # "Called office 2:15pm, they'll resend.": who called whom, and when
    (re.compile(r"^(called|emailed|phoned|messaged|contacted|texted|rang) (?:the )?(office|clinic|pharmacy|surgery|bank|courier|carrier|warehouse|store|branch|hotel|"
                r"airline|driver|landlord|insurer|doctor|practice|team|vendor|supplier|seller)\b(?: (?=\d{1,2}(?::\d{2})?\s?(?:am|pm)\b))?", re.I),
     lambda m: f"We {m.group(1).lower()} the {m.group(2).lower()}" + (" at " if m.group(0).endswith(" ") else "")),
    (re.compile(r"^(non-refundable|refundable|flexible|promo|promotional|discounted|basic|saver|standard) (rate|fare|ticket|booking|tariff)\b", re.I),
     lambda m: f"This is a {m.group(1).lower()} {m.group(2).lower()}"),
    (re.compile(r"^confirmed (incident|outage|issue|bug|problem|fault|regression)\b", re.I),
     lambda m: f"We've confirmed a{'n' if m.group(1)[0].lower() in 'aeiou' else ''} {m.group(1).lower()}"),
    # "ETA for fix approx 1h, not guaranteed.": the estimate, said as one
    (re.compile(r"^ETA(?: for (?:the )?([a-z]+(?: (?!approx|about|around|roughly)[a-z]+)?))?:? (?=(?:approximately|about|around|roughly|~|\d|mon|tue|wed|thu|fri|sat|sun|tomorrow|today|"
                r"tonight|next|end|early|late|this|within)\b|~|\d)", re.I),
     lambda m: "The ETA" + (f" for the {m.group(1)}" if m.group(1) else "") + " is "),
    (re.compile(r", not guaranteed\s*([.!]?)$", re.I), r", but it's not guaranteed\1"),
    # "Pay $12 online, hold lifts within 2 hrs.": what follows, and to what
    (re.compile(r", (hold|block|suspension|limit|restriction|freeze|access|service|account|card) (lifts|returns|unlocks|reactivates|resumes|clears|expires|comes back)\b", re.I),
     r", and the \1 \2"),
    (re.compile(r"\b(until|till|once) (resolved|fixed|approved|confirmed|verified|cleared|complete|completed|done|processed)\b", re.I),
     lambda m: ("until" if m.group(1).lower() == "till" else m.group(1)) + f" it's {m.group(2)}"),
    (re.compile(r"^(We (?:called|emailed|phoned|messaged|contacted|texted|rang)\b[^,;.]*), (they'll|they will|he'll|she'll|they're)\b"), r"\1, and \2"),
    (re.compile(r"^(Don't|Do not|Dont) ([^,;.]+), it (wipes|deletes|erases|removes|resets|cancels|breaks|voids|locks)\b"),
     lambda m: "Please " + ("do not" if m.group(1) == "Do not" else "don't") + f" {m.group(2)}, as it {m.group(3)}"),
    (re.compile(r"(?<=[A-Za-z\d]) \+ (?=[$£€]\s?\d)"), ", plus "),
    # "Full refund $38.60 issued": the refund of that amount, and what was done
    (re.compile(r"^((?:full |partial )?(?:refund|credit|payment|deposit|transfer|reimbursement)) (?:of )?([$£€]\s?\d[\d,.]*\d|[$£€]\s?\d) "
                r"(issued|processed|sent|approved|applied|added|made|completed)\b(?=( (?:on )?(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"
                r"mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|today|yesterday|this morning|last))?)", re.I),
     lambda m: f"{'A' if re.match(r'full|partial', m.group(1), re.I) else 'The'} {m.group(1).lower()} of {m.group(2)} "
               f"{'was' if m.group(4) else 'has been'} {m.group(3).lower()}"),
    (re.compile(r"(^|; )(slot|booking|offer|price|quote|reservation|seat|room|table|appointment) (held|reserved|valid|open|kept) (?=for\b)", re.I),
     lambda m: f"{m.group(1)}{'The' if not m.group(1) else 'the'} {m.group(2).lower()} is {m.group(3).lower()} "),
    (re.compile(r"^(tech|technician|engineer|plumber|electrician|installer|fitter|nurse|courier|driver)s? (?:is )?booked (?:for |on )?(?=\S)", re.I),
     lambda m: ("An " if m.group(1).lower() in {"engineer", "electrician", "installer"} else "A ")
     + ("technician" if m.group(1).lower() == "tech" else m.group(1).lower()) + " is booked for "),
    # "Earliest with Dr. Chen: Tue 5 Nov 9:30": the earliest there is, and when
    (re.compile(r"^(earliest|next available|next free|first available|soonest)((?: (?:slot|appointment|date|opening|time|delivery))?(?: (?:with|at|for|on|in) [^:;]+?)?): (?=\S)", re.I),
     lambda m: f"The {m.group(1).lower()}{m.group(2)} is "),
    # "Contact your bank.", "Send pic of the label": a request, asked
    (re.compile(r"^(?i:(contact|call|email|send|reply|upload|attach|forward|share|provide|bring|return|keep|ask|text|message|pay))\s+"
                r"(?=(?i:your|the|us|me|a|an|it|this|them|pic|photo|photos|screenshot)\b|YES\b|[$£€]\s?\d|[\uE000-\uF8FF])"),
     lambda m: "Please " + m.group(1).lower() + " "),
]
SHOUTING = re.compile(r"\b[A-Z]{2,}(?:[ \t]+[A-Z']{2,}){2,}\b")
COMMANDS = {"sudo", "npm", "npx", "pip", "pip3", "git", "cd", "ls", "apt", "apt-get", "brew", "yarn", "docker",
            "kubectl", "curl", "wget", "python", "python3", "node", "chmod", "chown", "make", "cargo", "go"}


@dataclass
class Draft:
    address: str   # the draft's own greeting or address, as a greeting line ("Hi @Xe,"), or ""
    body: str      # everything between, tidied, formatting kept
    signoff: str   # the draft's own sign-off ("Thanks,\nSam"), or ""
    code: bool     # holds a code block or inline code


def read(draft: str, agent_name: str = "") -> Draft:
    text = draft.replace("\r\n", "\n").strip("\n")
    address, text = split_address(text)
    text, signoff = split_signoff(text, agent_name)
    return Draft(
        address=address,
        body=tidy(text),
        signoff=signoff,
        code="```" in text or "~~~" in text or bool(re.search(r"`[^`\n]+`", text)),
    )


def split_address(text: str) -> tuple[str, str]:
    """The draft's greeting ("Hi @Xe ,") or opening mentions, as a greeting line, and the rest.
    A greeting word followed by a sentence ("Hey could you stop ...") is not a greeting."""
    if m := GREETING.match(text):
        if m.group("stop") or m.group("names").strip():
            greeting = (m.group("word") + m.group("names")).strip()
            greeting = greeting[0].upper() + greeting[1:]
            return greeting + ",", _capitalise_start(text[m.end():])
        return "", text
    if m := THANKS_MENTION.match(text):
        return f"Hi {m.group('names')},", "Thanks! " + _capitalise_start(text[m.end():])
    if m := MENTIONS_FIRST.match(text):
        return f"Hi {m.group('names')},", _capitalise_start(text[m.end():])
    return "", text


def split_signoff(text: str, agent_name: str = "") -> tuple[str, str]:
    """The body and the draft's own sign-off ("Thanks,\\nSam", "-- Sam", "Thank you Milton",
    or a name alone on the last line), normalised to a valediction line and a name line."""
    lines = text.rstrip().split("\n")
    if len(lines) < 1:
        return text, ""
    last = lines[-1].strip()
    agent = agent_name.strip().lower()
    before = lines[:-1]

    def is_name(candidate: str) -> bool:
        candidate = candidate.strip().rstrip(".")
        if not candidate:
            return False
        if agent and (candidate.lower() == agent or candidate.lower() == agent.split()[0]):
            return True
        m = LONE_NAME.match(candidate)
        return bool(m) and not any(w.lower() in NOT_NAMES for w in candidate.split())

    if before and (m := DASH_SIGNOFF.match(last)) and is_name(m.group("name")):
        return "\n".join(before).rstrip(), f"Best,\n{m.group('name').strip()}"
    if m := SIGNOFF_LINE.match(last):
        name = (m.group("name") or "").strip()
        if name and not is_name(name):
            return text, ""
        body = "\n".join(before).rstrip()
        if not body:
            return text, ""  # "Thanks!" alone is the whole answer, not a sign-off
        word = m.group("word")
        word = word[0].upper() + word[1:]
        return body, f"{word},\n{name}" if name else word + ","
    if len(before) >= 2 and is_name(last) and is_name(before[-1]):
        # A name and their team or title beneath it ("Marco\nGuest Relations").
        body, signoff = split_signoff("\n".join(before), agent_name)
        if signoff:
            return body, f"{signoff}\n{last.strip()}"
    if len(before) >= 1 and is_name(last):
        prev = before[-1].strip()
        if m := SIGNOFF_LINE.match(prev):
            if not m.group("name"):
                body = "\n".join(before[:-1]).rstrip()
                if body:
                    word = m.group("word")
                    return body, f"{word[0].upper() + word[1:]},\n{last.rstrip('.')}"
        if prev == "" or re.search(r"[.!?:)`]$", prev) or prev.endswith(tuple(chr(c) for c in range(0x1F300, 0x1FAFF))):
            body = "\n".join(before).rstrip()
            if body:
                return body, f"Best,\n{last.rstrip('.')}"
    return text, ""


# "Add your VAT no. under Billing": a full stop that ends an abbreviation, with a word before
# it and lower case after, does not start a sentence ("No. US only." still does).
ABBREVIATED = re.compile(r"\w\W+(?:no|nos|vs|approx|est|incl|excl|dept|ext|ref|ca|cf|fig|min|max|e\.g|i\.e)\.$", re.I)


def _capitalise_start(text: str) -> str:
    text = text.lstrip(" \t")
    # Only a plain word: "v0", "npm", "x.y" and "a_b" are codes, commands or names.
    first = re.match(r"[a-z][a-z']*(?=[\s,;:!?)]|\.(?!\S)|$)", text)
    if first and first.group(0) not in COMMANDS:
        return text[0].upper() + text[1:]
    return text


def courteous(text: str, known: frozenset[str] | set[str] = frozenset(), message: str = "") -> str:
    """`text` with the curt or rude phrasing of its prose softened (`COURTESY`) and its clear
    typing slips put right (spelling.py; `known`: words that are right whatever the
    dictionary says, the customer's and the team's; grammar.py: a missing article or plural
    ending, the article chosen by what the customer's `message` says), code, quotes and
    protected spans untouched. A line whose facts or "no"s the rules would change stays as
    written."""
    from . import grammar, spelling

    out, fenced = [], False
    for line in text.split("\n"):
        if FENCE.match(line):
            fenced = not fenced
        if fenced or FENCE.match(line) or not line.strip() or QUOTE_LINE.match(line) or PRIVATE_USE.search(line):
            out.append(line)
            continue
        marker = LIST_ITEM.match(line)
        head = line[: marker.end()] if marker else line[: len(line) - len(line.lstrip())]
        masked, spans = mask(line[len(head):])
        soft = head + unmask(_after_grammar(OUR_NEED.sub(_our_need, grammar.fix(soften(spelling.correct(masked, known)), message))), spans)
        out.append(soft if _same_facts(line, soft) else line)
    return "\n".join(out)


# "Need your approval before we proceed.": our need, said by us. After the articles are put in,
# which read the bare order better ("Need the account PIN"); never a question ("Need help?")
OUR_NEED = re.compile(r"(?:^|(?<=[.!;] ))(need|Need) (?!to\b)(?=[\w\uE000-\uF8FF])(?![^.!?]*\?)")


PLURAL_BE = re.compile(r"\b(?:have been|were|are)\b", re.I)
AFTER_GRAMMAR: list[tuple[re.Pattern, object]] = [
    # "Fix merged in #2240, deploys with v4.2.0.": the second act is the first one's
    (re.compile(r"^(?!(?:if|when|once|after|before|until|unless|since|as|while)\b)((?:(?![,.;!?]).)*?\b(?:has been|have been|is|was)\b[^,.;!?]*), "
                rf"({SECOND_ACT})\b", re.I),
     lambda m: m.group(1) + ", and " + ("they " if PLURAL_BE.search(m.group(1)) else "it ") + m.group(2)),
    # "We refunded $119 to your card, shows in 3-5 days.": the money's way, when it arrives
    (re.compile(r"^((?:we|i)(?:'ve| have)? (?:refunded|credited|sent|returned|reversed|issued|paid|transferred)\b[^,.;!?]*), "
                r"(shows|appears|posts|clears|arrives|lands)(?= (?:in|within|by|on)\b)", re.I),
     r"\1, and it \2"),
]


def _after_grammar(text: str) -> str:
    out = []
    for sentence in SENTENCE_BREAK.split(text):
        for pattern, replacement in AFTER_GRAMMAR:
            sentence = pattern.sub(replacement, sentence)
        out.append(sentence)
    return " ".join(out)


def _our_need(m: re.Match) -> str:
    return "We need " if m.group(1) == "Need" or m.start() == 0 else "we need "


def _same_facts(before: str, after: str) -> bool:
    from . import spelling

    def said(text: str) -> Counter:
        # "dont" typed for "don't" is the same "no": the rules may give it its apostrophe
        text = re.sub(r"\b(don|doesn|didn|isn|aren|wasn|weren|haven|hasn|couldn|wouldn|shouldn|can)t\b", r"\1't", text, flags=re.I)
        text = NUMBER_NO.sub(r"\1 number", text)
        text = re.sub(r"\b(?:tmrw|tmr)\b", "tomorrow", text, flags=re.I)  # the same day, written out
        text = re.sub(r"\bwk(s?)\b", r"week\1", text, flags=re.I)  # "next wk" is "next week"
        text = BIZ_DAYS.sub("business ", text)
        found = Counter((f.kind, f.text) for f in factlib.extract(text) if f.kind in factlib.CHECKABLE_KINDS)
        found.update(("no", factlib.negation_class(m.group(0))) for m in factlib.NEGATIONS.finditer(text))
        return found

    return said(spelling.correct(before)) == said(after)  # "by tommorow" is the same date as "by tomorrow"


PRIVATE_USE = re.compile("[\uE000-\uF8FF]")


def mask(line: str) -> tuple[str, list[tuple[str, str]]]:
    """`line` with each protected span replaced by one private-use character; the spans.
    A line that holds private-use characters of its own is callers' to leave as written."""
    spans: list[tuple[str, str]] = []

    def keep(m: re.Match) -> str:
        spans.append((m.lastgroup or "", m.group(0)))
        return chr(MASK_BASE + len(spans) - 1)

    return PROTECTED.sub(keep, line), spans


def unmask(line: str, spans: list[tuple[str, str]]) -> str:
    return re.sub("[\uE000-\uF8FF]", lambda m: spans[ord(m.group(0)) - MASK_BASE][1], line)


# Rules that read across a line's sentences ("Duplicate. #23").
LINE_COURTESY: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^duplicate(?: of)?[.:]?\s+(?=[\uE000-\uF8FF]\W*$)", re.I), "This is a duplicate of "),
]


# Between two sentences of a masked line: "...pip`?Anyway if" is two, "No. 4471" one
SENTENCE_BREAK = re.compile(r"(?<=[.!?])(?<!\bDr\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bSt\.)(?<!\bvs\.)(?<!\beff\.)(?!(?<=\b[Nn]o\.)\s+(?:#?[\d\uE000-\uF8FF]|[a-z]))\s+|(?<=[\w\uE000-\uF8FF][?!])(?=[A-Z][a-z])")


def soften(masked: str) -> str:
    """The courteous form of a prose line (protected spans masked), sentence by sentence."""
    for pattern, replacement in LINE_COURTESY:
        masked = pattern.sub(replacement, masked)
    out = []
    for sentence in SENTENCE_BREAK.split(masked):
        for pattern, replacement in COURTESY:
            sentence = pattern.sub(replacement, sentence)
        out.append(sentence)
    masked = " ".join(s for s in out if s)
    facts = [(f.start, f.end) for f in factlib.extract(masked) if f.kind in factlib.CHECKABLE_KINDS]

    def calm(m: re.Match) -> str:  # "PLEASE STOP" is shouting; "10:00 AM PT INV-1" holds facts
        held = any(start < m.end() and m.start() < end for start, end in facts)
        return m.group(0) if held else m.group(0).lower()

    masked = SHOUTING.sub(calm, masked)
    return re.sub(r"[ \t]{2,}", " ", masked).strip()


def tidy_prose(line: str) -> str:
    """One prose line: softened, each sentence capitalised, a full stop where one is missing;
    protected spans untouched."""
    if PRIVATE_USE.search(line):
        return line  # our masks could not be told from its own characters
    masked, spans = mask(line)
    masked = soften(masked)
    masked = re.sub(r"(?<=[a-z\uE000-\uF8FF])([?!.])(?=[A-Z])", r"\1 ", masked)  # "...pip`?Anyway"
    parts = [p for p in re.split(r"(?<=[.!?])\s+", masked) if p]
    masked = " ".join(p if i and ABBREVIATED.search(parts[i - 1]) and p[:1].islower() else _capitalise_start(p)
                      for i, p in enumerate(parts))
    if masked and not re.search(r"[.!?:;)]$", masked):
        last = masked[-1]
        if "\uE000" <= last <= "\uF8FF":
            if spans[ord(last) - MASK_BASE][0] not in NO_STOP_AFTER:
                masked += "."
        elif last.isalnum() or last in "'\"”’":
            masked += "."
    return unmask(masked, spans)


def tidy(text: str) -> str:
    """The body with its prose tidied and everything else (code, lists, quotes, line breaks,
    blank lines between paragraphs) exactly as written."""
    out: list[str] = []
    fenced = False
    for line in text.strip("\n").split("\n"):
        if FENCE.match(line):
            fenced = not fenced
            out.append(line)
        elif fenced:
            out.append(line)
        elif not line.strip():
            if out and out[-1] != "":
                out.append("")
        elif LIST_ITEM.match(line) or QUOTE_LINE.match(line):
            marker = LIST_ITEM.match(line)
            out.append(line[: marker.end()] + _soft_only(line[marker.end():]) if marker else line.rstrip())
        else:
            out.append(tidy_prose(line.strip()))
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def _soft_only(text: str) -> str:
    """A list item: softened, capitalised, but no full stop added."""
    if PRIVATE_USE.search(text):
        return text
    masked, spans = mask(text)
    return unmask(_capitalise_start(soften(masked)), spans)


TEMPLATE_LINE = re.compile(
    r"^\s*(?:#{1,6}\s.*|\*\*[^*]+\*\*:?\s*|[-=_*]{3,}|(?:steps to reproduce|to reproduce|expected behaviou?r|"
    r"actual behaviou?r|describe the bug|desktop|smartphone|additional context|environment)\b.*:?)$",
    re.I,
)


def message_for_model(message: str) -> str:
    """The customer's message as plain sentences for the model: code blocks, logs, links,
    issue-template headings and list markers left out (the checks still read the whole message)."""
    text = FENCED_BLOCK.sub(" ", message.replace("\r\n", "\n"))
    text = re.sub(r"```[^`]*```", " ", text)
    lines = []
    for line in text.split("\n"):
        if TEMPLATE_LINE.match(line) or QUOTE_LINE.match(line) or re.match(r"^\s*On .{3,80} wrote:\s*$", line):
            continue
        line = LIST_ITEM.sub("", line)
        line = re.sub(r"\b(?:https?://|www\.)\S+", "", line)
        line = re.sub(r"\*\*|__", "", line).strip()
        if line:
            lines.append(line)
    # A line break ends a sentence only where the next line starts like one.
    joined = [
        line + ("." if not re.search(r"[.!?:,;]$", line) and (i + 1 == len(lines) or lines[i + 1][:1].isupper()) else "")
        for i, line in enumerate(lines)
    ]
    return " ".join(joined)


FENCED_BLOCK = re.compile(r"(?ms)^[ \t]*(```|~~~).*?^[ \t]*\1[ \t]*$")


def code_spans(text: str) -> list[str]:
    """Every code block and inline code span in `text`, exactly as written."""
    blocks = [m.group(0).strip("\n") for m in FENCED_BLOCK.finditer(text)]
    return blocks + re.findall(r"`[^`\n]+`", FENCED_BLOCK.sub("", text))
