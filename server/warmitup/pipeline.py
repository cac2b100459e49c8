"""The guarded rewrite: the model writes what it is good at, the guard decides what stays.

1. The draft's facts are extracted; the reply's frame (greeting, closing, sign-off)
   is composed deterministically (`compose.plan`).
2. The model writes the mirror sentence (a few candidates, first that passes the
   segment checks wins); the customer's own words, turned to our side, stand in
   when none passes.
3. The model rewrites the draft as full sentences; if that loses, changes or adds
   anything, the draft's own sentences are kept.
4. The assembled reply is checked whole. A failing model part is replaced by its
   fallback until the reply passes; the fully deterministic reply passes by
   construction (it holds the draft verbatim and fixed frames).
"""

from __future__ import annotations

import difflib
import re
import threading
import time
from dataclasses import dataclass, field, replace

from . import compose, prompts
from . import draft as draftlib
from . import reading
from .guard import Context, check_reply, check_segment, failed, sentences, specificity, words


def _libc_trim():
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_TRIM = _libc_trim()


def release_free_memory() -> None:
    """Hand memory freed during a rewrite back to the system. Rewrites run on many
    short-lived request threads, and glibc otherwise keeps each thread's freed
    arena memory, so the server's footprint creeps up under load."""
    if _TRIM is not None:
        _TRIM(0)


class Cancelled(Exception):
    """The caller went away; the rewrite stopped between model calls."""


class Busy(Exception):
    """The model stayed busy with other rewrites past this one's deadline."""


class OutOfTime(Exception):
    """The deadline passed during model work; fallbacks finish the reply."""


class InputError(ValueError):
    """A request the pipeline can't work on; the message says why."""


@dataclass
class RewriteRequest:
    draft: str
    customer_message: str = ""
    customer_name: str = ""
    agent_name: str = ""
    tone: str = ""  # empty: the team profile's formality, or "warm"
    voice: object = None  # voice.Voice of the active team profile, if any

    @classmethod
    def from_case(cls, case: dict) -> "RewriteRequest":
        """A request from a cases-file line (the field names of dev-cases.jsonl)."""
        return cls(
            draft=case["draft"],
            customer_message=case.get("customer_message") or "",
            customer_name=case.get("customer_name") or "",
            agent_name=case.get("agent_name") or "",
            tone=case.get("tone") or "warm",
        )

    def validate(self, max_draft: int = 4000, max_message: int = 8000) -> None:
        for name in ("draft", "customer_message", "customer_name", "agent_name", "tone"):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise InputError(f"'{name}' must be a string, not {type(value).__name__}")
            if "\x00" in value:
                raise InputError(f"'{name}' contains a NUL byte; send plain text")
        if not self.draft.strip():
            raise InputError("'draft' is empty: write the reply you want warmed up first")
        if len(self.draft) > max_draft:
            raise InputError(f"'draft' is {len(self.draft)} characters; the limit is {max_draft}")
        if len(self.customer_message) > max_message:
            raise InputError(f"'customer_message' is {len(self.customer_message)} characters; the limit is {max_message}")
        for name in ("customer_name", "agent_name"):
            if len(getattr(self, name)) > 100:
                raise InputError(f"'{name}' is longer than 100 characters")
        if self.tone and self.tone not in compose.TONES:
            raise InputError(f"unknown tone {self.tone!r}: use one of {', '.join(compose.TONES)}")


@dataclass
class RewriteResult:
    reply: str
    facts: list[dict]
    path: dict
    checks: list[dict]
    model_share: float
    parts: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)  # the draft -> reply word diff, for people
    timings: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "reply": self.reply,
            "facts": self.facts,
            "path": self.path,
            "checks": self.checks,
            "model_share": round(self.model_share, 3),
            "parts": self.parts,
            "changes": self.changes,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "tokens": self.tokens,
        }


def word_changes(before: str, after: str) -> list[dict]:
    """[{"op": "same" | "removed" | "added", "text"}], word by word, spaces kept."""
    a, b = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    out: list[dict] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append({"op": "same", "text": "".join(b[j1:j2])})
            continue
        if i2 > i1:
            out.append({"op": "removed", "text": "".join(a[i1:i2])})
        if j2 > j1:
            out.append({"op": "added", "text": "".join(b[j1:j2])})
    return out


def _with_voice(plan: compose.Plan, voice, ctx: Context, tone: str) -> compose.Plan:
    """The team's greeting and sign-off (a grieving customer keeps the gentle one), its
    phrase rules over every fixed line, and one friendly emoji where the team uses them."""
    greeting = voice.greeting_for(ctx.customer_name) if voice.greeting else plan.greeting
    signoff = voice.signoff_for(ctx.agent_name) if voice.signoff and not plan.grief else plan.signoff
    closing = [voice.rewrite_phrases(line) for line in plan.closing]
    thanks = voice.rewrite_phrases(plan.thanks) if plan.thanks else ""
    if voice.emoji and closing and not (plan.grief or plan.refusal) and tone != "formal-warm":
        if thanks and closing[-1] == thanks:
            thanks += " 🙂"
        closing[-1] += " 🙂"
    return replace(
        plan, greeting=voice.rewrite_phrases(greeting), signoff=voice.rewrite_phrases(signoff), closing=closing,
        thanks=thanks,
    )


def specific_enough(fallback: int) -> int:
    """How many of the customer's own words a model mirror must name, when the customer's
    words turned round (the fallback) name `fallback` of them: at least one, and half of
    them. A model sentence naming "the bookshelf" and "still no refund" is as much *their*
    situation as one that lists every word they used, and "Thank you for asking about a
    partnership" as much as "...you'd like to know who to talk to about a partnership"."""
    return min(fallback, max(1, (fallback + 1) // 2))


def _first_sentence(text: str) -> str:
    text = _unwrap_quotes(text.strip())
    parts = sentences(text)
    if not parts:
        return ""
    first = _unwrap_quotes(parts[0].strip())
    if first.endswith("!"):
        first = first[:-1] + "."
    if not first.endswith((".", "?", '."', '?"', ".”", "?”")):
        first += "."
    return first


def _unwrap_quotes(text: str) -> str:
    """Quotes around the whole text go; a quote that closes a quoted phrase inside stays."""
    text = text.strip("“”").strip()
    if len(text) > 1 and text[0] == text[-1] == '"' and text.count('"') == 2:
        return text[1:-1].strip()
    if text.count('"') % 2:
        text = text[1:] if text.startswith('"') else text[:-1] if text.endswith('"') else text
    return text.strip()


def _clean_body(text: str) -> str:
    text = text.strip().strip('"“”').strip()
    return re.sub(r"\s+", " ", text)


def _same_words(a: str, b: str) -> bool:
    return [w.lower() for w in words(a)] == [w.lower() for w in words(b)]


# Drafts longer than this (in words) are kept as written, tidied: the model's rewording adds
# least there and risks most (on real drafts of 20-30 words, no model answer passed the checks).
LONGEST_REWORDED = 20
# Tokens the model may generate for one reply. Past it, no further sample is tried (the
# fallbacks finish the reply): a reply's time stays bounded (~4 s at Gemma's ~40 tok/s on 2
# cores) and, unlike a clock, a token count gives the same reply on any machine.
GENERATION_BUDGET = 160
MARKUP = re.compile(r"`|\]\(|(?<![\w@])@\w")


# A draft that opens with a bare yes or no answers a question, and one restating the question
BARE_ANSWER = re.compile(r"^(?:I'm afraid not|No|Nope|Yes|Yep|Yeah|Sure|Unfortunately not|Sorry, no)\b[.,!]", re.I)
QUESTION_MIRROR = re.compile(r"^I understand you'd like (?:to know (?:whether|if)|us to)\b")


class Rewriter:
    """Runs the pipeline with one engine (or none: deterministic composition only)."""

    def __init__(self, engine=None, mirror_samples: int = 3, body_samples: int = 1, seed: int = 7, turn=None):
        self.engine = engine
        self.mirror_samples = mirror_samples
        self.body_samples = body_samples
        self.seed = seed
        self.turn = turn or threading.Lock()
        self.cancelled = lambda: False
        self.deadline = float("inf")
        self._tokens_at_start = 0

    def _stop(self) -> bool:
        return self.cancelled() or time.monotonic() > self.deadline

    def _generated(self) -> int:
        """Tokens the model has generated for the reply being made."""
        counters = getattr(self.engine, "counters", None)
        return counters["completion_tokens"] - self._tokens_at_start if counters else 0

    def _complete(self, prompt: str, **kwargs) -> str:
        """One model call, cut short the moment the caller goes away or time runs out."""
        text = ""
        if not self._stop():
            text = self.engine.complete(prompt, stop_when=self._stop, **kwargs)
        if self.cancelled():
            raise Cancelled()
        if time.monotonic() > self.deadline:
            raise OutOfTime()
        return text

    def _first_passing(self, part: str, ctx: Context, prompt: str, samples: int, max_tokens: int, hot: float,
                       seed: int, clean, timings: dict, give_up=lambda candidate: "",
                       reject=lambda candidate: "") -> tuple[str, list]:
        """The first of `samples` model candidates for `part` ("mirror" or "body") that passes
        the segment checks: greedy first, then sampled at temperature `hot`. `give_up(candidate)`
        names a reason to stop sampling early, `reject(candidate)` one more reason to try the
        next sample; each returns "" when it has none."""
        rejected: list[dict] = []
        started = time.perf_counter()
        try:
            for i in range(samples):
                if i and self._generated() >= GENERATION_BUDGET:
                    rejected.append({"part": part, "text": "", "failed": ["generation_budget"]})
                    break
                text = self._complete(prompt, max_tokens=max_tokens, temperature=0.0 if i == 0 else hot, seed=seed + i)
                candidate = clean(text)
                if reason := give_up(candidate):
                    rejected.append({"part": part, "text": candidate, "failed": [reason]})
                    break
                problems = [p.name for p in failed(check_segment(candidate, part, ctx))] if candidate else ["empty"]
                problems += [reason] if (reason := reject(candidate)) else []
                if not problems:
                    return candidate, rejected
                rejected.append({"part": part, "text": candidate, "failed": problems})
            return "", rejected
        except OutOfTime:
            return "", rejected + [{"part": part, "text": "", "failed": ["deadline"]}]
        finally:
            timings[f"{part}_s"] = time.perf_counter() - started

    def _model_mirror(self, ctx: Context, prompt: str, fallback: str, timings: dict) -> tuple[str, list]:
        """A mirror sentence from the model, if one of a few samples passes the checks and
        names the situation about as specifically as the `fallback` does."""
        if not self.engine or not ctx.customer_message.strip() or not reading.looks_english(ctx.customer_message):
            return "", []
        needed = specific_enough(specificity(fallback, ctx)) if fallback else 1

        def vague(candidate: str) -> str:
            return "less_specific" if candidate and specificity(candidate, ctx) < needed else ""

        return self._first_passing(
            "mirror", ctx, prompt, self.mirror_samples, 48, 1.0, self.seed, _first_sentence, timings, reject=vague
        )

    def _model_body(self, ctx: Context, plan: compose.Plan, prompt: str, timings: dict) -> tuple[str, list]:
        """The draft as full sentences, continuing the mirror's prompt, if it passes the checks."""
        # The model rewrites short plain prose only: code, links, lists and paragraphs are kept
        # as the agent wrote them, and a long draft of full sentences needs no rewording.
        if (not self.engine or plan.already_warm or "\n" in plan.body or plan.code or self.body_samples < 1
                or len(plan.body.split()) > LONGEST_REWORDED or MARKUP.search(plan.body)):
            return "", []
        return self._first_passing(
            "body", ctx, prompt, self.body_samples, 40 + 3 * len(ctx.draft.split()), 0.7, self.seed + 100,
            _clean_body, timings, give_up=lambda candidate: "copied_draft" if _same_words(candidate, plan.body) else "",
        )

    def rewrite(self, request: RewriteRequest, emit=None, cancelled=None, timeout: float | None = None) -> RewriteResult:
        """The warm reply for `request`. `emit(event, data)` hears progress; `cancelled()`
        returning True stops the work at once (raises Cancelled). With a `timeout`, waiting
        longer than it for the model raises Busy, and model work stops at it (the
        deterministic fallbacks finish the reply)."""
        started = time.perf_counter()
        emit = emit or (lambda event, data: None)
        if not self.turn.acquire(timeout=-1 if timeout is None else timeout):
            raise Busy()
        try:
            self.cancelled = cancelled or (lambda: False)
            self.deadline = float("inf") if timeout is None else time.monotonic() + timeout - (time.perf_counter() - started)
            timings = {"queued_s": time.perf_counter() - started}
            counters = getattr(self.engine, "counters", None)
            before = dict(counters) if counters else {}
            self._tokens_at_start = before.get("completion_tokens", 0)
            result = self._rewrite(request, emit, started, timings)
            if counters:
                result.tokens = {k: counters[k] - before.get(k, 0) for k in counters}
            return result
        finally:
            self.turn.release()
            release_free_memory()

    def _rewrite(self, request: RewriteRequest, emit, started: float, timings: dict) -> RewriteResult:
        voice = request.voice
        # The team's rules first: its avoided phrases become what it says instead, its
        # product names get their exact spelling, before any fact is read from the draft.
        draft = voice.rewrite_phrases(request.draft) if voice else request.draft
        # Curt or rude phrasing softened, every fact kept, before the facts are read.
        known = {w.lower() for w in re.findall(r"[A-Za-z]+", request.customer_message + "\n" + (voice.own_text if voice else ""))}
        draft = draftlib.courteous(draft, known, request.customer_message)
        ctx = Context(draft, request.customer_message, request.customer_name, request.agent_name, voice=voice,
                      as_written=request.draft)
        tone = request.tone or (voice.formality if voice else "warm")
        plan = compose.plan(ctx, tone)
        if voice:
            plan = _with_voice(plan, voice, ctx, tone)
        team = voice.rewrite_phrases if voice else (lambda text: text)
        examples = tuple(getattr(self.engine, "examples", prompts.EXAMPLES)) + tuple(voice.shots() if voice else ())
        facts = [f.as_dict() for f in ctx.draft_facts]
        emit("facts", {"facts": facts})
        emit("text", {"text": plan.greeting + "\n\n"})

        emit("stage", {"stage": "mirror"})
        for_model = draftlib.message_for_model(ctx.customer_message)
        prompt = self.engine.mirror_prompt(for_model, examples) if self.engine else ""
        fallback_mirror = "" if plan.aside else next(
            (m for m in map(team, compose.mirror_candidates(ctx)) if not failed(check_segment(m, "mirror", ctx))), ""
        )
        model_mirror, mirror_rejected = ("", []) if plan.aside else self._model_mirror(ctx, prompt, fallback_mirror, timings)
        mirrors = ([("model", model_mirror)] if model_mirror else []) + ([("fallback", fallback_mirror)] if fallback_mirror else [])
        if BARE_ANSWER.match(plan.body) and QUESTION_MIRROR.match(fallback_mirror) and len(mirrors) == 2:
            # "I'm afraid not. US only." answers their question: the mirror must say which one.
            # After "you'd like to order the blue kettle", the "not" reads as no kettle.
            mirrors.reverse()
        mirrors.append(("none", ""))

        chosen = mirrors[0][1]
        if chosen:
            emit("text", {"text": chosen})  # sent now; "replace" follows if the final check drops it
        emit("stage", {"stage": "answer"})
        answer_prompt = self.engine.answer_prompt(for_model, chosen, plan.body, examples) if self.engine else ""
        model_body, body_rejected = self._model_body(ctx, plan, answer_prompt, timings)
        bodies = ([("model", model_body)] if model_body else []) + [("draft", plan.body)]

        reply, path, checks, parts = "", {}, [], {}
        for body_source, body in bodies:
            for mirror_source, mirror in mirrors:
                reply = team(compose.assemble(plan, mirror, body))
                checks = check_reply(reply, ctx, mirror)
                if not failed(checks):
                    path = {"mirror": mirror_source, "body": body_source}
                    parts = {"greeting": plan.greeting, "mirror": mirror, "answer": body, "closing": " ".join(compose.closing_for(plan, mirror)), "signoff": plan.signoff}
                    break
            if path:
                break
        if not path:
            # Last resort: the draft itself between a greeting and a sign-off.
            reply = f"{plan.greeting}\n\n{plan.body}\n\n{plan.signoff}"
            checks = check_reply(reply, ctx)
            path = {"mirror": "none", "body": "draft", "frame": "minimal"}
            parts = {"greeting": plan.greeting, "mirror": "", "answer": plan.body, "closing": "", "signoff": plan.signoff}

        model_chars = (len(model_mirror) if path.get("mirror") == "model" else 0) + (
            len(model_body) if path.get("body") == "model" else 0
        )
        timings["total_s"] = time.perf_counter() - started
        path["rejected"] = mirror_rejected + body_rejected
        result = RewriteResult(
            reply=reply,
            facts=facts,
            path=path,
            checks=[c.as_dict() for c in checks],
            model_share=model_chars / max(len(reply), 1),
            parts=parts,
            timings=timings,
            changes=word_changes(request.draft, reply),
        )
        sent = f"{plan.greeting}\n\n" + chosen
        if reply.startswith(sent):
            emit("text", {"text": reply[len(sent):]})
        else:
            emit("replace", {"text": reply})  # what was streamed so far is not part of the reply
        return result
