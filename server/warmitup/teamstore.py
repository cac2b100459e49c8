"""The team's voice and the agent's history, on disk in the data folder.

profiles.json holds the profiles, which one is active, and the history settings.
history.json holds rewrites, and only once the agent turns history on: with it off, a
rewrite writes nothing anywhere. Both are TinyDB files written atomically (store.py).
"""

from __future__ import annotations

import time
from pathlib import Path

from tinydb.table import Document

from .store import Store, leftovers
from .voice import ProfileError, Voice, parse_profile

HISTORY = "history.json"
HISTORY_DEFAULTS = {"enabled": False, "retention_days": 30, "retention_count": 200}
OUTCOMES = ("pending", "kept", "edited", "undone")
DAY = 86400.0


class NotFound(LookupError):
    pass


class TeamStore:
    def __init__(self, data_dir: Path, clock=time.time):
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.store = Store(self.data_dir / "profiles.json")
        self.lock = self.store.lock
        self._history: Store | None = None

    # --- profiles ---------------------------------------------------------------------

    def profiles(self) -> list[dict]:
        with self.lock:
            return [{"id": doc.doc_id, **doc} for doc in self.store.table("profiles").all()]

    def profile(self, profile_id: int) -> dict:
        with self.lock:
            doc = self.store.table("profiles").get(doc_id=profile_id)
            if doc is None:
                raise NotFound(f"no profile {profile_id}")
            return dict(doc)

    def voice(self, profile_id: int) -> Voice:
        return parse_profile(self.profile(profile_id))

    def active_voice(self) -> Voice | None:
        active = self.active()
        return self.voice(active) if active else None

    def _by_name(self, name: str) -> int | None:
        for doc in self.store.table("profiles").all():
            if doc["name"].casefold() == name.casefold():
                return doc.doc_id
        return None

    def create(self, data) -> int:
        """A new profile from JSON (checked); names are unique."""
        profile = parse_profile(data).as_profile()
        with self.lock:
            if self._by_name(profile["name"]) is not None:
                raise ProfileError([f"name: a profile named {profile['name']!r} exists already; choose another name"])
            return self.store.table("profiles").insert(profile)

    def update(self, profile_id: int, data) -> dict:
        profile = parse_profile(data).as_profile()
        with self.lock:
            self.profile(profile_id)
            other = self._by_name(profile["name"])
            if other not in (None, profile_id):
                raise ProfileError([f"name: another profile is named {profile['name']!r}"])
            # One write (a crash leaves the old or the new profile); as_profile() has every
            # field, so nothing of the old one survives the update.
            self.store.table("profiles").update(profile, doc_ids=[profile_id])
            return profile

    def import_profile(self, data) -> tuple[int, bool]:
        """A profile from a team lead's file: replaces the one with the same name, if any."""
        profile = parse_profile(data).as_profile()
        with self.lock:
            existing = self._by_name(profile["name"])
            if existing is None:
                return self.store.table("profiles").insert(profile), False
            self.update(existing, profile)
            return existing, True

    def delete(self, profile_id: int) -> None:
        with self.lock:
            self.profile(profile_id)
            self.store.table("profiles").remove(doc_ids=[profile_id])
            if self.active() == profile_id:
                self.set_active(None)

    def active(self) -> int | None:
        with self.lock:
            return self._settings().get("active_profile")

    def set_active(self, profile_id: int | None) -> None:
        with self.lock:
            if profile_id is not None:
                self.profile(profile_id)
            self._save_settings(active_profile=profile_id)

    # --- history ----------------------------------------------------------------------

    def history_settings(self) -> dict:
        with self.lock:
            stored = self._settings()
            return {key: stored.get(key, default) for key, default in HISTORY_DEFAULTS.items()}

    def set_history_settings(self, changes: dict) -> dict:
        problems = []
        for key, value in changes.items():
            if key not in HISTORY_DEFAULTS:
                problems.append(f"unknown setting {key!r} (known: {', '.join(HISTORY_DEFAULTS)})")
            elif key == "enabled" and not isinstance(value, bool):
                problems.append("enabled: expected true or false")
            elif key == "retention_days" and not (_whole(value) and 1 <= value <= 3650):
                problems.append("retention_days: a whole number of days from 1 to 3650")
            elif key == "retention_count" and not (_whole(value) and 1 <= value <= 10000):
                problems.append("retention_count: a whole number from 1 to 10000")
        if problems:
            raise ProfileError(problems)
        with self.lock:
            self._save_settings(**changes)
            self.prune()
            return self.history_settings()

    def record(self, entry: dict) -> int | None:
        """Keep one rewrite, if history is on; None (and nothing written) if it is off."""
        with self.lock:
            if not self.history_settings()["enabled"]:
                return None
            entry_id = self._history_table().insert({**entry, "at": self.clock(), "outcome": "pending", "final": ""})
            self.prune()
            return entry_id

    def history(self) -> list[dict]:
        with self.lock:
            if not self._history_exists():
                return []
            self.prune()
            docs = self._history_table().all()
            return sorted(({"id": d.doc_id, **d} for d in docs), key=lambda d: d["at"], reverse=True)

    def entry(self, entry_id: int) -> dict:
        with self.lock:
            doc = self._history_table().get(doc_id=entry_id) if self._history_exists() else None
            if doc is None:
                raise NotFound(f"no history entry {entry_id}")
            return {"id": entry_id, **doc}

    def set_outcome(self, entry_id: int, outcome: str, final: str = "") -> dict:
        if outcome not in OUTCOMES[1:]:
            raise ProfileError([f"outcome: one of {', '.join(OUTCOMES[1:])}"])
        with self.lock:
            self.entry(entry_id)
            self._history_table().update({"outcome": outcome, "final": final if outcome == "edited" else ""}, doc_ids=[entry_id])
            return self.entry(entry_id)

    def clear_history(self) -> int:
        """Every kept rewrite deleted (their count), and with them any copy of the history
        set aside as unreadable or left half-written by a crash: none of its text stays."""
        with self.lock:
            count = 0
            if self._history_exists():
                table = self._history_table()
                count = len(table)
                table.truncate()
            for copy in leftovers(self.data_dir / HISTORY):
                copy.unlink(missing_ok=True)
            return count

    def prune(self) -> int:
        """Entries past the retention limits, oldest first, removed."""
        with self.lock:
            if not self._history_exists():
                return 0
            limits = self.history_settings()
            table = self._history_table()
            docs = sorted(table.all(), key=lambda d: d["at"], reverse=True)
            cutoff = self.clock() - limits["retention_days"] * DAY
            old = [d.doc_id for i, d in enumerate(docs) if d["at"] < cutoff or i >= limits["retention_count"]]
            if old:
                table.remove(doc_ids=old)
            return len(old)

    def example_from(self, entry_id: int, profile_id: int) -> dict:
        """Add a kept or edited reply to a profile's examples, when the agent asks."""
        with self.lock:
            entry = self.entry(entry_id)
            if entry["outcome"] not in ("kept", "edited"):
                raise ProfileError([f"only a reply that was kept or edited can become an example (this one was {entry['outcome']})"])
            profile = self.profile(profile_id)
            example = {"draft": entry["draft"], "reply": entry["final"] or entry["reply"]}
            if entry.get("customer_message"):
                example["customer_message"] = entry["customer_message"]
            if example in profile["examples"]:
                return profile
            return self.update(profile_id, {**profile, "examples": profile["examples"] + [example]})

    # --- plumbing ---------------------------------------------------------------------

    def _settings(self) -> dict:
        doc = self.store.table("settings").get(doc_id=1)
        return dict(doc) if doc else {}

    def _save_settings(self, **changes) -> None:
        self.store.table("settings").upsert(Document({**self._settings(), **changes}, doc_id=1))

    def _history_exists(self) -> bool:
        return self._history is not None or (self.data_dir / HISTORY).exists()

    def _history_table(self):
        if self._history is None:
            self._history = Store(self.data_dir / HISTORY)
        return self._history.table("history")

    def close(self) -> None:
        self.store.close()
        if self._history is not None:
            self._history.close()


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)

