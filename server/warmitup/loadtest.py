"""A bounded load test against a running server on loopback.

Clients send a mix of well-formed rewrites (checked for their facts), streams they
abandon after the first event, malformed requests and requests without the token.
Busy answers (503) are retried after their Retry-After, a bounded number of times.
It sends exactly `total` requests (retries aside) and stops by itself.
"""

from __future__ import annotations

import http.client
import json
import random
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlparse

WELL_FORMED = [
    ({"draft": "Order shipped Monday. Tracking 9400111899223856. Delivery Thursday.",
      "customer_message": "Where is my parcel?", "customer_name": "Priya", "agent_name": "Tom"},
     ["9400111899223856", "Monday", "Thursday"]),
    ({"draft": "Refund of $89.99 approved. 3-5 business days.", "customer_message": "I was charged twice.",
      "customer_name": "Grace"}, ["$89.99", "3-5 business days"]),
    ({"draft": "No pets.", "customer_message": "Can I bring my dog to the hotel?"}, ["No"]),
    ({"draft": "Invoice INV-7781 for EUR 450 sent today.", "tone": "formal-warm"}, ["INV-7781", "450"]),
]
MALFORMED = [
    b"{not json",
    b"\xff\xfe\x00binary junk",
    json.dumps({"draft": 42}).encode(),
    json.dumps({"draft": ""}).encode(),
    json.dumps({"draft": "Hi", "tone": "shouty"}).encode(),
    json.dumps(["draft"]).encode(),
    json.dumps({"draft": "x" * 5000}).encode(),
    b"[" * 30000 + b"]" * 30000,  # deeper than Python's recursion limit
    b'{"draft": ' + b"7" * 5000 + b"}",  # more digits than Python converts
    b'{"draft": "Refund issued.\\ud800"}',  # a lone surrogate: valid JSON, not text
]


@dataclass
class Stats:
    outcomes: Counter = field(default_factory=Counter)
    latencies: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    busy_retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, latency: float | None = None, wrong: str | None = None) -> None:
        with self.lock:
            self.outcomes[kind] += 1
            if latency is not None:
                self.latencies.append(latency)
            if wrong:
                self.wrong.append(wrong)

    def summary(self) -> dict:
        lat = sorted(self.latencies)

        def pct(p):
            return round(lat[min(len(lat) - 1, int(round((len(lat) - 1) * p / 100)))], 3) if lat else None

        return {
            "requests": sum(self.outcomes.values()),
            "outcomes": dict(self.outcomes),
            "wrong_answers": len(self.wrong),
            "busy_retries": self.busy_retries,
            "rewrite_latency_p50_s": pct(50),
            "rewrite_latency_p95_s": pct(95),
            "rewrite_latency_mean_s": round(statistics.mean(lat), 3) if lat else None,
        }


class Client:
    def __init__(self, url: str, token: str, stats: Stats, timeout: float = 120):
        parsed = urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.token, self.stats, self.timeout = token, stats, timeout

    def _send(self, body: bytes, path: str = "/v1/rewrite", token: str | None = None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token or self.token}"}
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.getheader("Retry-After"), response.read()
        finally:
            conn.close()

    def well_formed(self, rng: random.Random) -> None:
        payload, must_keep = rng.choice(WELL_FORMED)
        started = time.perf_counter()
        for _ in range(30):
            status, retry_after, raw = self._send(json.dumps(payload).encode())
            if status != 503:
                break
            with self.stats.lock:
                self.stats.busy_retries += 1
            time.sleep(float(retry_after or 1))
        latency = time.perf_counter() - started
        if status != 200:
            self.stats.add(f"rewrite_http_{status}", wrong=f"status {status}")
            return
        reply = json.loads(raw)["reply"]
        missing = [fact for fact in must_keep if fact.lower() not in reply.lower()]  # "No pets." -> "There are no pets."
        self.stats.add("rewrite_ok" if not missing else "rewrite_missing_fact", latency,
                       wrong=f"missing {missing}" if missing else None)

    def abandoned_stream(self, rng: random.Random) -> None:
        payload, _ = rng.choice(WELL_FORMED)
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request("POST", "/v1/rewrite/stream", body=json.dumps(payload).encode(),
                         headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
            response = conn.getresponse()
            if response.status == 200:
                response.fp.readline()  # the first line of the first event, then hang up
                self.stats.add("stream_abandoned")
            else:
                response.read()
                self.stats.add("stream_busy" if response.status == 503 else f"stream_http_{response.status}")
        finally:
            conn.close()

    def malformed(self, rng: random.Random) -> None:
        status, _, raw = self._send(rng.choice(MALFORMED))
        ok = status in (400, 413) and "error" in json.loads(raw)
        self.stats.add("malformed_refused" if ok else f"malformed_http_{status}", wrong=None if ok else f"malformed got {status}")

    def no_token(self, rng: random.Random) -> None:
        status, _, _ = self._send(json.dumps({"draft": "Got them."}).encode(), token="wrong-token-" + "x" * 40)
        self.stats.add("unauthorised_refused" if status == 401 else f"unauthorised_http_{status}",
                       wrong=None if status == 401 else f"no-token got {status}")


def run_load(url: str, token: str, total: int = 200, concurrency: int = 8, seed: int = 1) -> dict:
    """Send `total` requests from `concurrency` clients; the mix is 55% rewrites,
    20% abandoned streams, 15% malformed, 10% without the token."""
    rng = random.Random(seed)
    kinds = ["well_formed"] * 55 + ["abandoned_stream"] * 20 + ["malformed"] * 15 + ["no_token"] * 10
    plan = [rng.choice(kinds) for _ in range(total)]
    stats = Stats()
    client = Client(url, token, stats)
    started = time.perf_counter()

    def one(i: int) -> None:
        kind = plan[i]
        try:
            getattr(client, kind)(random.Random(seed * 1000 + i))
        except (OSError, http.client.HTTPException, ValueError) as exc:
            stats.add(f"{kind}_client_error", wrong=f"{kind}: {type(exc).__name__}: {exc}")

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(total)))
    result = stats.summary()
    result["wall_s"] = round(time.perf_counter() - started, 1)
    result["wrong_examples"] = stats.wrong[:5]
    return result
