"""Speed, side by side in one run: the raw engine, llama_cpp.server, and Warm It Up's API.

1. The pipeline runs once in this process with the default model and records every
   model call it makes per case (prompt, max_tokens, temperature, seed).
2. Three systems then do that same generation, case by case, interleaved, each in its
   own process with the same model and settings:
   - raw: llama-cpp-python's `Llama` replaying the recorded calls (the floor);
   - peer: llama-cpp-python's OpenAI-compatible server (`llama_cpp.server`), same calls;
   - ours: `warmitup serve`, whole (`/v1/rewrite`) and streaming (`/v1/rewrite/stream`).
3. It reports p50/p95 end-to-end latency, time to first streamed text, generated
   tokens/s, cold start, peak RSS and the ratios, as a table, Markdown and a PNG chart.

Run it with `scripts/bench` (it installs the `bench` extra). Timings are for comparing
side by side on one machine, not for tests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .cli import read_cases
from .engine import load_engine, resolve_model
from .evaluate import default_cases_path
from .pipeline import Rewriter, RewriteRequest
from .settings import Settings

RAW_WORKER = r"""
import json, sys, time, llama_cpp
settings = json.loads(sys.argv[1])
started = time.perf_counter()
llama = llama_cpp.Llama(model_path=settings["model"], n_ctx=settings["n_ctx"], n_batch=settings["n_batch"],
                        n_threads=settings["n_threads"], seed=settings["seed"], verbose=False)
print(json.dumps({"ready": time.perf_counter() - started}), flush=True)
for line in sys.stdin:
    calls = json.loads(line)
    t = time.perf_counter()
    tokens = 0
    for call in calls:
        out = llama.create_completion(prompt=call["prompt"], max_tokens=call["max_tokens"], temperature=call["temperature"],
                                      top_p=0.95, seed=call["seed"], stop=settings["stop"], repeat_penalty=1.1)
        tokens += out["usage"]["completion_tokens"]
    status = dict(l.split(":", 1) for l in open("/proc/self/status").read().splitlines() if ":" in l)
    print(json.dumps({"s": time.perf_counter() - t, "tokens": tokens, "hwm_kb": int(status["VmHWM"].split()[0])}), flush=True)
"""


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(port: int, path: str, body: dict, headers: dict | None = None, timeout: float = 120):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _wait(port: int, path: str, process: subprocess.Popen, ok=lambda status, body: status == 200, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            response = conn.getresponse()
            if ok(response.status, response.read()):
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.05)
    raise RuntimeError(f"nothing answered on port {port}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)
    for pipe in (process.stdin, process.stdout):
        if pipe:
            pipe.close()


def _hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def record(cases: list[dict], settings: Settings) -> tuple[list[list[dict]], list[int]]:
    """The model calls the pipeline makes for each case, and their generated token counts."""
    engine = load_engine(settings)
    engine.warm_up()
    calls: list[dict] = []
    original = engine.complete

    def recording(prompt, **kwargs):
        calls.append({"prompt": prompt, "max_tokens": kwargs["max_tokens"], "temperature": kwargs["temperature"], "seed": kwargs["seed"]})
        return original(prompt, **kwargs)

    engine.complete = recording
    rewriter = Rewriter(engine, settings.mirror_samples, settings.body_samples, settings.seed)
    per_case, tokens = [], []
    for case in cases:
        calls.clear()
        result = rewriter.rewrite(RewriteRequest.from_case(case))
        per_case.append(list(calls))
        tokens.append(result.tokens.get("completion_tokens", 0))
    return per_case, tokens


def percentile(values: list[float], pct: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def run(cases: list[dict], out_dir: Path, rounds: int = 1) -> dict:
    from .prompts import STOP

    settings = Settings()
    print(f"recording the pipeline's model calls on {len(cases)} cases…", file=sys.stderr)
    calls, gen_tokens = record(cases, settings)
    engine_path = resolve_model(settings).path
    common = {"model": engine_path, "n_ctx": settings.n_ctx, "n_batch": settings.n_batch,
              "n_threads": settings.n_threads, "seed": settings.seed, "stop": STOP}
    data_dir = Path(tempfile.mkdtemp(prefix="warmitup-bench-"))
    results = {"raw": [], "peer": [], "ours": [], "ours_stream": [], "ttft": [], "to_mirror": [], "prefix_evaluated": []}
    cold = {}

    def start_raw():
        process = subprocess.Popen([sys.executable, "-c", RAW_WORKER, json.dumps(common)], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True)
        json.loads(process.stdout.readline())
        return process

    def raw_case(process, case_calls) -> dict:
        process.stdin.write(json.dumps(case_calls) + "\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())

    def start_peer(port):
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", engine_path, "--host", "127.0.0.1", "--port", str(port),
             "--n_ctx", str(settings.n_ctx), "--n_batch", str(settings.n_batch), "--n_threads", str(settings.n_threads),
             "--seed", str(settings.seed),
             # Its default (True) computes logits for every prompt token: 2x slower here and 1.3 GB.
             # Same work means the same setting as ours and the raw engine.
             "--logits_all", "False"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait(port, "/v1/models", process)
        return process

    def peer_case(port, case_calls):
        for call in case_calls:
            status, body = _post(port, "/v1/completions", {**call, "top_p": 0.95, "stop": STOP, "repeat_penalty": 1.1})
            if status != 200:
                raise RuntimeError(f"llama_cpp.server answered {status}: {body[:200]!r}")

    def start_ours(port):
        process = subprocess.Popen(
            [sys.executable, "-m", "warmitup.cli", "serve", "--port", str(port)],
            env={**os.environ, "WARMITUP_DATA_DIR": str(data_dir)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait(port, "/v1/health", process, ok=lambda s, b: s == 200 and json.loads(b).get("status") == "ok")
        return process

    # --- cold start: each alone, from process start to its first reply ----------------------
    def cold_start(start, first_reply) -> float:
        t = time.perf_counter()
        process = start()
        first_reply(process)
        seconds = time.perf_counter() - t
        _stop(process)
        return seconds

    peer_port, ours_port = _free_port(), _free_port()
    auth = {}

    def ours_first(process):
        auth["Authorization"] = "Bearer " + (data_dir / "token").read_text().strip()
        _post(ours_port, "/v1/rewrite", _payload(cases[0]), auth)

    cold["raw"] = cold_start(start_raw, lambda process: raw_case(process, calls[0]))
    cold["peer"] = cold_start(lambda: start_peer(peer_port), lambda process: peer_case(peer_port, calls[0]))
    cold["ours"] = cold_start(lambda: start_ours(ours_port), ours_first)

    # --- then all three side by side --------------------------------------------------------
    raw = start_raw()
    peer = start_peer(peer_port)
    ours = start_ours(ours_port)

    def ours_stream(case):
        conn = http.client.HTTPConnection("127.0.0.1", ours_port, timeout=120)
        started = time.perf_counter()
        first = mirror = None
        try:
            conn.request("POST", "/v1/rewrite/stream", body=json.dumps(_payload(case)),
                         headers={"Content-Type": "application/json", **auth})
            response = conn.getresponse()
            event = None
            for raw_line in response:
                line = raw_line.decode().strip()
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event == "text" and first is None:
                    first = time.perf_counter() - started
                elif line.startswith("data: ") and event == "text" and mirror is None:
                    mirror = time.perf_counter() - started
                elif line.startswith("data: ") and event == "done":
                    break
        finally:
            conn.close()
        return first, mirror, time.perf_counter() - started

    try:
        # --- measure, case by case, interleaved ------------------------------------------------
        for round_ in range(rounds + 1):  # round 0 warms every system on every case
            for i, case in enumerate(cases):
                raw_result = raw_case(raw, calls[i])
                t = time.perf_counter()
                peer_case(peer_port, calls[i])
                peer_s = time.perf_counter() - t
                t = time.perf_counter()
                _, body = _post(ours_port, "/v1/rewrite", _payload(case), auth)
                ours_s = time.perf_counter() - t
                ttft, to_mirror, stream_s = ours_stream(case)
                if round_ == 0:
                    continue
                results["raw"].append(raw_result["s"])
                results["peer"].append(peer_s)
                results["ours"].append(ours_s)
                results["ours_stream"].append(stream_s)
                results["ttft"].append(ttft)
                if to_mirror is not None:
                    results["to_mirror"].append(to_mirror)
                results["prefix_evaluated"].append(json.loads(body)["tokens"])
            print(f"round {round_} done", file=sys.stderr)
        peak = {"raw": raw_result["hwm_kb"] / 1024, "peer": _hwm_mb(peer.pid), "ours": _hwm_mb(ours.pid)}
    finally:
        for process in (raw, peer, ours):
            _stop(process)

    tokens_total = sum(gen_tokens) * rounds
    summary = {
        "cases": len(cases), "rounds": rounds, "model": Path(engine_path).name,
        "systems": {},
        "ttft_p50_s": percentile(results["ttft"], 50), "ttft_p95_s": percentile(results["ttft"], 95),
        "to_mirror_p50_s": percentile(results["to_mirror"], 50) if results["to_mirror"] else None,
        "cold_start_s": cold, "peak_rss_mb": peak,
        "prompt_tokens_per_request": statistics.mean(t["prompt_tokens"] for t in results["prefix_evaluated"]),
        "prompt_tokens_evaluated_per_request": statistics.mean(t["prompt_tokens_evaluated"] for t in results["prefix_evaluated"]),
    }
    for name in ("raw", "peer", "ours", "ours_stream"):
        values = results[name]
        summary["systems"][name] = {
            "p50_s": percentile(values, 50), "p95_s": percentile(values, 95),
            "tokens_per_s": tokens_total / sum(values),
        }
    s = summary["systems"]
    summary["ratios"] = {
        "ours_to_raw_p50": s["ours"]["p50_s"] / s["raw"]["p50_s"],
        "ours_to_peer_p50": s["ours"]["p50_s"] / s["peer"]["p50_s"],
        "ours_stream_to_raw_p50": s["ours_stream"]["p50_s"] / s["raw"]["p50_s"],
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "bench.json").write_text(json.dumps(summary, indent=2))
    (out_dir / "bench.md").write_text(markdown(summary))
    chart(summary, out_dir / "bench.png")
    return summary


def _payload(case: dict) -> dict:
    return {k: case[k] for k in ("draft", "customer_message", "customer_name", "agent_name", "tone") if case.get(k)}


NAMES = {"raw": "raw llama-cpp-python", "peer": "llama_cpp.server", "ours": "Warm It Up /v1/rewrite",
         "ours_stream": "Warm It Up /v1/rewrite/stream"}


def markdown(summary: dict) -> str:
    lines = [
        f"# Benchmark: {summary['cases']} cases x {summary['rounds']} round(s), {summary['model']}",
        "",
        "| system | p50 | p95 | generated tokens/s | cold start | peak RSS |",
        "|---|---|---|---|---|---|",
    ]
    for key, label in NAMES.items():
        row = summary["systems"][key]
        base = key.replace("_stream", "")
        lines.append(
            f"| {label} | {row['p50_s']:.3f} s | {row['p95_s']:.3f} s | {row['tokens_per_s']:.1f} | "
            f"{summary['cold_start_s'][base]:.2f} s | {summary['peak_rss_mb'][base]:.0f} MB |"
        )
    r = summary["ratios"]
    lines += [
        "",
        f"- Warm It Up / raw engine, p50: **{r['ours_to_raw_p50']:.3f}x** (streaming {r['ours_stream_to_raw_p50']:.3f}x)",
        f"- Warm It Up / llama_cpp.server, p50: **{r['ours_to_peer_p50']:.3f}x**",
        f"- time to first streamed text (the greeting): p50 {summary['ttft_p50_s'] * 1000:.0f} ms, "
        f"p95 {summary['ttft_p95_s'] * 1000:.0f} ms; to the mirror sentence: p50 "
        + (f"{summary['to_mirror_p50_s'] * 1000:.0f} ms" if summary["to_mirror_p50_s"] is not None else "n/a"),
        f"- prompt tokens per request: {summary['prompt_tokens_per_request']:.0f} asked, "
        f"{summary['prompt_tokens_evaluated_per_request']:.0f} evaluated (the rest is the cached fixed prefix)",
    ]
    return "\n".join(lines) + "\n"


def chart(summary: dict, path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no chart (pip install -e '.[bench]')", file=sys.stderr)
        return
    labels = [NAMES[k] for k in NAMES]
    p50 = [summary["systems"][k]["p50_s"] for k in NAMES]
    p95 = [summary["systems"][k]["p95_s"] for k in NAMES]
    fig, ax = plt.subplots(figsize=(8, 4))
    x = range(len(labels))
    ax.bar([i - 0.2 for i in x], p50, width=0.4, label="p50")
    ax.bar([i + 0.2 for i in x], p95, width=0.4, label="p95")
    ax.set_xticks(list(x), labels, rotation=12, fontsize=8)
    ax.set_ylabel("end-to-end latency (s)")
    ax.set_title(f"Same generation, {summary['cases']} cases ({summary['model']})")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="warmitup-bench", description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="?", help="JSONL cases (default: the project's own)")
    parser.add_argument("--out", default="results", help="folder for bench.md, bench.json, bench.png")
    parser.add_argument("--rounds", type=int, default=1, help="measured rounds over the cases (after one warm-up round)")
    args = parser.parse_args(argv)
    cases = read_cases(Path(args.cases) if args.cases else default_cases_path())
    summary = run(cases, Path(args.out), args.rounds)
    print(markdown(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
