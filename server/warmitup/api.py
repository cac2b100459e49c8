"""The HTTP API, versioned under /v1: rewrite, rewrite/stream (SSE), health, models.

Log lines carry sizes, paths and timings, never the text of a draft or message.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, stream_with_context

from . import __version__
from .errors import APIError, error_body
from .jsonbody import parse_json, request_body
from .models import default_models_dir, load_catalogue
from .pipeline import Busy, Cancelled, InputError, Rewriter, RewriteRequest, word_changes
from .security import authorised
from .team import team
from .teamstore import NotFound

bp = Blueprint("api", __name__, url_prefix="/v1")

TEXT_FIELDS = ("draft", "customer_message", "customer_name", "agent_name", "tone")
FIELDS = (*TEXT_FIELDS, "profile", "sign_off")


def _slot():
    return current_app.extensions["warmitup.engine"]


def _settings():
    return current_app.config["SETTINGS"]


def parse_rewrite_request() -> tuple[RewriteRequest, bool]:
    """The request, and whether the reply ends with a sign-off ("sign_off", default true)."""
    raw = request_body()
    data = parse_json(raw, "request body") if raw.strip() else None
    if not isinstance(data, dict):
        raise APIError(400, "invalid_request", "send a JSON object such as {\"draft\": \"Refund issued. 5-7 days.\"}")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise APIError(400, "unknown_field", f"unknown field(s): {', '.join(unknown)}; allowed: {', '.join(FIELDS)}")
    if data.get("draft") is None:
        raise APIError(400, "invalid_request", "'draft' is required")
    sign_off = data.get("sign_off", True)
    if not isinstance(sign_off, bool):
        raise APIError(400, "invalid_request", "'sign_off' is true (the default) or false")
    values = {k: data[k] for k in TEXT_FIELDS if k in data and data[k] is not None}
    req = RewriteRequest(**values, voice=_voice(data.get("profile", "active")))
    settings = _settings()
    try:
        req.validate(settings.max_draft_chars, settings.max_message_chars)
    except InputError as exc:
        raise APIError(400, "invalid_request", str(exc)) from None
    return req, sign_off


def without_signoff(req: RewriteRequest, result) -> bool:
    """Drops the sign-off the reply added ("Best,\nSam"), for a compose whose own signature
    signs it; one the draft itself ends with stays. Whether the reply changed."""
    signoff = (result.parts or {}).get("signoff", "")
    if not signoff or signoff in req.draft or not result.reply.endswith(signoff):
        return False
    result.reply = result.reply[: -len(signoff)].rstrip()
    result.parts = {**result.parts, "signoff": ""}
    result.changes = word_changes(req.draft, result.reply)
    return True


def _voice(profile):
    """The team profile for a request: the active one unless it names one, or "none"."""
    store = team()
    if profile == "none":
        return None
    if profile == "active":
        profile = store.active()
        if profile is None:
            return None
    if not isinstance(profile, int) or isinstance(profile, bool):
        raise APIError(400, "invalid_request", "'profile' is a profile id, \"active\" (the default) or \"none\"")
    try:
        return store.voice(profile)
    except NotFound:
        raise APIError(400, "unknown_profile", f"there is no profile {profile}; GET /v1/profiles lists them") from None


def _remember(req: RewriteRequest, result) -> dict:
    """The result as sent, with its history id when the agent turned history on."""
    body = result.as_dict()
    entry = team().record({
        "draft": req.draft, "customer_message": req.customer_message, "customer_name": req.customer_name,
        "reply": result.reply, "profile": req.voice.name if req.voice else "",
    })
    if entry is not None:
        body["history_id"] = entry
    return body


def _rewriter() -> Rewriter:
    slot, settings = _slot(), _settings()
    if slot.state == "loading":
        raise APIError(503, "model_loading", "the model is still loading; try again in a moment", {"Retry-After": "2"})
    if slot.state == "error":
        raise APIError(503, "model_unavailable", slot.error)
    return Rewriter(slot.engine, settings.mirror_samples, settings.body_samples, settings.seed, turn=slot.turn)


def _log(req: RewriteRequest, result=None, status: str = "ok", started: float = 0.0) -> None:
    path = (result.path.get("mirror"), result.path.get("body")) if result else None
    current_app.logger.info(
        "rewrite status=%s draft_chars=%d message_chars=%d tone=%s path=%s seconds=%.3f",
        status, len(req.draft), len(req.customer_message), req.tone, path, time.perf_counter() - started,
    )


def _busy() -> APIError:
    return APIError(503, "busy", "the model stayed busy past this request's deadline; try again", {"Retry-After": "2"})


@bp.post("/rewrite")
def rewrite():
    started = time.perf_counter()
    req, sign_off = parse_rewrite_request()
    rewriter = _rewriter()
    with _slot().admit(_settings().max_queue):
        try:
            result = rewriter.rewrite(req, timeout=_settings().request_timeout_s)
        except Busy:
            _log(req, status="busy", started=started)
            raise _busy() from None
    if not sign_off:
        without_signoff(req, result)
    _log(req, result, started=started)
    return jsonify(_remember(req, result))


@bp.post("/rewrite/stream")
def rewrite_stream():
    """Server-Sent Events: facts, stage, text (append), replace, done (the whole result) or error."""
    started = time.perf_counter()
    req, sign_off = parse_rewrite_request()
    rewriter = _rewriter()
    admission = _slot().admit(_settings().max_queue)
    timeout = _settings().request_timeout_s
    events: queue.Queue = queue.Queue()
    cancel = threading.Event()
    app = current_app._get_current_object()

    def work():
        with app.app_context():
            try:
                result = rewriter.rewrite(req, emit=lambda e, d: events.put((e, d)), cancelled=cancel.is_set, timeout=timeout)
                if not sign_off and without_signoff(req, result):
                    events.put(("replace", {"text": result.reply}))  # the streamed text had the sign-off
                events.put(("done", _remember(req, result)))
                _log(req, result, started=started)
            except Busy:
                events.put(("error", error_body("busy", _busy().message)["error"]))
                _log(req, status="busy", started=started)
            except Cancelled:
                _log(req, status="cancelled", started=started)
            except Exception as exc:  # reported to the client, then logged with its traceback
                events.put(("error", error_body("rewrite_failed", "the rewrite failed; the draft is unchanged")["error"]))
                app.logger.exception("rewrite failed: %s", type(exc).__name__)
            finally:
                admission.release()
                events.put(None)

    threading.Thread(target=work, name="rewrite-stream", daemon=True).start()

    def generate():
        try:
            while True:
                try:
                    item = events.get(timeout=0.25)
                except queue.Empty:
                    # A comment line: writing it is how a client that went away is noticed
                    # while this request waits for the model, so its turn is freed at once.
                    yield ": waiting\n\n"
                    continue
                if item is None:
                    break
                event, data = item
                yield f"event: {event}\ndata: {json.dumps(data)}\n\n"
        finally:
            cancel.set()  # the client went away (or all is sent): stop any model work for it

    return Response(
        stream_with_context(generate()),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@bp.get("/health")
def health():
    """Open to the extension before pairing (reachable? loading?); details need the token."""
    slot = _slot()
    body = {"status": {"ready": "ok", "disabled": "ok"}.get(slot.state, slot.state), "version": __version__,
            "paired": authorised()}
    if not body["paired"]:
        return jsonify(body), (200 if slot.state != "error" else 503)
    body["queued"] = slot.queued
    if slot.engine is not None:
        info = slot.engine.info
        body["model"] = {"name": info.name, "prompt": info.prompt, "catalogue": info.catalogue}
    elif slot.state == "disabled":
        body["model"] = None
    if slot.state == "error":
        body["error"] = slot.error
    return jsonify(body), (200 if slot.state in {"ready", "disabled", "loading"} else 503)


@bp.get("/models")
def models():
    settings = _settings()
    models_dir = Path(settings.models_dir) if settings.models_dir else default_models_dir()
    default, entries = load_catalogue(models_dir)
    slot = _slot()
    loaded = slot.engine.info.name if slot.engine is not None else None
    return jsonify(
        {
            "default": default,
            "loaded": loaded,
            "models": [e.as_dict(models_dir) for e in entries.values()],
        }
    )
