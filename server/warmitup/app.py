"""The Flask application factory."""

from __future__ import annotations

import logging
import threading

from flask import Flask

from . import api, errors
from .models import ModelError
from .settings import Settings

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

    def set(self, engine) -> None:
        self.engine, self.state = engine, "ready"
        self.ready.set()

    def fail(self, message: str) -> None:
        self.state, self.error = "error", message
        self.ready.set()


def create_app(test_config: dict | None = None, engine=None) -> Flask:
    """Build the app. Pass a loaded `engine`, or the model loads in the background
    (health says "loading" until then). `test_config` overrides settings by name."""
    app = Flask(__name__)
    settings = Settings.from_env(**(test_config or {}).get("SETTINGS", {}))
    app.config.from_mapping(SETTINGS=settings, MAX_CONTENT_LENGTH=settings.max_body_bytes)
    if test_config:
        app.config.update({k: v for k, v in test_config.items() if k != "SETTINGS"})
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

    errors.register(app)
    app.register_blueprint(api.bp)
    return app


def _load(slot: EngineSlot, settings: Settings) -> None:
    from .engine import load_engine

    try:
        slot.set(load_engine(settings))
    except ModelError as exc:
        slot.fail(str(exc))
