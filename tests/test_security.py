"""Trust: who gets in, what is kept, and how the server holds up under load and bad input."""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import os
import signal
import socket
import stat
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.serving import make_server

from warmitup import create_app
from warmitup.cli import PathOnlyLog
from warmitup.loadtest import run_load
from warmitup.pipeline import Cancelled, Rewriter, RewriteRequest
from warmitup.security import extension_id, load_or_create_token, our_extension_origin
from warmitup.store import AtomicJSONStorage, Store, atomic_write

from conftest import HOST, TOKEN, free_port, kill_mid_write, loopback_client

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


def this_machines_address() -> str:
    """The address this machine sends from (the routing table's answer; no packet leaves)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))
        return probe.getsockname()[0]


def test_exposed_on_every_interface_it_answers_to_this_machines_address(tmp_path):
    app = create_app({"TESTING": True, "API_TOKEN": TOKEN, "SETTINGS": {"use_model": False, "data_dir": str(tmp_path), "host": "0.0.0.0"}})
    client = loopback_client(app)
    address = this_machines_address()
    assert not address.startswith("127.")
    assert client.post("/v1/rewrite", json=DRAFT, base_url=f"http://{address}:8787").status_code == 200
    assert client.post("/v1/rewrite", json=DRAFT, base_url=f"http://{socket.gethostname()}:8787").status_code == 200
    refused = client.post("/v1/rewrite", json=DRAFT, base_url="http://evil.example:8787")
    assert refused.status_code == 403 and f"{address}:8787" in refused.get_json()["error"]["message"]


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
import sys
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
    assert acknowledged >= 60  # the writer ran (it once died at once on a missing import, and this passed)
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

# What an outside probe tried, and more: text with lone surrogates ("\ud800" is valid JSON
# but no character), text at and one past every limit, numbers past float range and past
# 4,300 digits, nesting deeper than Python's recursion limit, and every field of every body.
lone_surrogates = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff"])
texts = st.lists(st.characters(codec=None, exclude_categories=[]) | lone_surrogates, max_size=40).map("".join)
LIMITS = [0, 1, 12, 13, 50, 51, 80, 81, 100, 101, 200, 201, 2000, 2001, 4000, 4001, 8000, 8001]
at_limits = st.sampled_from(LIMITS).map(lambda n: "x" * n)
numbers = st.integers() | st.sampled_from([10**40, -(10**40), 2**63, 1e308, -1e-308, 0.5]) | st.floats()
json_values = st.recursive(
    st.none() | st.booleans() | numbers | texts | at_limits,
    lambda children: st.lists(children, max_size=13) | st.dictionaries(texts, children, max_size=4),
    max_leaves=20,
)
any_text = texts | at_limits | json_values


def shaped(required=(), optional=()):
    """Objects with the fields a body has (each with any value), and an unknown one at times."""
    return st.fixed_dictionaries({k: any_text for k in required}, optional={k: any_text for k in (*optional, "extra")})


rewrite_bodies = shaped(optional=("draft", "customer_message", "customer_name", "agent_name", "tone", "profile", "sign_off"))
rule = shaped(("phrase", "instead"))
example = shaped(("draft", "reply"), ("customer_message",))
profile_bodies = st.fixed_dictionaries({}, optional={
    "name": any_text, "greeting": any_text, "signoff": any_text, "formality": any_text, "emoji": any_text,
    "format": any_text, "version": any_text, "extra": any_text,
    "avoid": st.sampled_from([0, 50, 51]).flatmap(lambda n: st.lists(rule, min_size=n, max_size=n)) | json_values,
    "keep_words": st.sampled_from([0, 100, 101]).flatmap(lambda n: st.lists(texts | at_limits, min_size=n, max_size=n)) | json_values,
    "examples": st.lists(example, max_size=13) | json_values,
})
settings_bodies = st.fixed_dictionaries({}, optional={
    k: any_text | st.sampled_from([0, 1, 3650, 3651, 10000, 10001, 10**40]) for k in ("enabled", "retention_days", "retention_count", "extra")})
small_bodies = st.fixed_dictionaries({}, optional={k: any_text for k in ("id", "outcome", "final", "profile", "extra")})
deep = st.integers(1, 40000).map(lambda n: b'{"draft": ' + b"[" * n + b"]" * n + b"}")
huge_integers = st.integers(4000, 6000).map(lambda n: b'{"retention_days": ' + b"9" * n + b"}")


def encoded(bodies):
    return bodies.map(lambda body: json.dumps(body).encode()) | deep | huge_integers | json_values.map(lambda v: json.dumps(v).encode())


ENDPOINTS = {
    ("POST", "/v1/rewrite"): encoded(rewrite_bodies),
    ("POST", "/v1/rewrite/stream"): encoded(rewrite_bodies),
    ("POST", "/v1/profiles"): encoded(profile_bodies),
    ("PUT", "/v1/profiles/1"): encoded(profile_bodies),
    ("POST", "/v1/profiles/import"): encoded(profile_bodies),
    ("PUT", "/v1/profiles/active"): encoded(small_bodies),
    ("PUT", "/v1/history/settings"): encoded(settings_bodies),
    ("POST", "/v1/history/1/outcome"): encoded(small_bodies),
    ("POST", "/v1/history/1/example"): encoded(small_bodies),
}
requests = st.sampled_from(sorted(ENDPOINTS)).flatmap(lambda endpoint: st.tuples(st.just(endpoint), ENDPOINTS[endpoint]))


@pytest.fixture
def kept_client(deterministic_client):
    """History on (a short one), a profile and one history entry: every id in ENDPOINTS exists."""
    deterministic_client.put("/v1/history/settings", json={"enabled": True, "retention_count": 5})
    deterministic_client.post("/v1/profiles", json={"name": "Plain"})
    deterministic_client.post("/v1/rewrite", json=DRAFT)
    return deterministic_client


HEAVY = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]


@settings(max_examples=300, deadline=None, suppress_health_check=HEAVY)
@given(requests)
def test_no_body_sent_anywhere_is_a_500(kept_client, sent):
    (method, path), raw = sent
    response = kept_client.open(path, method=method, data=raw, content_type="application/json")
    assert response.status_code < 500, (path, raw[:300], response.get_data()[:300])
    if response.status_code >= 400:
        assert response.get_json()["error"]["message"]
    if path.endswith("/stream"):
        assert b"event: error" not in response.get_data(), raw[:300]


@settings(max_examples=150, deadline=None, suppress_health_check=HEAVY)
@given(texts | at_limits, st.sampled_from(["/open?code={}", "/page/{}", "/?{}", "/v1/profiles/{}", "/v1/history/{}/outcome"]),
       st.text("0123456789", min_size=1, max_size=6000) | st.sampled_from(["-1", "9" * 5000]))
def test_no_address_on_the_page_or_api_is_a_500(kept_client, text, pattern, digits):
    from urllib.parse import quote

    part = digits if "profiles" in pattern or "history" in pattern else quote(text, safe="", errors="surrogatepass")
    for client_kind in (kept_client, loopback_client(kept_client.application, token=False)):
        response = client_kind.get(pattern.format(part))
        assert response.status_code < 500, (pattern, part[:200], response.status_code)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_no_byte_string_is_a_500(deterministic_client, raw):
    response = deterministic_client.post("/v1/rewrite", data=raw, content_type="application/json")
    assert response.status_code in (200, 400)


DEEP = b"[" * 30000 + b"]" * 30000
HUGE_INTEGER = b'{"draft": ' + b"7" * 5000 + b"}"


@pytest.mark.parametrize("method, path", [
    ("POST", "/v1/rewrite"), ("POST", "/v1/rewrite/stream"), ("POST", "/v1/profiles/import"), ("PUT", "/v1/history/settings")])
@pytest.mark.parametrize("raw", [DEEP, HUGE_INTEGER], ids=["deep_nesting", "huge_integer"])
def test_json_python_cannot_read_is_a_400(deterministic_client, method, path, raw):
    response = deterministic_client.open(path, method=method, data=raw, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"


@pytest.mark.model
def test_a_lone_surrogate_is_a_400_wherever_it_is(client):
    # Valid JSON, but no character: the model's tokenizer and the history file can't take it.
    client.put("/v1/history/settings", json={"enabled": True})
    for path, raw in [
        ("/v1/rewrite", r'{"draft": "Refund issued.\ud800"}'),
        ("/v1/rewrite/stream", r'{"draft": "Refund issued.\ud800"}'),
        ("/v1/rewrite", r'{"draft": "Refund issued.", "customer_name": "Ana\udfff"}'),
        ("/v1/profiles/import", r'{"name": "Team \ud800"}'),
        ("/v1/profiles", r'{"name": "Team", "keep_words": ["\udc00"]}'),
    ]:
        response = client.post(path, data=raw, content_type="application/json")
        assert response.status_code == 400, (path, raw)
        assert response.get_json()["error"]["code"] == "invalid_text"
    assert client.get("/v1/history").get_json()["entries"] == []
    assert client.get("/v1/profiles").get_json()["profiles"] == []


@contextlib.contextmanager
def served(tmp_path):
    """The HTTP server `warmitup serve` runs, on a free loopback port, with no model."""
    port = free_port()
    app = create_app({"API_TOKEN": TOKEN, "SETTINGS": {"use_model": False, "data_dir": str(tmp_path), "port": port}})
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=PathOnlyLog)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        server.shutdown()
        server.server_close()


def post_chunked(port: int, body: bytes) -> tuple[int, dict]:
    """POST /v1/rewrite with no Content-Length: the body in chunks, as a streaming client sends it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        chunks = (body[i:i + 8192] for i in range(0, len(body), 8192))
        conn.request("POST", "/v1/rewrite", body=chunks, headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def test_a_chunked_body_over_the_limit_is_a_413_as_with_a_length(tmp_path):
    small = json.dumps(DRAFT).encode()
    at_limit = small + b" " * (64 * 1024 - len(small))
    with served(tmp_path) as port:
        for body in (json.dumps({"draft": "x" * 70_000}).encode(), at_limit + b" "):
            status, answer = post_chunked(port, body)
            assert status == 413 and answer["error"]["code"] == "request_entity_too_large", (status, answer)
        status, answer = post_chunked(port, at_limit)
        assert status == 200 and "5-7 business days" in answer["reply"]


def test_the_request_log_keeps_no_query_string(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    with served(tmp_path) as port:
        for path in ("/open?code=Secret-Code-7731", "/v1/health?token=Secret-Token-7731"):
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30).close()
        with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:  # a malformed request line
            raw.sendall(b"GET /open?code=Secret-Code-9913 HTTP/1.1 extra\r\n\r\n")
            raw.recv(4096)
        for _ in range(200):  # each line is logged just after its response is sent
            if caplog.text.count('"GET /open') >= 2 and '"GET /v1/health' in caplog.text:
                break
            time.sleep(0.05)
    assert caplog.text.count('"GET /open') >= 2 and '"GET /v1/health' in caplog.text, caplog.text
    assert "Secret" not in caplog.text, caplog.text


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


def largest_profile() -> dict:
    """A profile at every limit at once (name, patterns, 50 rules, 100 team words, 12
    examples of 2,000-character drafts and replies), its file filled to the 64 KB body limit."""
    def text(seed: str, length: int) -> str:
        return (" ".join(f"{seed} {n} is on its way from the Leeds depot." for n in range(200)))[:length - 1] + "."

    profile = {
        "format": "warmitup-profile", "version": 1, "name": "L" * 80,
        "greeting": ("Hello {customer}, and thank you for writing to the Leeds team" + ", we are glad you did" * 9)[:199] + ",",
        "signoff": "Warm wishes from all of us,\n{agent}\n" + "The Leeds depot team " * 7 + "and friends",
        "avoid": [{"phrase": f"zq{i:02d} " + "q" * 75, "instead": f"yx{i:02d} " + "y" * 75} for i in range(50)],
        "keep_words": [f"Kw{i:03d}" + "w" * 15 for i in range(100)],
        "formality": "formal-warm", "emoji": True,
        "examples": [{"draft": text(f"Parcel {i}", 2000), "reply": "Hi Sam,\n\n" + text(f"Your parcel {i}", 1970) + "\n\nBea",
                      "customer_message": ""} for i in range(12)],
    }
    room = 64 * 1024 - len(json.dumps(profile).encode())
    for example in profile["examples"]:
        example["customer_message"] = text("Where is parcel", min(2000, room // 12))
    assert 64 * 1024 - 200 < len(json.dumps(profile).encode()) <= 64 * 1024
    return profile


def server_memory_kb(pid: int) -> dict:
    status = Path(f"/proc/{pid}/status").read_text()
    return {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in status.splitlines()) if k in ("VmRSS", "VmHWM")}


@pytest.mark.model
def test_bounded_load_leaves_the_server_healthy(live_server, tmp_path):
    # Every rewrite reads the largest profile the server accepts: its examples fitted to the context.
    status, imported = live_server.request("POST", "/v1/profiles/import", largest_profile())
    assert status == 201, imported
    assert live_server.request("PUT", "/v1/profiles/active", {"id": imported["id"]})[0] == 200
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
    assert status == 200 and "5-7 business days" in body["reply"] and body["reply"].startswith("Hello, and thank you for writing")
