"""One JSON shape for every error: {"error": {"code": ..., "message": ...}}."""

from __future__ import annotations

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException


class APIError(Exception):
    """A domain error with an HTTP status, a stable code and a message a person can act on."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None, problems: list | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.problems = problems


def error_body(code: str, message: str, problems: list | None = None) -> dict:
    """`problems`: every reason a submitted document was refused, each naming its field."""
    return {"error": {"code": code, "message": message, **({"problems": problems} if problems else {})}}


def register(app: Flask) -> None:
    @app.errorhandler(APIError)
    def api_error(exc: APIError):
        return jsonify(error_body(exc.code, exc.message, exc.problems)), exc.status, exc.headers

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        message = exc.description or exc.name
        if exc.code == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH")
            message = f"request body too large: the limit is {limit} bytes"
        return jsonify(error_body(code, message)), exc.code
