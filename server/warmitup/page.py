"""The local settings page at /: as safe as the API.

`warmitup open` asks the server (with the token) for a one-time code and prints a link;
opening it swaps the code for an HttpOnly, SameSite=Strict session cookie. Other web
pages can't send that cookie (SameSite) and their Origin is refused (security.py), so no
page but ours can drive this one. Sessions live in memory: a restart asks for a new link.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from pathlib import Path

from flask import Blueprint, current_app, jsonify, redirect, request, send_from_directory

bp = Blueprint("page", __name__)
STATIC = Path(__file__).with_name("page")
COOKIE = "warmitup_session"
SESSIONS = "warmitup.sessions"
CODE_SECONDS = 120
SESSION_SECONDS = 12 * 3600

PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


class Sessions:
    """One-time codes and the sessions they open, in memory, each with an expiry."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.lock = threading.Lock()
        self.codes: dict[str, float] = {}
        self.sessions: dict[str, float] = {}

    def new_code(self) -> str:
        code = secrets.token_urlsafe(24)
        with self.lock:
            self._expire()
            self.codes[code] = self.clock() + CODE_SECONDS
        return code

    def redeem(self, code: str) -> str | None:
        """A new session id for a valid code, which can't be used again."""
        with self.lock:
            self._expire()
            match = next((c for c in self.codes if hmac.compare_digest(c.encode(), code.encode())), None)
            if match is None:
                return None
            del self.codes[match]
            session = secrets.token_urlsafe(32)
            self.sessions[session] = self.clock() + SESSION_SECONDS
            return session

    def valid(self, session: str | None) -> bool:
        if not session:
            return False
        with self.lock:
            self._expire()
            return any(hmac.compare_digest(s.encode(), session.encode()) for s in self.sessions)

    def end(self, session: str | None) -> None:
        with self.lock:
            self.sessions.pop(session or "", None)

    def _expire(self) -> None:
        now = self.clock()
        for table in (self.codes, self.sessions):
            for key in [k for k, until in table.items() if until < now]:
                del table[key]


def sessions() -> Sessions:
    return current_app.extensions[SESSIONS]


def page_session_ok() -> bool:
    return sessions().valid(request.cookies.get(COOKIE))


def _notice(title: str, text: str, status: int):
    body = (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Warm It Up</title>"
        "<link rel=stylesheet href=/page/page.css></head><body><main class=notice>"
        f"<h1>{title}</h1><p>{text}</p></main></body></html>"
    )
    return body, status, {"Content-Type": "text/html; charset=utf-8"}


@bp.get("/")
def index():
    if not page_session_ok():
        return _notice(
            "Open this page from your terminal",
            "For your safety this page opens only with a one-time link. Run <code>warmitup open</code> "
            "(or <code>.venv/bin/warmitup open</code> in the project folder) and open the link it prints.",
            401,
        )
    return (STATIC / "index.html").read_bytes(), 200, {"Content-Type": "text/html; charset=utf-8"}


@bp.get("/open")
def open_page():
    session = sessions().redeem(request.args.get("code", ""))
    if session is None:
        return _notice("This link has expired", "Each link works once, for two minutes. Run <code>warmitup open</code> again.", 403)
    response = redirect("/", code=303)
    response.set_cookie(COOKIE, session, max_age=SESSION_SECONDS, httponly=True, samesite="Strict", path="/")
    return response


@bp.post("/page/logout")
def logout():
    sessions().end(request.cookies.get(COOKIE))
    response = jsonify({"ok": True})
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="Strict")
    return response


@bp.get("/page/<path:name>")
def static_file(name: str):
    return send_from_directory(STATIC, name, max_age=0)


@bp.post("/v1/page/codes")
def new_code():
    """A one-time code for the page (token required): what `warmitup open` asks for."""
    settings = current_app.config["SETTINGS"]
    code = sessions().new_code()
    host = request.host or f"127.0.0.1:{settings.port}"
    return jsonify({"code": code, "url": f"http://{host}/open?code={code}", "expires_in": CODE_SECONDS}), 201


def install(app) -> None:
    app.extensions[SESSIONS] = Sessions()

    @app.after_request
    def page_headers(response):
        for key, value in PAGE_HEADERS.items():
            response.headers.setdefault(key, value)
        return response
