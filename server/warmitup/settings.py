"""Every setting in one typed place, with its default and what it does.

Values come from the defaults below, then WARMITUP_* environment variables,
then the command line (or a test's overrides).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields


def _cores() -> int:
    # llama.cpp generation is memory-bound: one thread per physical core is fastest;
    # more threads than cores makes it slower on the 2-core machines we target.
    return max(1, min(os.cpu_count() or 1, 8))


@dataclass
class Settings:
    host: str = field(default="127.0.0.1", metadata={"help": "Address to bind; loopback only unless --expose is given."})
    port: int = field(default=8787, metadata={"help": "TCP port for the HTTP API."})
    model: str = field(default="", metadata={"help": "Catalogue name or path to a .gguf file; empty means the catalogue default."})
    adapter: str = field(default="auto", metadata={"help": "LoRA adapter: 'auto' (the catalogue's for the model, if any, merged into its weights at set-up), 'none' (the base alone), or a LoRA .gguf path applied at run time."})
    models_dir: str = field(default="", metadata={"help": "Where catalogue models live; empty means the project's models/."})
    n_threads: int = field(default_factory=_cores, metadata={"help": "CPU threads for llama.cpp."})
    n_ctx: int = field(default=2048, metadata={"help": "Context window in tokens; prompts are a few hundred."})
    # llama-cpp-python keeps an n_batch x vocabulary float array of logits: with Gemma's
    # 262k vocabulary, 256 would cost 268 MB. The fixed prompt prefix is processed once per
    # server lifetime, so per request only ~50-100 new tokens remain: 64 is the smallest
    # batch that keeps full speed (32 was 10% slower at p50 on the dev cases).
    n_batch: int = field(default=64, metadata={"help": "Prompt tokens per decode step."})
    seed: int = field(default=7, metadata={"help": "Sampling seed, so the same request gives the same reply."})
    mirror_samples: int = field(default=3, metadata={"help": "Model candidates for the mirror sentence (more: better odds, slower)."})
    body_samples: int = field(default=3, metadata={"help": "Model candidates for the rewritten answer (the first that keeps every fact wins)."})
    use_model: bool = field(default=True, metadata={"help": "False: deterministic composition only (no model calls)."})
    max_draft_chars: int = field(default=4000, metadata={"help": "Longest draft accepted."})
    max_message_chars: int = field(default=8000, metadata={"help": "Longest customer message accepted."})
    max_body_bytes: int = field(default=64 * 1024, metadata={"help": "Largest HTTP request body accepted."})
    engine_url: str = field(default="", metadata={"help": "An OpenAI-compatible server (llama-server, vLLM, Ollama) to generate with instead of the in-process model."})
    engine_model: str = field(default="", metadata={"help": "Model name to ask the engine server for (Ollama and vLLM need one)."})
    engine_api_key: str = field(default="", metadata={"help": "Bearer key for the engine server, if it wants one."})
    data_dir: str = field(default="", metadata={"help": "Where the token and stores live; empty means ~/.local/share/warmitup."})
    extension_origins: str = field(default="", metadata={"help": "Comma-separated origins allowed in; empty means our extension's (pinned by its key)."})
    max_queue: int = field(default=8, metadata={"help": "Rewrites waiting or running at once; more get 503 with Retry-After."})
    request_timeout_s: int = field(default=30, metadata={"help": "A rewrite's deadline: waiting past it is a 503; at it, model work stops and fallbacks finish the reply."})

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        values = {}
        for f in fields(cls):
            raw = os.environ.get("WARMITUP_" + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _parse(raw, f.type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def _parse(raw: str, kind):
    kind = kind if isinstance(kind, str) else kind.__name__
    if kind == "int":
        return int(raw)
    if kind == "bool":
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return raw
