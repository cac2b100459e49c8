"""An engine that asks an OpenAI-compatible server (llama.cpp's llama-server, vLLM,
Ollama, llama_cpp.server) for completions instead of a model in this process.

Same prompts, same pipeline, same guard. Only the text generation moves.
"""

from __future__ import annotations

import http.client
import json
import threading
from urllib.parse import urlparse

from . import prompts
from .engine import ModelInfo
from .models import ModelError

# The OpenAI API takes at most four stop sequences; a line break ends every part we ask for.
REMOTE_STOP = ["\n", "Customer:", "Draft:", "Reply:"]


class RemoteEngine:
    """Completions from `base_url` (e.g. http://127.0.0.1:8080), streamed so a caller
    that goes away stops the generation there too."""

    chat = False  # /v1/completions with our few-shot prompt works for base and instruct models

    def __init__(self, base_url: str, model: str = "", api_key: str = "", timeout: float = 60):
        parsed = urlparse(base_url.rstrip("/"))
        if parsed.scheme not in {"http", "https"} or not parsed.hostname:
            raise ModelError(f"engine URL must look like http://HOST:PORT, not {base_url!r}")
        self.parsed, self.model, self.api_key, self.timeout = parsed, model, api_key, timeout
        self.prefix = parsed.path.rstrip("/")
        if not self.prefix.endswith("/v1"):
            self.prefix += "/v1"
        self.lock = threading.Lock()
        self.info = ModelInfo(name=model or "remote", path=base_url, prompt="completion", catalogue=False)
        self.load_seconds = 0.0
        self.counters = {"prompt_tokens": 0, "prompt_tokens_evaluated": 0, "completion_tokens": 0}

    def warm_up(self) -> None:
        self.complete(self.mirror_prompt("Hello."), max_tokens=1, temperature=0.0, seed=0)

    def mirror_prompt(self, message: str, examples=prompts.EXAMPLES) -> str:
        return prompts.completion_prefix(message, examples)

    def answer_prompt(self, message: str, mirror: str, draft: str, examples=prompts.EXAMPLES) -> str:
        return prompts.completion_answer(message, mirror, draft, examples)

    def _connection(self):
        cls = http.client.HTTPSConnection if self.parsed.scheme == "https" else http.client.HTTPConnection
        return cls(self.parsed.hostname, self.parsed.port, timeout=self.timeout)

    def _headers(self) -> dict:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return headers

    def check(self) -> str:
        """The server's first model id; ModelError if it can't be reached."""
        conn = self._connection()
        try:
            conn.request("GET", self.prefix + "/models", headers=self._headers())
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                raise ModelError(f"engine server at {self.info.path} answered {response.status} to /v1/models")
            data = json.loads(body).get("data") or [{}]
            return data[0].get("id", "")
        except (OSError, ValueError) as exc:
            raise ModelError(f"can't reach the engine server at {self.info.path} ({exc})") from None
        finally:
            conn.close()

    def complete(self, prompt: str, *, max_tokens: int, temperature: float, seed: int, stop_when=None) -> str:
        body = {
            "prompt": prompt, "max_tokens": max_tokens, "temperature": temperature, "top_p": 0.95,
            "seed": seed, "stop": REMOTE_STOP, "stream": True,
        }
        if self.model:
            body["model"] = self.model
        conn = self._connection()
        pieces: list[str] = []
        try:
            conn.request("POST", self.prefix + "/completions", body=json.dumps(body), headers=self._headers())
            response = conn.getresponse()
            if response.status != 200:
                raise ModelError(f"engine server answered {response.status}: {response.read()[:200]!r}")
            for raw in response:
                if stop_when is not None and stop_when():
                    break  # closing the connection stops the generation on the server
                line = raw.decode("utf-8", "replace").strip()
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    break
                choice = (json.loads(data).get("choices") or [{}])[0]
                pieces.append(choice.get("text") or "")
                if choice.get("finish_reason"):
                    break
        except (OSError, ValueError) as exc:
            raise ModelError(f"engine server at {self.info.path} failed mid-completion ({exc})") from None
        finally:
            conn.close()
        return "".join(pieces)
