"""What the server keeps on disk, kept so a crash mid-write loses nothing that was saved.

Every write goes to a temporary file in the same folder, is flushed to disk, and then
renamed over the old file (atomic on POSIX). A file that can't be read is set aside
under a new name with a clear message, never silently emptied.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from pathlib import Path

from tinydb import TinyDB
from tinydb.storages import Storage

log = logging.getLogger(__name__)


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `data` all at once: readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def set_aside(path: Path, why: str) -> Path:
    """Move an unreadable file out of the way, keeping it for a person to look at."""
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
    os.replace(path, aside)
    log.warning("%s could not be read (%s); it was set aside as %s and a new one started", path, why, aside.name)
    return aside


def leftovers(path: Path) -> list[Path]:
    """Copies of `path` left beside it: set aside as unreadable, or a temporary file a crash cut short."""
    return [*path.parent.glob(f"{path.name}.corrupt-*"), *path.parent.glob(f".{path.name}.*.tmp")]


class AtomicJSONStorage(Storage):
    """TinyDB's JSON storage with atomic writes and corrupt files set aside."""

    def __init__(self, path: str, **kwargs):
        self.path = Path(path)
        self.set_aside_as: Path | None = None

    def read(self):
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw.strip():
            return None
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            return data
        except (UnicodeDecodeError, ValueError) as exc:
            self.set_aside_as = set_aside(self.path, str(exc))
            return None

    def write(self, data) -> None:
        atomic_write(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def close(self) -> None:
        pass


class Store:
    """A TinyDB database behind one lock: TinyDB is not safe across threads by itself."""

    def __init__(self, path: Path):
        self.lock = threading.RLock()
        self.db = TinyDB(str(path), storage=AtomicJSONStorage)

    @property
    def set_aside_as(self) -> Path | None:
        return self.db.storage.set_aside_as

    def table(self, name: str):
        return self.db.table(name)

    def close(self) -> None:
        with self.lock:
            self.db.close()
