"""A progress bar on stderr: redrawn in place on a terminal, a line per tenth elsewhere."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, label: str, unit: str = "", stream=None, start: int = 0):
        self.total = max(int(total), 1)
        self.label = label
        self.unit = unit
        self.done = start
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.perf_counter()
        self._last_tenth = -1

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()

    def advance(self, n: int = 1, note: str = "") -> None:
        self.done = min(self.total, self.done + n)
        fraction = self.done / self.total
        if self.tty:
            filled = int(fraction * 30)
            count = (f"{self.done / 1e6:.0f}/{self.total / 1e6:.0f} MB" if self.unit == "B" else f"{self.done}/{self.total}")
            elapsed = time.perf_counter() - self.started
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {count} {elapsed:5.1f}s {note}")
            self.stream.flush()
            return
        tenth = int(fraction * 10)
        if tenth != self._last_tenth:
            self._last_tenth = tenth
            self.stream.write(f"{self.label}: {int(fraction * 100)}% {note}".rstrip() + "\n")
            self.stream.flush()
