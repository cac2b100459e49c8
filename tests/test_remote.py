"""The engine behind an OpenAI-compatible server: llama_cpp.server serving the embedded model."""

import subprocess
import sys
import time
import urllib.request

import pytest

from warmitup import create_app
from warmitup.remote import RemoteEngine
from warmitup.settings import Settings

from conftest import TOKEN, catalogue_path, free_port, loopback_client

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def openai_server():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(catalogue_path()), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "2048", "--n_threads", str(Settings().n_threads), "--logits_all", "False"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(url + "/v1/models", timeout=1):
                    break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("llama_cpp.server exited")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def wait_ready(app):
    slot = app.extensions["warmitup.engine"]
    assert slot.ready.wait(120)
    return slot


def test_same_pipeline_same_guard_through_the_server(openai_server, tmp_path):
    app = create_app({"API_TOKEN": TOKEN, "SETTINGS": {"engine_url": openai_server, "data_dir": str(tmp_path)}})
    slot = wait_ready(app)
    assert slot.state == "ready", slot.error
    client = loopback_client(app)
    health = client.get("/v1/health").get_json()
    assert health["status"] == "ok" and health["model"]["catalogue"] is False
    response = client.post("/v1/rewrite", json={
        "draft": "Order shipped Tuesday. Tracking 1Z999AA10123456784. Should arrive Friday.",
        "customer_message": "My order still hasn't arrived and it's been two weeks.", "customer_name": "Dana", "agent_name": "Sam"})
    body = response.get_json()
    assert response.status_code == 200
    for fact in ("Tuesday", "1Z999AA10123456784", "Friday", "Dana", "Sam"):
        assert fact in body["reply"]
    assert all(c["ok"] for c in body["checks"])
    assert len(body["path"]["rejected"]) + (body["path"]["mirror"] == "model") >= 1  # the model was asked


def test_generation_stops_when_asked(openai_server):
    engine = RemoteEngine(openai_server)
    text = engine.complete(engine.mirror_prompt("My parcel is lost."), max_tokens=40, temperature=0.8, seed=1,
                           stop_when=lambda: True)
    assert text == ""


def test_an_unreachable_engine_is_a_clear_error(tmp_path):
    app = create_app({"API_TOKEN": TOKEN, "SETTINGS": {"engine_url": f"http://127.0.0.1:{free_port()}", "data_dir": str(tmp_path)}})
    slot = wait_ready(app)
    assert slot.state == "error" and "can't reach the engine server" in slot.error
    response = loopback_client(app).post("/v1/rewrite", json={"draft": "Got them."})
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "model_unavailable"
