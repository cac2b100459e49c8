"""The Flask application factory."""

from __future__ import annotations

import logging
import threading

from pathlib import Path

from flask import Flask
from flask_cors import CORS

from . import api, errors, page, security, team
from .errors import APIError
from .models import ModelError
from .settings import Settings
from .teamstore import TeamStore

ENGINE = "warmitup.engine"


class EngineSlot:
    """The loaded engine, or why there isn't one yet. Lives in app.extensions."""

    def __init__(self):
        self.engine = None
        self.state = "loading"  # loading | ready | error | disabled
        self.error = ""
        self.ready = threading.Event()
        # One rewrite at a time: a llama.cpp context runs one completion at a time,
        # and a whole rewrite (mirror, then answer) reuses the prompt it just built.
        self.turn = threading.Lock()
        self._admitted = 0
        self._count_lock = threading.Lock()

    def set(self, engine) -> None:
        self.engine, self.state = engine, "ready"
        self.ready.set()

    def fail(self, message: str) -> None:
        self.state, self.error = "error", message
        self.ready.set()

    def admit(self, limit: int) -> "Admission":
        """A place in the bounded queue for the model, or a 503 when it is full."""
        with self._count_lock:
            if self._admitted >= limit:
                raise APIError(503, "busy", f"{limit} rewrites are already queued; try again shortly", {"Retry-After": "2"})
            self._admitted += 1
        return Admission(self)

    def release(self) -> None:
        with self._count_lock:
            self._admitted -= 1

    @property
    def queued(self) -> int:
        return self._admitted


class Admission:
    """Holds a queue place until released (by a `with` block or by hand, once)."""

    def __init__(self, slot: EngineSlot):
        self.slot, self.done = slot, False

    def release(self) -> None:
        if not self.done:
            self.done = True
            self.slot.release()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


def create_app(test_config: dict | None = None, engine=None) -> Flask:
    """Build the app. Pass a loaded `engine`, or the model loads in the background
    (health says "loading" until then). `test_config` overrides settings by name."""
    app = Flask(__name__)
    settings = Settings.from_env(**(test_config or {}).get("SETTINGS", {}))
    data_dir = Path(settings.data_dir).expanduser() if settings.data_dir else security.default_data_dir()
    origins = [o.strip() for o in settings.extension_origins.split(",") if o.strip()] or [security.our_extension_origin()]
    app.config.from_mapping(
        SETTINGS=settings,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        DATA_DIR=data_dir,
        EXTENSION_ORIGINS=origins,
        ALLOWED_HOSTS=security.allowed_hosts(settings.host, settings.port),
    )
    if test_config:
        app.config.update({k: v for k, v in test_config.items() if k != "SETTINGS"})
    if not app.config.get("API_TOKEN"):
        app.config["API_TOKEN"] = security.load_or_create_token(data_dir)
    app.logger.setLevel(logging.INFO)

    slot = EngineSlot()
    app.extensions[ENGINE] = slot
    if engine is not None:
        slot.set(engine)
    elif not settings.use_model:
        slot.state = "disabled"
        slot.ready.set()
    else:
        threading.Thread(target=_load, args=(slot, settings), name="model-loader", daemon=True).start()

    app.extensions[team.TEAM] = TeamStore(data_dir)
    page.install(app)
    errors.register(app)
    security.install(app)
    # The service worker needs no CORS; this answers preflights from our extension's pages alone.
    CORS(app, origins=app.config["EXTENSION_ORIGINS"], allow_headers=["Authorization", "Content-Type", "X-Warmitup-Token"],
         methods=["GET", "POST"], max_age=600)
    app.register_blueprint(api.bp)
    app.register_blueprint(team.bp)
    app.register_blueprint(page.bp)
    return app


def _load(slot: EngineSlot, settings: Settings) -> None:
    from . import reading, spelling
    from .engine import load_engine

    # The meaning checks' parser and the word list the draft's typing slips are checked
    # against load beside the model (llama.cpp works outside the GIL), so the first rewrite
    # waits for neither and start-up takes the longer of the two, not their sum.
    helpers = threading.Thread(target=lambda: (reading.load(), spelling.load()), name="load-checks", daemon=True)
    helpers.start()
    try:
        engine = load_engine(settings)
        engine.warm_up()
        helpers.join()
        slot.set(engine)
    except ModelError as exc:
        slot.fail(str(exc))
