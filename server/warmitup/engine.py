"""The one place a model is loaded, and a lock-serialised way to ask it for text."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from . import prompts
from .models import ModelError, catalogue_adapter, check_gguf, default_models_dir, ensure_verified, load_catalogue
from .settings import Settings

log = logging.getLogger(__name__)

# Context a prompt must leave free for what follows it. The mirror is one sentence (the
# pipeline asks for at most 48 tokens); the answer to a typical draft, 40 + 3 a word; and
# after the mirror prompt come the mirror, the draft and its answer.
MIRROR_ROOM = 48
ANSWER_ROOM = 160
FOLLOW_ROOM = 512
# The most a team's examples add to a prompt: three of a few sentences each. Every token
# generated attends to every token before it, so longer examples would slow each rewrite.
TEAM_EXAMPLES_TOKENS = 768


@dataclass
class ModelInfo:
    name: str
    path: str
    prompt: str  # "chat" or "completion"
    catalogue: bool
    adapter: str = ""  # the LoRA GGUF applied at run time, if any
    merged: str = ""  # the LoRA GGUF merged into these weights at set-up, if any


def resolve_model(settings: Settings) -> ModelInfo:
    """Turn the `model` setting (catalogue name, path, or empty) into a file to load."""
    models_dir = Path(settings.models_dir) if settings.models_dir else default_models_dir()
    default, entries = load_catalogue(models_dir)
    wanted = settings.model or default
    if wanted in entries:
        entry = entries[wanted]
        ours = settings.adapter == "auto" and entry.adapter
        if ours and entry.merged:
            # Our adapter, merged into the weights at set-up: no LoRA work per token.
            ensure_verified(entry.merged, models_dir)
            info = ModelInfo(entry.name, str(models_dir / entry.merged.file), "completion", True,
                             merged=str(models_dir / entry.adapter["file"]))
        else:
            ensure_verified(entry, models_dir)
            info = ModelInfo(entry.name, str(models_dir / entry.file), entry.prompt, True)
            if ours:
                info.adapter = str(catalogue_adapter(entry, models_dir))
                info.prompt = "completion"  # the adapter was trained on the completion prompt
    else:
        path = Path(wanted).expanduser()
        if path.suffix.lower() != ".gguf" and not path.exists():
            names = ", ".join(sorted(entries))
            raise ModelError(f"unknown model {wanted!r}: use one of {names} or a path to a .gguf file")
        info = ModelInfo(path.stem, str(path), "auto", False)
    if settings.adapter not in ("auto", "none", ""):
        adapter = Path(settings.adapter).expanduser()
        if not adapter.is_file():
            # llama.cpp kills the whole process on a missing lora_path: say so here instead.
            raise ModelError(f"adapter {adapter} does not exist")
        info.adapter = str(adapter)
        info.prompt = "completion"
    return info


class Engine:
    """A loaded llama.cpp model. One completion at a time: llama.cpp contexts are not re-entrant."""

    def __init__(self, llama, info: ModelInfo):
        self.llama = llama
        self.info = info
        self.lock = threading.Lock()
        self._formatter = None
        # Prompt tokens asked for vs. evaluated: the difference is llama.cpp's prefix reuse.
        self.counters = {"prompt_tokens": 0, "prompt_tokens_evaluated": 0, "completion_tokens": 0}
        template = (llama.metadata or {}).get("tokenizer.chat_template")
        if info.prompt == "auto":
            info.prompt = "chat" if template else "completion"

    @property
    def chat(self) -> bool:
        return self.info.prompt == "chat"

    @property
    def examples(self):
        """The prompt's built-in examples; an adapter learnt the job and reads none."""
        return () if self.info.adapter or self.info.merged else prompts.EXAMPLES

    def mirror_prompt(self, message: str, examples=prompts.EXAMPLES) -> str:
        """The prompt whose continuation is the mirror sentence."""
        return self._mirror(message, self._fit(examples, lambda shots: self._mirror(message, shots), FOLLOW_ROOM))

    def answer_prompt(self, message: str, mirror: str, draft: str, examples=prompts.EXAMPLES) -> str:
        """The same prompt continued with the chosen mirror and the draft."""

        def build(shots):
            if not self.chat:
                return prompts.completion_answer(message, mirror, draft, shots)
            return self._render(prompts.chat_messages(message, mirror, draft, shots)) + "Reply:"

        # The mirror prompt's examples, so the model reads on from where it was; fewer only
        # when a long draft leaves them no room.
        examples = self._fit(examples, lambda shots: self._mirror(message, shots), FOLLOW_ROOM)
        return build(self._fit(examples, build, ANSWER_ROOM))

    def _mirror(self, message: str, examples) -> str:
        if not self.chat:
            return prompts.completion_prefix(message, examples)
        return self._render(prompts.chat_messages(message, examples=examples)) + "Empathy:"

    def _fit(self, examples, build, room: int) -> tuple:
        """The built-in examples, and as many of the team's (which follow them) as add at
        most TEAM_EXAMPLES_TOKENS to the prompt `build(examples)` and leave `room` tokens of
        the context free: the shortest first, the newest (last) first among equals, kept in
        their order. However long a profile's examples, its prompts fit the context."""
        own = len(self.examples)
        fixed, team = tuple(examples[:own]), tuple(examples[own:])
        if not team:
            return fixed
        limit = min(self.llama.n_ctx() - room, self.count(build(fixed)) + TEAM_EXAMPLES_TOKENS)
        if self.count(build(fixed + team)) <= limit:
            return fixed + team
        chosen: list[int] = []
        for i in sorted(range(len(team)), key=lambda i: (sum(map(len, team[i])), -i)):
            trial = sorted(chosen + [i])
            if self.count(build(fixed + tuple(team[j] for j in trial))) <= limit:
                chosen = trial
        return fixed + tuple(team[j] for j in chosen)

    def count(self, prompt: str) -> int:
        """Tokens in `prompt`, as the model reads it."""
        with self.lock:
            return len(self.llama.tokenize(prompt.encode("utf-8"), special=True))

    def _render(self, messages: list[dict]) -> str:
        if self._formatter is None:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            self._formatter = Jinja2ChatFormatter(
                template=self.llama.metadata["tokenizer.chat_template"],
                eos_token=self._token_text(self.llama.token_eos()),
                bos_token=self._token_text(self.llama.token_bos()),
            )
        rendered = self._formatter(messages=messages).prompt
        bos = self._token_text(self.llama.token_bos())
        return rendered[len(bos):] if bos and rendered.startswith(bos) else rendered  # llama.cpp adds BOS itself

    def _token_text(self, token: int) -> str:
        return self.llama._model.token_get_text(token) if token != -1 else ""

    def complete(self, prompt: str, *, max_tokens: int, temperature: float, seed: int, stop_when=None) -> str:
        """The model's continuation of `prompt`, up to the end of the line; `stop_when()`
        returning True ends generation at the next token."""
        criteria = None
        if stop_when is not None:
            from llama_cpp import StoppingCriteriaList

            criteria = StoppingCriteriaList([lambda tokens, logits: stop_when()])
        with self.lock:
            tokens = self.llama.tokenize(prompt.encode("utf-8"), special=True)
            n_ctx = self.llama.n_ctx()
            if len(tokens) + min(max_tokens, MIRROR_ROOM) > n_ctx:
                # Too long for the context even without a team's examples (text that takes
                # a token or more a character): no model text, the pipeline's fallback stands.
                log.warning("prompt of %d tokens leaves no room in the %d-token context; no model text", len(tokens), n_ctx)
                return ""
            cached = self.llama._input_ids[: self.llama.n_tokens]
            reused = 0
            for a, b in zip(cached, tokens[:-1]):  # the last prompt token is always evaluated again
                if a != b:
                    break
                reused += 1
            out = self.llama.create_completion(
                prompt=prompt, max_tokens=max_tokens, temperature=temperature, top_p=0.95,
                seed=seed, stop=prompts.STOP, repeat_penalty=1.1, stopping_criteria=criteria,
            )
            self.counters["prompt_tokens"] += len(tokens)
            self.counters["prompt_tokens_evaluated"] += len(tokens) - reused
            self.counters["completion_tokens"] += out["usage"]["completion_tokens"]
            return out["choices"][0]["text"]

    def warm_up(self) -> None:
        """Process the fixed instructions and examples now, so the first request doesn't."""
        self.complete(self.mirror_prompt("Hello.", self.examples), max_tokens=1, temperature=0.0, seed=0)


def load_engine(settings: Settings):
    """Settings -> a loaded Engine (or a RemoteEngine when engine_url is set), or
    ModelError with a one-line reason."""
    if settings.engine_url:
        from .remote import RemoteEngine

        remote = RemoteEngine(settings.engine_url, settings.engine_model, settings.engine_api_key)
        served = remote.check()
        remote.info.name = settings.engine_model or served or "remote"
        return remote
    info = resolve_model(settings)
    path = Path(info.path)
    check_gguf(path)
    import llama_cpp  # heavy import, only when a model is really loaded

    started = time.perf_counter()
    try:
        with _quiet_stderr():
            llama = llama_cpp.Llama(
                model_path=str(path),
                n_ctx=settings.n_ctx,
                n_batch=settings.n_batch,
                n_threads=settings.n_threads,
                seed=settings.seed,
                verbose=False,
                **({"lora_path": info.adapter} if info.adapter else {}),
            )
    except (ValueError, RuntimeError, OSError) as exc:
        raise ModelError(
            f"llama.cpp could not load {path}: the file may be truncated or not a model llama.cpp supports ({exc})"
        ) from None
    engine = Engine(llama, info)
    engine.load_seconds = time.perf_counter() - started
    return engine


@contextlib.contextmanager
def _quiet_stderr():
    """llama.cpp prints its loading log on the C stderr even with verbose=False."""
    try:
        fd = os.dup(2)
    except OSError:
        yield
        return
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(fd, 2)
            os.close(fd)
