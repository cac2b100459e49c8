"""Request bodies read as JSON: every way a body can be wrong is a 4xx that says so.

Werkzeug cuts a chunked body (no Content-Length) at the size limit without a word;
Python's json raises more than JSONDecodeError (RecursionError for deep nesting,
ValueError for an integer of more than 4,300 digits); and JSON can carry a lone
surrogate ("\\ud800"), which is no character and can't be written as UTF-8 (the
model's tokenizer, the history file). Each is answered here, before a view sees it.
"""

from __future__ import annotations

import json
import re

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from .errors import APIError

SURROGATE = re.compile("[\ud800-\udfff]")


def request_body() -> bytes:
    """The whole body; past the size limit a 413, whether or not it came with a Content-Length."""
    raw = request.get_data(cache=True)
    limit = request.max_content_length
    if request.content_length is None and limit is not None and len(raw) >= limit:
        # Werkzeug stopped reading at the limit: one more byte waiting means it was cut.
        if request.environ["wsgi.input"].read(1):
            raise RequestEntityTooLarge()
    return raw


def parse_json(raw: bytes, what: str = "request"):
    """`raw` decoded as UTF-8 JSON holding text only where every character is one."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise APIError(400, "invalid_utf8", f"the {what} is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise APIError(400, "invalid_json", f"the {what} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise APIError(400, "invalid_json", f"the {what} nests lists or objects too deeply to read") from None
    except ValueError:  # an integer of more digits than Python converts
        raise APIError(400, "invalid_json", f"the {what} holds a number with too many digits to read") from None
    if _has_lone_surrogate(data):
        raise APIError(400, "invalid_text", f"the {what} holds a lone surrogate (\\ud800-\\udfff), which is not a "
                       "character: send the text as it was typed")
    return data


def read_json(what: str = "request"):
    return parse_json(request_body(), what)


def _has_lone_surrogate(data) -> bool:
    pending = [data]  # a loop, not recursion: the body may nest as deep as json allows
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False
