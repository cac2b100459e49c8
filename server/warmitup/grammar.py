"""Two slips of fast typing put right in a draft's prose: a missing article and a missing plural.

Agents under time pressure drop articles ("Visit branch with photo ID.", "if it continues
to give error", "Need account PIN or death certificate.") and plural endings ("at the
beginning of all the library source file"). Kept as written, the reply reads as a
telegram; rewritten by the model, the same words come back ("Please visit branch").

The parser (`reading.parse`, spaCy's small English pipeline) finds a singular common noun
that is the object of a verb with no determiner, possessive or number before it; the
article it gets is chosen from what the customer's message says:

- the customer wrote "my card" -> "your card"; wrote "the card" -> "the card"; wrote
  "card" with nothing before it (a feature, "dark mode") -> as they wrote it;
- a thing every customer has one of (an account, a password, a router) -> "your ...";
- the product's own parts (the app, the website, the settings page) -> "the ...";
- a noun named by another before it ("spam folder", "death certificate") -> "the ...";
- the object of a verb that brings a new one about ("send", "open", "report") -> "a"/"an"
  ("visit a branch", "report a bug"); of any other ("reinstall driver") -> "the".

Nouns that take no article (information, access, feedback, ...) are left alone, and so is
every noun in a line the parser can't read as a sentence with a verb. A noun after "all
(the)", "many", "several", "both", "these" or "those" gets its plural ending when it is
regular (after a number it is left alone: "ward 6 team" is a name). Nothing else is
changed: no word is removed, and the callers keep a line as written when its facts would
change.
"""

from __future__ import annotations

import re

from . import reading
from .draft import SECOND_ACT

# Nouns that are uncountable (or are in the sense a support reply uses them): no article.
MASS = frozenset(
    """information info data access help support feedback advice time money cash credit software hardware code
    documentation work progress equipment evidence permission storage space traffic content music news research
    id stuff furniture luggage baggage mail spam shipping delivery billing insurance electricity power water
    internet wifi coverage maintenance training guidance knowledge damage proof identification approval consent
    registration verification authentication security privacy history weight postage tax vat interest
    fun luck patience attention care notice action use usage input output feedback malware cancellation
    today tonight tomorrow yesterday home school bed breakfast lunch dinner noon midnight town church online
    offline email e-mail voicemail chat text sms english french german spanish""".split()
)
# What each customer has one of: "Reset password." -> "Reset your password."
YOURS = frozenset(
    """account password profile subscription order card phone device laptop computer router modem browser cache
    inbox username login pin address booking reservation ticket receipt invoice statement balance plan bill
    membership licence license key passport reference postcode number""".split()
)
# The product's own parts: "Update app." -> "Update the app."
OURS = frozenset(
    """app application website site page dashboard portal form link button menu tab screen server extension
    plugin installer update firmware version release checkout cart homepage policy terms guide article faq
    manual docs changelog readme wiki forum contract agreement""".split()
)
# A verb and a noun that make one phrase: "takes effect" is not "takes an effect".
IDIOMS = frozenset(
    """take:effect take:place take:care take:part take:advantage take:action take:note take:turn make:sense
    make:use make:contact make:sure give:way pay:attention have:fun keep:track lose:track get:rid price:match
    lose:weight make:progress""".split()
)
# Words before a noun that already say which or how many: no article goes in front.
DETERMINERS = {"next", "last", "each", "every", "same", "other", "another", "such", "no", "any", "some", "much",
               "more", "most", "enough", "half", "own", "either", "neither", "which", "what", "whatever", "this",
               "that"}
DEFINITE_MODIFIERS = {"attached", "enclosed", "linked", "following", "above", "below", "latest", "current",
                      "original", "previous", "first", "second", "third", "final", "only", "right", "wrong", "main",
                      "whole", "entire", "full", "best", "newest", "oldest"}
# Verbs whose object is a new one of its kind: "a"/"an" before it.
BRINGING = frozenset(
    """send attach file open report submit take visit book make create add get buy request give show leave write
    raise schedule upload enter choose pick need have find start join post include provide suggest issue offer
    receive try use apply""".split()
)
KIND_MODIFIERS = {"empty", "new", "different", "separate", "valid", "custom", "fresh", "clean", "blank", "single",
                  "simple", "strong", "unique", "temporary", "small", "large", "short", "long", "quick", "spare",
                  "extra", "free", "paid", "smaller", "larger", "newer", "shorter", "longer", "better"}
COUNTING = {"all", "many", "several", "both", "these", "those", "multiple", "various", "few", "numerous"}
DETERMINING_DEPS = {"det", "poss", "nummod", "quantmod", "predet", "nmod"}
VOWEL_SOUND = re.compile(r"^(?:[aeio](?!ne\b|nce)|u(?!ni|se|su|ti|ro|ku|ra|re|sa)|hour|honest|heir)")
NOT_A_WORD = re.compile(r"[^A-Za-z'-]")


def _an(word: str) -> bool:
    """Whether "an" goes before `word`: "an ID", "an SMS", "an error", "a user", "a PIN"."""
    if word.isupper() and len(word) > 1:
        return word[0] in "AEFHILMNORSX"
    return bool(VOWEL_SOUND.match(word.lower()))


def _article(noun, message: dict[str, str]) -> str:
    said = message.get(noun.lower_)
    if said == "bare":
        return "-"  # the customer wrote "dark mode", not "the dark mode": as they wrote it
    if said and said != "my":
        return "the"  # "Where do I get the key?" -> "collect the spare key"
    # "would need new account": a new one is nobody's yet, "your new account" says it exists
    if any(c.lower_ in KIND_MODIFIERS for c in noun.lefts):
        # "pick new network name": the new router's network, or a name to invent? Either article picks one
        return "-" if any(c.dep_ == "compound" for c in noun.lefts) else ""
    if said == "my":
        return "your"
    if any(c.lower_ in DEFINITE_MODIFIERS for c in noun.lefts):
        return "the"  # "the attached screenshot", "the latest version"
    if noun.lower_ in YOURS:
        return "your"
    if noun.lower_ in OURS:
        return "the"
    # "spam folder", "death certificate": a kind named that closely is a known one
    if any(c.dep_ == "compound" for c in noun.lefts):
        return "the"
    # "send a photo", "open a ticket", "report a bug" bring a new one about; "reinstall
    # the driver", "verify the fix" act on one both sides know
    if _verb(noun).lemma_.lower() in BRINGING:
        return ""  # a / an, by the first word of the noun phrase
    return "the"


def _phrase_start(noun):
    """The first word of the noun phrase `noun` heads (itself, or a word before it)."""
    return min([noun] + [t for c in noun.lefts for t in c.subtree], key=lambda t: t.i)


def _verb(noun):
    return noun.head.head if noun.dep_ == "conj" else noun.head


def _told(message: str) -> dict[str, str]:
    """Each noun of the customer's message and how they pointed at it: "my" or "the"."""
    told: dict[str, str] = {}
    if not message.strip():
        return told
    for token in reading.parse(message):
        if token.pos_ in {"NOUN", "PROPN"} and token.dep_ != "compound":  # "bug bounty" names no bug
            dets = [c.lower_ for c in token.children if c.dep_ in {"det", "poss"}]
            said = "my" if "my" in dets else "the" if dets else "bare"
            if told.get(token.lower_) in {None, "bare"}:
                told[token.lower_] = said
    return told


def _bare_object(token) -> bool:
    """A singular common noun, object of a verb (or joined to one by "or"/"and"), with
    nothing determining it."""
    if token.tag_ not in {"NN", "NNP"} or NOT_A_WORD.search(token.text):
        return False
    if token.tag_ == "NNP" and not (token.text.isupper() and 2 <= len(token.text) <= 4):
        return False  # a name; an acronym like PIN or ID is a noun
    if token.lower_ in MASS or token.lower_.endswith("ing") or not _noun_word(token.lower_):
        return False
    role, head = token.dep_, token.head
    doc = token.doc
    if head.dep_ == "conj" and (head.head.pos_ in {"NOUN", "PROPN"} or (
            head.i >= 2 and doc[head.i - 1].tag_ == "CC" and doc[head.i - 2].dep_ == "dobj")):
        return False  # "certificate or deed poll": "deed" is no verb
    if role == "conj":
        if head.dep_ != "dobj" or not _bare_object(head):
            return False
        role, head = "dobj", head.head
    # "for failing package": a verb in -ing may be the noun's adjective; leave it be
    if role != "dobj" or head.pos_ != "VERB" or head.tag_ not in {"VB", "VBP", "VBZ", "VBD"} or head.i > token.i:
        return False
    if head.tag_ == "VBD" and getattr(reading._subject(head), "tag_", "") not in {"PRP", "NN", "NNS", "NNP", "NNPS"}:
        return False  # "Open attached invoice": a participle, not an act
    if f"{head.lemma_.lower()}:{token.lower_}" in IDIOMS:
        return False
    if token.lower_ == "number" and head.lower_ in NUMBERED:
        return False  # "Quote claim number 5512": one noun, "claim" is no verb here
    if token.lower_ in SCREENS and head.i > 0 and doc[head.i - 1].lower_ in {"to", "on", "in", "via", "from"} and head.lower_ in NOUN_VERBS:
        return False  # "Upload photos to dispute page": the dispute page, "dispute" is no verb here
    if head.i > 0 and doc[head.i - 1].lower_ in {"re", "re:", "regarding"}:
        return False  # "call the building re lift size": "re" is "about", "lift" no verb
    following = next((t for t in doc[token.i + 1:] if t.tag_ not in {"RB"}), None)
    if following is not None and following.tag_ in {"VBN", "VBD", "VBZ", "MD"} and head.i == 0:
        return False  # "Spend cap now set to £50": a headline's subject and its participle, not an order
    subject = reading._subject(head)
    if subject is not None and subject.tag_ == "NN" and not any(c.dep_ in {"det", "poss"} for c in subject.children):
        return False  # "once warehouse receives return": a telegram clause stays even
    left = [c for c in token.lefts]
    if any(t.lower_ in DETERMINERS or t.lower_ in COUNTING for c in left for t in c.subtree):
        return False
    if any(c.dep_ in DETERMINING_DEPS or c.tag_ in {"DT", "PRP$", "CD", "POS", "WDT"} for c in left):
        return False
    first = _phrase_start(token)
    if first.tag_ in {"DT", "PRP$", "CD", "WDT", "WP$"} or first.lower_ in COUNTING or first.is_sent_start:
        return False
    if first.i < token.i and first.lower_.endswith("ing"):
        return False  # "Try clearing cache": a verb in -ing the parser made a noun; "your clearing" is garbled
    if head.sent.start != token.sent.start or first.i != head.i + 1 + sum(1 for t in head.rights if t.i < first.i and t.dep_ == "prt"):
        return False  # the noun phrase follows its verb (or "sign out") at once
    # the word before the noun phrase must not be a determiner the parser left out of it
    if first.i > 0 and first.doc[first.i - 1].tag_ in {"DT", "PRP$", "CD", "POS"}:
        return False
    return all(NOT_A_WORD.search(t.text) is None for t in token.subtree if t.i >= first.i and t.i <= token.i)


# A page or screen named by what it is for ("the dispute page", "the order tab"): after "to",
# "on" or "in", the word before it is its name, not a verb
SCREENS = {"page", "tab", "screen", "form", "section", "portal", "menu", "dashboard", "panel", "center", "centre", "area", "window"}
NOUN_VERBS = {"dispute", "order", "account", "contact", "support", "help", "return", "refund", "claim", "checkout", "search", "review",
              "report", "request", "upload", "download", "login", "sign", "track", "chat", "message", "profile", "setting", "billing"}


# What has a number: "claim number", "order number" are one noun
NUMBERED = {"report", "order", "policy", "case", "claim", "account", "reference", "ticket", "invoice", "member", "serial",
            "tracking", "confirmation", "phone", "booking", "flight", "seat", "room", "model", "part", "card"}


PLACES = {"on", "in", "at", "from", "to", "into", "onto", "for", "with", "under", "near", "of", "about", "inside", "via"}


def _bare_modified(token) -> bool:
    """A singular common noun after a preposition, with an adjective or noun before it and no
    determiner: "on main branch", "of damaged vase", "due to open invoice". A bare noun alone
    after one is most often an idiom ("by email", "on hold", "at checkout") and is left."""
    head = token.head
    if token.dep_ != "pobj" or token.tag_ != "NN" or head.dep_ not in {"prep", "pcomp"} or head.lower_ not in PLACES:
        return False
    if token.lower_ in MASS or NOT_A_WORD.search(token.text) or "-" in token.text or not _noun_word(token.lower_):
        return False  # "keep this on longer-term": no noun
    left = list(token.lefts)
    if not left or not any(c.dep_ in {"amod", "compound"} for c in left):
        return False
    if any(c.dep_ in DETERMINING_DEPS or c.tag_ in {"DT", "PRP$", "CD", "POS", "WDT"} for c in left):
        return False
    if any(t.lower_ in DETERMINERS or t.lower_ in COUNTING or t.like_num for c in left for t in c.subtree):
        return False
    first = _phrase_start(token)
    if first.i != head.i + 1 or first.lower_ in MASS:
        return False
    return all(t.is_alpha for t in token.doc[first.i:token.i + 1])  # "longer-term" is three tokens


def _uneven(token, fixing) -> bool:
    """Whether the sentence of `token` holds another bare singular noun that stays bare
    ("Call police for report and contact embassy for emergency passport"): one article put
    after a preposition in a telegram makes it read worse, not better."""
    for t in token.sent:
        noun = t.tag_ == "NN" or (t.tag_ == "NNP" and t.text.islower())
        if t.i in fixing or not noun or t.dep_ not in {"dobj", "pobj", "nsubj"}:
            continue
        if t.lower_ in MASS or not _noun_word(t.lower_) or NOT_A_WORD.search(t.text):
            continue
        if not any(c.dep_ in {"det", "poss", "nummod"} or c.tag_ in {"DT", "PRP$", "CD"} for c in t.lefts):
            return True
    return False


def _noun_word(word: str) -> bool:
    """Whether `word` can be a noun: WordNet's index of nouns, as the parser's lemmatizer
    carries it, says so, or the word is in neither its nouns nor its verbs (a new word,
    "screenshot"). "verify omit" is a verb typed for another word, not a noun."""
    nouns, verbs = reading.word_index()
    return word in nouns or word not in verbs


def _plural(word: str) -> str:
    if re.search(r"(?:s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(?:man|child|person|foot|tooth|mouse|f|fe|o|um|us|is|on)$", word):
        return ""  # irregular or unsure: left as written
    return word + "s"


def _counted(token) -> bool:
    """A singular common noun that "all the", "many", "both" ... counts. A number is left out:
    "3 plan" is rare, and "ward 6 team", "room 4 key" are names."""
    if (token.tag_ != "NN" or token.lower_ in MASS or NOT_A_WORD.search(token.text) or not token.text.islower()
            or token.lower_.endswith("ed") or not _noun_word(token.lower_)):
        return False
    if token.dep_ == "compound":
        return False
    if token.dep_ in {"nsubj", "nsubjpass"} and (
            token.head.tag_ == "VBZ" or any(c.tag_ == "VBZ" or c.lower_ in {"was", "has"} for c in token.head.children
                                             if c.dep_ in {"aux", "auxpass", "cop"})):
        return False  # the verb says one
    after = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    if after is not None and (after.tag_ == "VBZ" or after.lower_ in {"was", "has"}):
        return False  # "none of those work vault is unrecoverable": the parse misread, the verb says one
    for child in token.lefts:
        if child.lower_ in COUNTING and child.dep_ in {"det", "predet", "amod", "quantmod"}:
            if child.lower_ == "all" and not any(t.tag_ in {"DT", "PRP$"} for t in token.doc[child.i + 1:token.i]):
                return False  # "remove all metal", "all food": a mass; "all the source file" is counted
            return True
    return False


SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
# A label or message quoted as shown ("tick 'Keep math as source'", "says "Pending""): as written
QUOTED = re.compile(r"(?<![\w'])'[^'\n]+'(?![\w'])|\"[^\"\n]+\"|“[^”\n]+”|‘[^’\n]+’")
PLEASE = "Please "


# Participles that describe a noun after a preposition ("for failing package"), read by the
# tagger as a verb with an object.
DESCRIBING = frozenset(
    """failing missing existing remaining pending matching corresponding following upcoming outstanding
    working broken crashing expiring recurring leaking affected attached damaged""".split()
)
SUBORDINATE = {"if", "when", "once", "after", "before", "since", "because", "although", "though", "unless", "until",
               "while", "whenever"}


def _punctuation(doc, shift: int) -> list[tuple[int, int, str]]:
    """A comma after an opening "if"/"when" clause, before the clause it opens onto: "if it
    continues to give an error, you can delete it", "When it arrives, please check the seal"."""
    edits = []
    for verb in doc:
        if verb.dep_ != "advcl" or not any(c.dep_ in {"mark", "advmod"} and c.lower_ in SUBORDINATE | {"when"} for c in verb.children):
            continue
        span = list(verb.subtree)
        start, end = span[0], span[-1]
        opener = start.i == verb.sent.start or (start.i >= 2 and doc[start.i - 1].text == "," and doc[start.i - 2].i == verb.sent.start)
        if not opener or start.lower_ not in SUBORDINATE or end.i + 1 >= len(doc):
            continue
        after = doc[end.i + 1]
        main = verb.head
        if after.is_punct or not (after.dep_ == "nsubj" and after.head.i == main.i or after.lower_ == "please"):
            continue
        edits.append((end.idx + len(end.text) - shift, end.idx + len(end.text) - shift, ","))
    return edits


def _edits(doc, message: str, told: dict | None, shift: int = 0) -> list[tuple[int, int, str]]:
    edits = _punctuation(doc, shift)
    for token in doc:
        # "for failing package" -> "for the failing package"
        if (token.tag_ == "VBG" and token.lower_ in DESCRIBING and token.dep_ == "pcomp" and token.head.lower_ in PLACES
                and token.i == token.head.i + 1 and token.i + 1 < len(doc) and doc[token.i + 1].tag_ == "NN"
                and doc[token.i + 1].dep_ == "dobj" and doc[token.i + 1].head.i == token.i):
            edits.append((token.idx - shift, token.idx - shift, "the "))
    for token in doc:
        if _bare_subject(token):
            told = _told(message) if told is None else told
            said = told.get(token.lower_)
            if said == "bare":
                continue  # "Dark mode isn't available": named as the customer named it
            first = doc[0]
            # "Scale limit (3000/min) applies": the customer's "the Scale plan" names it; it keeps its capital
            named = (first.i < token.i and re.search(r"[\w,] " + re.escape(first.text) + r"\b", message) is not None
                     or any(c.isupper() for c in first.text[1:]))  # "LaTeX export": a name's capitals are its own
            edits.append(_opening_article(first, token, said, shift, named))
    objects = {t.i for t in doc if _bare_object(t)}
    fixing = objects | {t.i for t in doc if t.i not in objects and _bare_modified(t)}
    for i in list(fixing):  # "account PIN or death certificate": one article reaches over both
        if joined := _joined_to_bare(doc[i]):
            fixing |= set(range(i, joined.i + 1))
    for token in doc:
        if token.i in objects or (token.i in fixing and _bare_modified(token) and not _uneven(token, fixing)):
            told = _told(message) if told is None else told
            first = _phrase_start(token)
            article = _article(token, told) if token.i in objects else _place_article(token, told)
            if article == "-":
                continue
            if article == "your" and (joined := _joined_to_bare(token)) and joined.lower_ not in YOURS:
                article = "the"  # "your PIN or death certificate" would make it theirs too
            edits.append((first.idx - shift, first.idx - shift, (article or ("an" if _an(first.text) else "a")) + " "))
        elif _counted(token) and (plural := _plural(token.text)):
            edits.append((token.idx - shift, token.idx - shift + len(token.text), plural))
    return edits


# Nouns a support reply opens a sentence with ("Deposit is non-refundable"), safe to read as
# common nouns even when the tagger calls the capitalised first word a name
SUBJECT_NOUNS = YOURS | OURS | frozenset(
    """deposit limit price fee tech technician courier patch fix refund replacement delivery engineer driver parcel
    package payment charge credit claim case warranty lease rent appointment seat flight room bag item agent team
    office store shop branch warehouse label voucher discount offer quote estimate total amount report request
    review check test repair replacement part battery unit device box""".split()
)


def _bare_subject(token) -> bool:
    """The singular subject that opens a sentence with nothing determining it: "Deposit is
    non-refundable", "Current price is $40", "Tech will call 30 min before"."""
    doc = token.doc
    if token.dep_ not in {"nsubj", "nsubjpass"} or token.tag_ not in {"NN", "NNP"} or token.i > 2:
        return False
    phrase = doc[:token.i + 1]
    if not all(t.is_alpha and t.tag_ in {"NN", "NNP", "JJ"} for t in phrase) or any(t.text.isupper() and len(t.text) > 1 for t in phrase):
        return False
    if any(t.text[0].isupper() for t in phrase[1:]):
        return False  # "Premium Plan is active": a name
    nouns = reading.word_index()[0]
    word = token.lower_
    if word in MASS or word not in nouns:
        return False
    # the first word is capitalised by its place: "Stripe is down" names a company, so only a
    # noun a support reply opens with is read as common; after "Current", "price" is plainly one
    if token.i == 0 and word not in SUBJECT_NOUNS:
        return False
    if token.i > 0 and not token.text.islower():
        return False
    head = token.head
    # "Replacement sent, arrives May 26": a headline's participle is no tense of its own
    tensed = (head.tag_ == "VBZ" or head.tag_ == "VBD" and head.lemma_ in {"be", "have"}
              or any(c.dep_ in {"aux", "auxpass"} and c.tag_ in {"MD", "VBZ", "VBD"} for c in head.children))
    return tensed and head.i > token.i


def _place_article(noun, told: dict[str, str]) -> str:
    """The article after a preposition: as the customer pointed at it; "a"/"an" after "for"
    and "with" ("for an emergency visa"); "the" after any other ("on the main branch")."""
    said = told.get(noun.lower_)
    if said == "bare":
        return "-"
    if said:
        return "your" if said == "my" else "the"
    if any(c.dep_ == "compound" and c.text.isupper() and len(c.text) > 1 for c in noun.lefts):
        return "the"  # "for EU zone only": a region, a name ("the EU zone"), not "an EU zone"
    if any(c.lower_ in KIND_MODIFIERS for c in noun.lefts):
        return ""  # "in a new tab", "with an empty body"
    # "the failing package", "the damaged item": a participle points at one
    if noun.head.lower_ in {"for", "with"} and not any(
            c.lower_ in DEFINITE_MODIFIERS or c.tag_ in {"VBG", "VBN"} for c in noun.lefts):
        return ""
    return "the"


def _joined_to_bare(token):
    """The head of a noun with no determiner of its own that "and"/"or" join to the noun
    phrase of `token` (a "your" in front is read as reaching over both), or None."""
    doc, i = token.doc, token.i + 1
    while i < len(doc) and doc[i].tag_ in {"NN", "NNP", "NNS", "NNPS"}:
        i += 1
    if not (i + 1 < len(doc) and doc[i].tag_ == "CC" and doc[i + 1].tag_ in {"NN", "NNS", "NNP", "JJ", "VBG"}):
        return None
    j = i + 1
    while j + 1 < len(doc) and doc[j + 1].tag_ in {"NN", "NNP", "NNS", "NNPS"}:
        j += 1
    return doc[j]


def _object_ends(doc) -> bool:
    """Whether the first verb's object is followed by a preposition, a conjunction, a comma
    or the end: "Unplug router for a minute", not "Correct phone case ships Monday"."""
    objects = [t for t in doc[1].rights if t.dep_ == "dobj"]
    if not objects:
        return False
    after = objects[0].i + 1
    return after >= len(doc) or doc[after].tag_ in {"IN", "CC", ",", ".", "TO", "RB"}


def _finite(doc) -> bool:
    """Whether a verb in `doc` has a tense, leaving out one whose subject is the first word
    (in "Open attached invoice", "Open" is read as the subject of "attached")."""
    return any((t.tag_ in {"VBD", "VBZ", "VBP", "MD"} or t.pos_ == "AUX")
               and getattr(reading._subject(t), "i", None) != 0 for t in doc)


# Acts done for the customer, reported as a headline: "Refund issued." is "The refund has
# been issued." Only these verbs: each says a thing was done, never a state ("held", "located").
DONE = frozenset(
    """issued sent shipped processed approved cancelled canceled received confirmed reversed removed credited applied
    booked rebooked fixed updated added replaced refunded resolved restored reset unlocked closed merged released
    deployed deleted scheduled arranged renewed extended waived escalated logged filed submitted paid reactivated
    activated verified posted dispatched emailed delivered refreshed upgraded downgraded moved transferred locked
    blocked suspended reissued rescheduled reserved upheld denied rejected completed voided""".split()
)
# A time that dates the act: "Order shipped Tuesday." was shipped, not "has been shipped Tuesday".
DATED = re.compile(r"\b(?:yesterday|today|this morning|last (?:week|month|night|year)|ago|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
                   r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
                   r"nov(?:ember)?|dec(?:ember)?)\b(?:\.? ?\d)?|\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\d{1,2}/\d{1,2})", re.I)


LATER = re.compile(r"\b(?:after|afterwards|later|soon|tomorrow|next|once|when|tonight|by|within|in \d+|until|till|shortly|asap)\b", re.I)


def _done_report(doc, told: dict[str, str]) -> list[tuple[int, int, str]]:
    """ "Refund issued, ref RF-1." -> "The refund has been issued, ref RF-1."; "Tickets
    reissued Monday." -> "The tickets were reissued Monday." A noun phrase of one to five
    words (no determiner, no number) and a verb of `DONE`, first in the sentence, with no
    other verb that has a tense."""
    k = next((t.i for t in doc if t.lower_ in DONE), None)
    if k is None or not 1 <= k <= 5 or k + 1 > len(doc):
        return []
    phrase, verb = doc[:k], doc[k]
    of = next((t.i for t in phrase if t.lower_ == "of"), None)
    if of is not None and of >= 1 and all(not t.is_alpha for t in doc[of + 1:k]):
        phrase = doc[:of]  # "Refund of $106.50 approved": the amount is the refund's
    # "Refund" before "of $106.50 approved" is tagged a verb: a word that can be a noun is one here
    if not all(t.is_alpha and t.tag_ in {"NN", "NNS", "NNP", "JJ", "VB", "VBP"} for t in phrase) or phrase[-1].tag_ == "JJ":
        return []
    nouns = reading.word_index()[0]
    head = phrase[-1]
    if head.lower_ not in nouns and head.lemma_.lower() not in nouns:
        return []
    if any(t.text[0].isupper() and t.i > 0 for t in phrase) or (phrase[0].text.isupper() and len(phrase[0].text) > 1):
        return []  # "Premium Plan activated", "PIN reset": a name, left as written
    after = doc[k + 1] if k + 1 < len(doc) else None
    if after is not None and not (after.is_punct or after.tag_ in {"IN", "RB", "TO", "CD", "RP"} or DATED.match(after.text)):
        return []  # "Password reset done": the verb is not the last word of the report
    # "Refund issued, will post in 5 days": what follows a comma is a second act, joined later
    clause_end = next((t.i for t in doc[k + 1:] if t.text in {",", ";"}), len(doc))
    if any(t.i != k and (t.tag_ in {"VBD", "VBZ", "VBP", "MD", "VBN"} or t.pos_ == "AUX") for t in doc[:clause_end]):
        return []  # "Refund issued and it takes 5 days" has a clause of its own
    if clause_end < len(doc) and not re.match(rf"\s*(?:{SECOND_ACT}|ref|reference|ETA|tracking|case|ticket|\d|[\uE000-\uF8FF]|and the (?:error|mistake|fault) was (?:on )?our)",
                                               doc[clause_end + 1:].text):
        if any(t.tag_ in {"VBD", "VBZ", "VBP", "MD", "VBN"} or t.pos_ == "AUX" for t in doc[clause_end:]):
            return []  # "Refund issued, it takes 5 days": a clause of its own after the comma
    rest = doc[k + 1:].text
    first = re.split(r"[,;]", rest)[0]  # "Refund issued, will post in 5 days": what comes later is the second act's
    if LATER.search(first):
        return []  # "Recording sent after.": still to be done, and "has been sent" would say it was
    plural = head.tag_ == "NNS" and head.lower_ not in {"news", "series"}
    # "Appointment booked 14.08 09:40": the date is the slot booked, not the day of the act
    slot = verb.lower_ in BOOKED and after is not None and (after.like_num or after.tag_ == "CD" or DATED.match(after.text))
    dated = bool(DATED.search(first)) and not slot  # "sent, arrives May 26": the date is the arrival's
    aux = ("were" if plural else "was") if dated else ("have been" if plural else "has been")
    edits = [_opening_article(phrase[0], head, told.get(head.lower_) or told.get(phrase[0].lower_)), (verb.idx, verb.idx, f"{aux} ")]
    if slot:
        edits.append((after.idx, after.idx, "for "))
    return edits


BOOKED = {"booked", "rebooked", "scheduled", "rescheduled", "reserved"}


def _opening_article(first, noun, said: str | None, shift: int = 0, named: bool = False) -> tuple[int, int, str]:
    """The edit that opens a sentence with an article before `first`, the first word of
    `noun`'s phrase: "Your" when the customer wrote "my ..." or it is a thing every customer
    has one of, "The" otherwise; the capital moves to the article unless `first` is a name."""
    article = "Your" if said == "my" or (not said and noun.lower_ in YOURS) else "The"
    return (first.idx - shift, first.idx - shift + 1, f"{article} {first.text[0] if named else first.text[0].lower()}")


def fix(text: str, message: str = "") -> str:
    """`text` (one line of prose, protected spans masked) with missing articles and plural
    endings put in; `message` (the customer's) decides "your" / "the" / "a".

    A telegraphic order ("Unplug router for a minute.") is read by the tagger as a noun
    phrase; with no finite verb in it and a verb first, it is read as "Please unplug router
    for a minute.", the way the customer will read it."""
    if not re.search(r"[a-z]{3}", text):
        return text
    edits: list[tuple[int, int, str]] = []
    told = None
    for m in SENTENCE.finditer(text):
        sentence = m.group(0)
        lead = len(sentence) - len(sentence.lstrip())
        body = sentence.strip()
        if not re.search(r"[a-z]{3}", body):
            continue
        doc = reading.parse(body)
        first = re.match(r"[A-Z][a-z]+\b", body)
        shift = 0
        word = first.group(0).lower() if first else ""
        # only a word that is a verb and never a noun ("Unplug", not "Address mismatch" or
        # "Claim form at ...", which are noun phrases)
        if (word and not (doc[0].tag_ == "VB" and doc[0].dep_ == "ROOT") and not _finite(doc)
                and word in reading.word_index()[1] and word not in reading.word_index()[0]):
            ordered = reading.parse(PLEASE + body[0].lower() + body[1:])
            if ordered[1].tag_ == "VB" and ordered[1].dep_ == "ROOT" and _object_ends(ordered):
                doc, shift = ordered, len(PLEASE)
        told = _told(message) if told is None else told
        if shift == 0 and (done := _done_report(doc, told)):
            edits += [(a + m.start() + lead, b + m.start() + lead, w) for a, b, w in done]
            continue
        if not any(t.pos_ in {"VERB", "AUX"} for t in doc):
            continue
        edits += [(a + m.start() + lead, b + m.start() + lead, w) for a, b, w in _edits(doc, message, told, shift)]
    quoted = [(q.start(), q.end()) for q in QUOTED.finditer(text)]
    edits = [e for e in edits if not any(a < e[0] < b or a < e[1] < b for a, b in quoted)]
    out = text
    for start, end, words in sorted(edits, reverse=True):
        out = out[:start] + words + out[end:]
    return out
