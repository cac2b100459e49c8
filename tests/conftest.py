"""Shared fixtures: the real embedded model (loaded once), the app, a client, a live server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from warmitup import create_app
from warmitup.models import default_models_dir, load_catalogue

ROOT = Path(__file__).resolve().parents[1]
WARMITUP = str(Path(sys.executable).with_name("warmitup"))


def catalogue_path(name: str | None = None) -> Path:
    default, entries = load_catalogue()
    entry = entries[name or default]
    path = default_models_dir() / entry.file
    if not path.exists():
        pytest.fail(f"{path} is missing: run scripts/setup --all-models (scripts/test does)")
    return path


@pytest.fixture(scope="session")
def engine():
    from warmitup.engine import load_engine
    from warmitup.settings import Settings

    catalogue_path()
    return load_engine(Settings())


@pytest.fixture(scope="session")
def chat_engine():
    """The other catalogue model, loaded by path: the chat-template prompt style."""
    from warmitup.engine import load_engine
    from warmitup.settings import Settings

    return load_engine(Settings(model=str(catalogue_path("smollm2-135m-instruct"))))


@pytest.fixture
def app(engine):
    return create_app({"TESTING": True}, engine=engine)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def deterministic_client():
    """An app with no model: the deterministic composition alone."""
    return create_app({"TESTING": True, "SETTINGS": {"use_model": False}}).test_client()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/v1/health", timeout=2) as response:
                body = json.loads(response.read())
                if body.get("status") == "ok":
                    return body
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not become healthy")


@pytest.fixture
def live_server(tmp_path):
    """`warmitup serve` in a subprocess on a free port; yields its base URL."""
    port = free_port()
    log = open(tmp_path / "server.log", "w")
    process = subprocess.Popen(
        [WARMITUP, "serve", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


# CI runs the same examples every time; locally hypothesis keeps exploring.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")
