"""The team's voice and the agent's history over HTTP, under /v1: profiles (with
import and export as files) and history (off by default; settings, outcomes, clear)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, jsonify

from .errors import APIError, error_body
from .jsonbody import read_json
from .teamstore import NotFound, TeamStore
from .voice import ProfileError

bp = Blueprint("team", __name__, url_prefix="/v1")
TEAM = "warmitup.team"


def team() -> TeamStore:
    return current_app.extensions[TEAM]


def refused(exc: ProfileError, what: str = "profile") -> APIError:
    return APIError(400, f"invalid_{what}", f"the {what} was not saved: " + "; ".join(exc.problems), problems=exc.problems)


@bp.errorhandler(NotFound)
def not_found(exc: NotFound):
    return jsonify(error_body("not_found", str(exc))), 404


@bp.get("/profiles")
def list_profiles():
    return jsonify({"active": team().active(), "profiles": team().profiles()})


@bp.post("/profiles")
def create_profile():
    try:
        profile_id = team().create(read_json("profile"))
    except ProfileError as exc:
        raise refused(exc) from None
    return jsonify({"id": profile_id, **team().profile(profile_id)}), 201


@bp.get("/profiles/<int:profile_id>")
def get_profile(profile_id: int):
    return jsonify({"id": profile_id, **team().profile(profile_id)})


@bp.put("/profiles/<int:profile_id>")
def update_profile(profile_id: int):
    try:
        profile = team().update(profile_id, read_json("profile"))
    except ProfileError as exc:
        raise refused(exc) from None
    return jsonify({"id": profile_id, **profile})


@bp.delete("/profiles/<int:profile_id>")
def delete_profile(profile_id: int):
    team().delete(profile_id)
    return jsonify({"deleted": profile_id, "active": team().active()})


@bp.put("/profiles/active")
def set_active_profile():
    body = read_json()
    profile_id = body.get("id") if isinstance(body, dict) else None
    if profile_id is not None and (not isinstance(profile_id, int) or isinstance(profile_id, bool)):
        raise APIError(400, "invalid_request", "send {\"id\": <profile id>} or {\"id\": null} for no profile")
    team().set_active(profile_id)
    return jsonify({"active": team().active()})


@bp.get("/profiles/<int:profile_id>/export")
def export_profile(profile_id: int):
    profile = team().voice(profile_id).as_profile()
    filename = "".join(c if c.isalnum() or c in "-_" else "-" for c in profile["name"]).strip("-") or "profile"
    return Response(
        json.dumps(profile, indent=2, ensure_ascii=False) + "\n",
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}.warmitup-profile.json"'},
    )


@bp.post("/profiles/import")
def import_profile():
    """The body is the file as exported. A profile of the same name is replaced."""
    try:
        profile_id, replaced = team().import_profile(read_json("file"))
    except ProfileError as exc:
        raise refused(exc) from None
    return jsonify({"id": profile_id, "replaced": replaced, **team().profile(profile_id)}), (200 if replaced else 201)


@bp.get("/history")
def history():
    return jsonify({"settings": team().history_settings(), "entries": team().history()})


@bp.put("/history/settings")
def history_settings():
    body = read_json()
    if not isinstance(body, dict):
        raise APIError(400, "invalid_request", "send an object such as {\"enabled\": true}")
    try:
        return jsonify(team().set_history_settings(body))
    except ProfileError as exc:
        raise refused(exc, "settings") from None


@bp.delete("/history")
def clear_history():
    return jsonify({"removed": team().clear_history()})


@bp.post("/history/<int:entry_id>/outcome")
def history_outcome(entry_id: int):
    """What the agent did with a reply: kept (as is), edited (then sent; `final` is what
    was sent), or undone."""
    body = read_json()
    if not isinstance(body, dict) or not isinstance(body.get("final", ""), str):
        raise APIError(400, "invalid_request", "send {\"outcome\": \"kept\" | \"edited\" | \"undone\", \"final\": \"...\"}")
    try:
        return jsonify(team().set_outcome(entry_id, body.get("outcome"), body.get("final", "")))
    except ProfileError as exc:
        raise refused(exc, "outcome") from None


@bp.post("/history/<int:entry_id>/example")
def history_to_example(entry_id: int):
    body = read_json()
    profile_id = body.get("profile") if isinstance(body, dict) else None
    if not isinstance(profile_id, int) or isinstance(profile_id, bool):
        raise APIError(400, "invalid_request", "send {\"profile\": <profile id>}")
    try:
        profile = team().example_from(entry_id, profile_id)
    except ProfileError as exc:
        raise refused(exc, "example") from None
    return jsonify({"id": profile_id, **profile})
