"""The phase of a long `specloom generate` run, shown on a terminal's stderr.

Nothing is shown for a run shorter than `DELAY` seconds, nor when stderr is not a terminal
(a pipe, a file, CI's log), nor with `--quiet`. Past the delay, one status line (the phase,
its count where the phase has one, the time so far) is redrawn in place a few times a second
by a daemon thread, and at once when the phase changes (a phase shorter than the redraw's
interval is still seen), and erased when the run ends, so what the run prints after it stands
alone.
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import TextIO

__all__ = ["DELAY", "TerminalProgress"]

DELAY = 2.0  # seconds before anything is shown
_INTERVAL = 0.25


class TerminalProgress:
    """A `generate(progress=...)` callback drawing the status line; use as a context manager."""

    def __init__(
        self, stream: TextIO | None = None, *, enabled: bool = True, delay: float | None = None
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.delay = DELAY if delay is None else delay
        self.enabled = enabled and _is_terminal(self.stream)
        self.started = time.monotonic()
        self.phase, self.done, self.total = "start", 0, 0
        self.drawn = False
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._drawing = threading.Lock()
        self._thread: threading.Thread | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        with self._lock:
            changed = phase != self.phase
            self.phase, self.done, self.total = phase, done, total
        if changed and self._thread is not None and self._past_delay():
            self._draw()

    def _past_delay(self) -> bool:
        return time.monotonic() - self.started >= self.delay

    def line(self) -> str:
        """The status line as it stands now."""
        with self._lock:
            phase, done, total = self.phase, self.done, self.total
        count = f" {done:,}/{total:,}" if total else ""
        return f"specloom: {phase}{count} ({time.monotonic() - self.started:.0f} s)"

    def __enter__(self) -> TerminalProgress:
        if self.enabled:
            self._thread = threading.Thread(target=self._run, name="specloom-progress")
            self._thread.daemon = True
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.drawn:
            self._write("\r\x1b[K")

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            self._draw()
            self._stop.wait(_INTERVAL)

    def _draw(self) -> None:
        with self._drawing:  # the thread's redraw and a phase change's, one at a time
            if not self._stop.is_set():
                self._write(f"\r\x1b[K{self.line()}")
                self.drawn = True

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed terminal: the run goes on without it
            self._stop.set()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
