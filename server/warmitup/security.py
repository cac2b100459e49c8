"""Who gets in: a secret token, our extension's origin, and loopback Host names only.

Any web page the agent visits can send requests to 127.0.0.1, so being on loopback
proves nothing. Every API request must carry the token; a request from a web page
(any Origin but our extension's) is refused whatever its token; a Host header other
than 127.0.0.1/localhost at our port (DNS rebinding) is refused. With `--expose`, the
bound address (or, bound to all, this machine's names and addresses) is accepted too.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import ipaddress
import os
import re
import secrets
import socket
import struct
from pathlib import Path

from flask import Flask, current_app, request

from .errors import APIError
from .page import page_session_ok
from .store import atomic_write, set_aside

TOKEN_FILE = "token"
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,128}$")
KEY_FILE = Path(__file__).with_name("data") / "extension_key.txt"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "warmitup"


def extension_id(public_key_b64: str) -> str:
    """Chrome's extension id for a manifest "key": sha256 of the key, first 32 hex digits as a-p."""
    digest = hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def our_extension_origin() -> str:
    return f"chrome-extension://{extension_id(KEY_FILE.read_text().strip())}"


def load_or_create_token(data_dir: Path, rotate: bool = False) -> str:
    """The pairing secret, created on first run with owner-only permissions."""
    path = data_dir / TOKEN_FILE
    if path.exists() and not rotate:
        token = path.read_text(encoding="utf-8", errors="replace").strip()
        if TOKEN_PATTERN.match(token):
            if path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
            return token
        set_aside(path, "not a token; pair the extension again with the new one")
    token = secrets.token_urlsafe(32)
    atomic_write(path, (token + "\n").encode(), mode=0o600)
    return token


WILDCARD_HOSTS = {"0.0.0.0", "::", ""}
SIOCGIFADDR = 0x8915  # Linux: an interface's IPv4 address


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host headers a request may carry: loopback's names, and the address the server
    is bound to; bound to every interface (`--expose` with 0.0.0.0), this machine's name
    and each interface's address, which is how a client elsewhere addresses it."""
    names = {"127.0.0.1", "localhost", "[::1]"} | (machine_names() if host in WILDCARD_HOSTS else {_host_name(host)})
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:
        hosts |= names
    return hosts


def machine_names() -> set[str]:
    """This machine's host name, every interface's IPv4 address and its IPv6 addresses but
    link-local ones (Linux: ioctl and /proc; elsewhere the host name alone)."""
    names = {socket.gethostname().lower()}
    with contextlib.suppress(OSError, ImportError):
        import fcntl

        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            for _, interface in socket.if_nameindex():
                with contextlib.suppress(OSError):
                    ifreq = struct.pack("256s", interface.encode()[:15])
                    names.add(socket.inet_ntoa(fcntl.ioctl(probe.fileno(), SIOCGIFADDR, ifreq)[20:24]))
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/net/if_inet6").read_text().splitlines():
            address = ipaddress.IPv6Address(int(line.split()[0], 16))
            if not address.is_link_local:
                names.add(_host_name(str(address)))
    return names


def _host_name(address: str) -> str:
    """An address as a Host header writes it: IPv6 in brackets."""
    return f"[{address}]" if ":" in address and not address.startswith("[") else address.lower()


def install(app: Flask) -> None:
    """Check every request before it reaches a view."""

    @app.before_request
    def gatekeeper():
        config = app.config
        host = (request.host or "").lower()
        if host not in config["ALLOWED_HOSTS"]:
            names = ", ".join(sorted(config["ALLOWED_HOSTS"]))
            raise APIError(403, "bad_host", f"requests must be addressed to one of {names}, not {host or 'no host'}")
        origin = request.headers.get("Origin")
        own_page = origin is not None and origin in {f"http://{h}" for h in config["ALLOWED_HOSTS"]}
        if origin is not None and origin not in config["EXTENSION_ORIGINS"] and not own_page:
            raise APIError(403, "forbidden_origin", "requests from web pages are refused; only the Warm It Up extension may call this server")
        if origin is None and request.headers.get("Sec-Fetch-Site") in {"cross-site", "same-site"}:
            raise APIError(403, "forbidden_origin", "cross-site requests are refused")
        if request.method == "OPTIONS" or request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if _token_ok(config["API_TOKEN"]):
            return None
        # Our settings page: its session cookie, sent by the browser from our own origin only.
        if (origin is None or own_page) and request.endpoint != "page.new_code" and page_session_ok():
            return None
        raise APIError(401, "unauthorized", "missing or wrong token: pair the extension (run `warmitup token`) and send it as 'Authorization: Bearer <token>'")


# The page's own entry points check its session themselves (and answer in HTML).
PUBLIC_ENDPOINTS = {"api.health", "page.index", "page.open_page", "page.static_file"}


def _token_ok(expected: str) -> bool:
    header = request.headers.get("Authorization", "")
    given = header[7:].strip() if header.lower().startswith("bearer ") else request.headers.get("X-Warmitup-Token", "")
    # Constant time, so the token can't be guessed a character at a time from response timings.
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def authorised() -> bool:
    """The token, or our settings page's session."""
    return _token_ok(current_app.config["API_TOKEN"]) or page_session_ok()
