"""Shared fixtures: the real embedded model (loaded once), the app, a client, a live server."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from flask.testing import FlaskClient

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


TOKEN = "test-token-0123456789abcdefghijklmnopqrstuvwxyz"
HOST = "127.0.0.1:8787"


class LoopbackClient(FlaskClient):
    """Addresses requests to 127.0.0.1:8787, as a browser or curl on this machine would."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", f"http://{HOST}")
        return super().open(*args, **kwargs)


def paired(client):
    """A test client that talks as the paired CLI does: loopback Host, the token, no Origin."""
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    return client


def loopback_client(app, token: bool = True):
    app.test_client_class = LoopbackClient
    client = app.test_client()
    return paired(client) if token else client


@pytest.fixture
def app(engine, tmp_path):
    return create_app({"TESTING": True, "API_TOKEN": TOKEN, "SETTINGS": {"data_dir": str(tmp_path)}}, engine=engine)


@pytest.fixture
def client(app):
    return loopback_client(app)


@pytest.fixture
def deterministic_app(tmp_path):
    """An app with no model: the deterministic composition alone."""
    return create_app({"TESTING": True, "API_TOKEN": TOKEN, "SETTINGS": {"use_model": False, "data_dir": str(tmp_path)}})


@pytest.fixture
def deterministic_client(deterministic_app):
    return loopback_client(deterministic_app)


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


class LiveServer:
    def __init__(self, url: str, token: str, process: subprocess.Popen, data_dir: Path, log_path: Path):
        self.url, self.token, self.process, self.data_dir, self.log_path = url, token, process, data_dir, log_path

    def request(self, method: str, path: str, body=None, headers=None, timeout: float = 120):
        """(status, parsed JSON or text) for one request with the token."""
        data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                raw, status = response.read(), response.status
        except urllib.error.HTTPError as exc:
            raw, status = exc.read(), exc.code
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode("utf-8", "replace")


@contextlib.contextmanager
def serve(workdir: Path, *args: str, command: tuple[str, ...] = (WARMITUP,)):
    """`warmitup serve` (or `command serve`) in a subprocess on a free port, its data in workdir/data."""
    port = free_port()
    data_dir = workdir / "data"
    log_path = workdir / "server.log"
    log = open(log_path, "w")
    process = subprocess.Popen(
        [*command, "serve", "--port", str(port), *args], stdout=log, stderr=subprocess.STDOUT, cwd=workdir,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "WARMITUP_DATA_DIR": str(data_dir)},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield LiveServer(url, (data_dir / "token").read_text().strip(), process, data_dir, log_path)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def live_server(tmp_path):
    with serve(tmp_path) as server:
        yield server


def kill_mid_write(script: str, *args: str, after: int) -> int:
    """Run a writer that prints a number once each write is saved, SIGKILL it once it has
    acknowledged `after` of them (mid-write, most likely), and return the last acknowledged."""
    import signal

    writer = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True)
    acknowledged = -1
    for line in writer.stdout:
        acknowledged = int(line)
        if acknowledged >= after:
            break
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    writer.stdout.close()
    return acknowledged


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


# --- The browser: Debian's Chromium with the extension loaded (Playwright) --------------

EXTENSION_DIR = ROOT / "extension"
BROWSER_FIXTURES = ROOT / "tests" / "browser"
SCREENSHOTS = ROOT / "results" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
# Gmail's pages carry this header; the fixture must too, so a Trusted Types slip shows.
GMAIL_CSP = "require-trusted-types-for 'script'"


class FixtureHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(BROWSER_FIXTURES), **kwargs)

    def end_headers(self):
        if self.path.startswith("/gmail"):
            self.send_header("Content-Security-Policy", GMAIL_CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def fixture_site():
    """The fixture pages (tests/browser) served from 127.0.0.1 on a free port."""
    if not (BROWSER_FIXTURES / "vendor" / "ckeditor5" / "ckeditor5.umd.js").exists():
        pytest.fail("CKEditor 5 is missing from tests/browser/vendor: run scripts/browser-setup (scripts/test does)")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FixtureHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def extension_server(tmp_path_factory):
    """The real server and embedded model behind the extension, one per test module."""
    with serve(tmp_path_factory.mktemp("extension-server")) as server:
        yield server


@pytest.fixture(scope="session")
def playwright_driver():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/browser-setup (scripts/test does)")
    with sync_playwright() as driver:
        yield driver


class ExtensionBrowser:
    """A Chromium profile with the extension loaded; real sites' addresses lead to the fixtures."""

    def __init__(self, context, worker, fixture_site: str):
        self.context, self.worker, self.fixture_site = context, worker, fixture_site
        self.id = worker.url.split("/")[2]

    def configure(self, **settings):
        """Set the extension's settings as the options page would store them."""
        self.worker.evaluate("(s) => chrome.storage.local.set(s)", settings)

    def open(self, url: str):
        page = self.context.new_page()
        page.goto(url)
        return page

    def screenshot(self, page, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture
def extension_browser(playwright_driver, fixture_site, tmp_path):
    profile = tmp_path / "profile"
    context = playwright_driver.chromium.launch_persistent_context(
        str(profile), headless=True, executable_path=CHROMIUM, viewport={"width": 1280, "height": 900},
        args=[
            f"--disable-extensions-except={EXTENSION_DIR}", f"--load-extension={EXTENSION_DIR}",
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
        ],
    )

    # Gmail's and Zendesk's real addresses, answered from the fixture server: the manifest's
    # match patterns are tested as they are, and nothing leaves the machine.
    def from_fixtures(route):
        # https://mail.google.com/mail/u/0/gmail.html -> gmail.html: the longest path suffix
        # that names a fixture file.
        parts = route.request.url.split("?")[0].split("/")[3:]
        path = next(("/".join(parts[i:]) for i in range(len(parts)) if (BROWSER_FIXTURES / "/".join(parts[i:])).is_file()), "")
        route.fulfill(response=route.fetch(url=f"{fixture_site}/{path}"))

    context.route("https://mail.google.com/**", from_fixtures)
    context.route("https://acme.zendesk.com/**", from_fixtures)
    worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
    try:
        yield ExtensionBrowser(context, worker, fixture_site)
    finally:
        context.close()


# CI runs the same examples every time; locally hypothesis keeps exploring.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")
