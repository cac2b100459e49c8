"""Trust: who gets in, what is kept, and how the server holds up under load and bad input."""

from __future__ import annotations

import json
import os
import signal
import stat
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warmitup import create_app
from warmitup.loadtest import run_load
from warmitup.pipeline import Cancelled, Rewriter, RewriteRequest
from warmitup.security import extension_id, load_or_create_token, our_extension_origin
from warmitup.store import AtomicJSONStorage, Store, atomic_write

from conftest import HOST, TOKEN, kill_mid_write, loopback_client

EXT = our_extension_origin()
DRAFT = {"draft": "Refund issued. 5-7 business days.", "customer_message": "I was charged twice."}


# --- who gets in ----------------------------------------------------------------

def test_the_extension_id_is_pinned_by_its_key():
    key = (Path(__file__).resolve().parents[1] / "server/warmitup/data/extension_key.txt").read_text().strip()
    assert EXT == f"chrome-extension://{extension_id(key)}"
    assert len(extension_id(key)) == 32 and set(extension_id(key)) <= set("abcdefghijklmnop")


@pytest.mark.parametrize(
    "headers, status",
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 401),
        ({"Authorization": f"Bearer {TOKEN[:-1]}"}, 401),
        ({"Authorization": TOKEN}, 401),
        ({"Authorization": f"Bearer {TOKEN}"}, 200),
        ({"X-Warmitup-Token": TOKEN}, 200),
    ],
)
def test_only_the_token_gets_in(deterministic_app, headers, status):
    client = loopback_client(deterministic_app, token=False)
    assert client.post("/v1/rewrite", json=DRAFT, headers=headers).status_code == status
    if status == 401:
        assert client.post("/v1/rewrite", json=DRAFT, headers=headers).get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:8000", "null", "chrome-extension://abcdefghijklmnopabcdefghijklmnop"])
def test_web_pages_are_refused_whatever_their_token(deterministic_client, origin):
    response = deterministic_client.post("/v1/rewrite", json=DRAFT, headers={"Origin": origin})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden_origin"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cross_site_requests_without_origin_are_refused(deterministic_client):
    response = deterministic_client.post("/v1/rewrite", json=DRAFT, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403


def test_our_extension_gets_in_and_cors_names_only_it(deterministic_client):
    response = deterministic_client.post("/v1/rewrite", json=DRAFT, headers={"Origin": EXT})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == EXT
    preflight = deterministic_client.options("/v1/rewrite", headers={
        "Origin": EXT, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"})
    assert preflight.headers["Access-Control-Allow-Origin"] == EXT
    assert "authorization" in preflight.headers["Access-Control-Allow-Headers"].lower()


@pytest.mark.parametrize("host, status", [
    (HOST, 200), ("localhost:8787", 200), ("[::1]:8787", 200),
    ("evil.example:8787", 403), ("evil.example", 403), ("127.0.0.1:9999", 403), ("127.0.0.1.nip.io:8787", 403),
])
def test_dns_rebinding_is_refused_by_host(deterministic_app, host, status):
    client = loopback_client(deterministic_app)
    response = client.post("/v1/rewrite", json=DRAFT, base_url=f"http://{host}")
    assert response.status_code == status
    if status == 403:
        assert response.get_json()["error"]["code"] == "bad_host"


def test_health_says_little_before_pairing(deterministic_app):
    unpaired = loopback_client(deterministic_app, token=False).get("/v1/health").get_json()
    assert unpaired == {"status": "ok", "version": unpaired["version"], "paired": False}
    paired = loopback_client(deterministic_app).get("/v1/health").get_json()
    assert paired["paired"] is True and "model" in paired


def test_the_token_is_created_once_owner_only_and_can_be_rotated(tmp_path):
    first = load_or_create_token(tmp_path)
    assert stat.S_IMODE((tmp_path / "token").stat().st_mode) == 0o600
    assert load_or_create_token(tmp_path) == first
    app = create_app({"SETTINGS": {"use_model": False, "data_dir": str(tmp_path)}})
    assert app.config["API_TOKEN"] == first
    rotated = load_or_create_token(tmp_path, rotate=True)
    assert rotated != first and load_or_create_token(tmp_path) == rotated


def test_a_corrupt_token_file_is_set_aside_not_trusted(tmp_path, caplog):
    (tmp_path / "token").write_text("{{{ not a token")
    token = load_or_create_token(tmp_path)
    assert len(token) >= 32
    aside = list(tmp_path.glob("token.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == "{{{ not a token"
    assert "set aside" in caplog.text


def listening_address(port: int) -> str:
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A" and int(local.split(":")[1], 16) == port:
                return local.split(":")[0]
    return ""


@pytest.mark.model
def test_serve_listens_on_loopback_only(live_server):
    port = int(live_server.url.rsplit(":", 1)[1])
    assert listening_address(port) == "0100007F"  # 127.0.0.1, not 0.0.0.0


# --- what it keeps ---------------------------------------------------------------

@pytest.mark.model
def test_no_draft_or_message_is_written_anywhere(live_server, tmp_path):
    marker = "Quokka7731Marker"
    status, body = live_server.request("POST", "/v1/rewrite", {
        "draft": f"Order {marker} shipped Tuesday.", "customer_message": f"Where is {marker}? I'm worried.",
        "customer_name": "Jo", "agent_name": "Al"})
    assert status == 200 and marker in body["reply"]
    live_server.request("POST", "/v1/rewrite/stream", {"draft": f"Ticket {marker} closed."})
    live_server.process.send_signal(signal.SIGTERM)
    live_server.process.wait(timeout=10)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert live_server.log_path in written and (live_server.data_dir / "token") in written
    for path in written:
        assert marker.encode() not in path.read_bytes(), f"{path} holds request text"
    assert "rewrite status=ok" in live_server.log_path.read_text()


def test_a_crash_mid_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "store.json"
    atomic_write(path, b'{"kept": 1}')

    def crash(*args):
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        atomic_write(path, b'{"kept": 2, "half": ')
    monkeypatch.undo()
    assert json.loads(path.read_text()) == {"kept": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["store.json"]


WRITER = """
from warmitup.store import Store
store = Store(__import__("pathlib").Path(sys.argv[1]))
table = store.table("items")
i = 0
while True:
    with store.lock:
        table.insert({"i": i, "padding": "x" * 2000})
    print(i, flush=True)
    i += 1
"""


def test_the_store_survives_being_killed_mid_write(tmp_path):
    path = tmp_path / "history.json"
    acknowledged = kill_mid_write(WRITER, str(path), after=60)
    store = Store(path)
    items = [row["i"] for row in store.table("items").all()]
    assert store.set_aside_as is None
    assert set(range(acknowledged + 1)) <= set(items)  # nothing acknowledged was lost
    assert len(items) == len(set(items))


def test_a_corrupt_store_is_set_aside_with_a_message(tmp_path, caplog):
    path = tmp_path / "profiles.json"
    path.write_text('{"_default": {"1": {"name": "bank"')
    store = Store(path)
    assert store.table("profiles").all() == []
    assert store.set_aside_as is not None and store.set_aside_as.read_text().startswith('{"_default"')
    assert "set aside" in caplog.text
    store.table("profiles").insert({"name": "bakery"})
    assert json.loads(path.read_text())["profiles"]["1"]["name"] == "bakery"


def test_storage_class_is_tinydb_compatible(tmp_path):
    storage = AtomicJSONStorage(str(tmp_path / "x.json"))
    assert storage.read() is None
    storage.write({"t": {"1": {"a": 1}}})
    assert storage.read() == {"t": {"1": {"a": 1}}}


# --- under load and faults --------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=60),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
fields = st.sampled_from(["draft", "customer_message", "customer_name", "agent_name", "tone", "extra"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(fields, json_values | st.text(max_size=300), max_size=6))
def test_no_request_shape_is_a_500(deterministic_client, body):
    for path in ("/v1/rewrite", "/v1/rewrite/stream"):
        response = deterministic_client.post(path, json=body)
        assert response.status_code in (200, 400), (body, response.status_code)
        if response.status_code == 400:
            assert response.get_json()["error"]["message"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_no_byte_string_is_a_500(deterministic_client, raw):
    response = deterministic_client.post("/v1/rewrite", data=raw, content_type="application/json")
    assert response.status_code in (200, 400)


@pytest.mark.model
def test_a_full_queue_answers_503_with_retry_after(engine, tmp_path):
    app = create_app({"API_TOKEN": TOKEN, "SETTINGS": {"max_queue": 1, "data_dir": str(tmp_path)}}, engine=engine)
    slot = app.extensions["warmitup.engine"]
    admission = slot.admit(1)  # one rewrite waiting or running: the queue is full
    try:
        response = loopback_client(app).post("/v1/rewrite", json=DRAFT)
        assert response.status_code == 503 and response.headers["Retry-After"]
        assert response.get_json()["error"]["code"] == "busy"
    finally:
        admission.release()
    assert loopback_client(app).post("/v1/rewrite", json=DRAFT).status_code == 200


@pytest.mark.model
def test_waiting_past_the_deadline_is_a_503(engine, tmp_path):
    app = create_app({"API_TOKEN": TOKEN, "SETTINGS": {"request_timeout_s": 1, "data_dir": str(tmp_path)}}, engine=engine)
    slot = app.extensions["warmitup.engine"]
    slot.turn.acquire()  # another rewrite holds the model
    try:
        response = loopback_client(app).post("/v1/rewrite", json=DRAFT)
        assert response.status_code == 503 and response.get_json()["error"]["code"] == "busy"
    finally:
        slot.turn.release()


@pytest.mark.model
def test_at_the_deadline_model_work_stops_and_fallbacks_finish(engine):
    result = Rewriter(engine).rewrite(RewriteRequest(**DRAFT), timeout=0.0001)
    assert "5-7 business days" in result.reply and all(c["ok"] for c in result.checks)
    assert {"part": "mirror", "text": "", "failed": ["deadline"]} in result.path["rejected"]


@pytest.mark.model
def test_a_caller_that_goes_away_frees_the_model_mid_generation(engine):
    rewriter = Rewriter(engine)
    calls = []
    original = engine.complete

    def complete(prompt, **kwargs):
        calls.append(kwargs["stop_when"])
        gone.set()  # the caller hangs up while the model is generating
        return original(prompt, **kwargs)

    gone = threading.Event()
    engine.complete = complete
    try:
        with pytest.raises(Cancelled):
            rewriter.rewrite(RewriteRequest(**DRAFT), cancelled=gone.is_set)
    finally:
        del engine.complete
    assert len(calls) == 1  # no further model call after the hang-up
    assert rewriter.turn.acquire(blocking=False)  # and the model is free at once
    rewriter.turn.release()


def server_memory_kb(pid: int) -> dict:
    status = Path(f"/proc/{pid}/status").read_text()
    return {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in status.splitlines()) if k in ("VmRSS", "VmHWM")}


@pytest.mark.model
def test_bounded_load_leaves_the_server_healthy(live_server, tmp_path):
    # Warm up with the same mix first: llama.cpp's logits and KV buffers are touched
    # lazily, so the footprint rises to a plateau on the first busy minute, then stays.
    warm = run_load(live_server.url, live_server.token, total=40, concurrency=8, seed=7)
    assert warm["wrong_answers"] == 0, warm
    before = server_memory_kb(live_server.process.pid)
    plateau = before["VmHWM"]
    result = run_load(live_server.url, live_server.token, total=200, concurrency=8, seed=1)
    after = server_memory_kb(live_server.process.pid)
    result["rss_before_mb"] = round(before["VmRSS"] / 1024, 1)
    result["warm_plateau_mb"] = round(plateau / 1024, 1)
    result["rss_after_mb"] = round(after["VmRSS"] / 1024, 1)
    result["peak_rss_mb"] = round(after["VmHWM"] / 1024, 1)
    report = Path(__file__).resolve().parents[1] / "results" / "loadtest.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps(result, indent=2))
    print("\nload test:", json.dumps(result))

    assert result["requests"] == 200
    assert result["wrong_answers"] == 0, result["wrong_examples"]
    assert result["outcomes"].get("rewrite_ok", 0) > 80
    for _ in range(300):  # the last abandoned streams notice their hang-up within a moment
        status, health = live_server.request("GET", "/v1/health")
        if health.get("queued") == 0:
            break
        time.sleep(0.1)
    assert status == 200 and health["status"] == "ok" and health["queued"] == 0
    # Back near where it started. Measured over 6 x 100 requests, RSS moves between about
    # 500 and 575 MB with no trend (glibc keeps freed memory per request-thread arena);
    # a leak of even 1 MB a request would pass this bound within the 200.
    assert after["VmRSS"] <= plateau * 1.25, result
    status, body = live_server.request("POST", "/v1/rewrite", DRAFT)
    assert status == 200 and "5-7 business days" in body["reply"]
