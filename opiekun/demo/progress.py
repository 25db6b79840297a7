"""A one-line progress bar for long commands: percent, rate and time left, on stderr."""

import time
from typing import Protocol


class Stream(Protocol):
    def write(self, text: str, /) -> object: ...

    def flush(self) -> object: ...


def format_seconds(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


class Progress:
    """Redraws one line at most every `every` seconds; `finish` ends the line with totals.

    On a stream that is not a terminal (a log file, a test's StringIO) it writes a new line
    each time instead of redrawing, so logs stay readable.
    """

    def __init__(
        self, stream: Stream, *, label: str, total: int, unit: str, every: float = 0.5
    ) -> None:
        self.stream = stream
        self.label = label
        self.total = max(total, 0)
        self.unit = unit
        self.every = every
        self.done = 0
        self.started = time.monotonic()
        self.drawn_at = self.started
        self.interactive = bool(getattr(stream, "isatty", lambda: False)())

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        elapsed = self.elapsed
        return self.done / elapsed if elapsed > 0 else 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.drawn_at >= self.every or self.done >= self.total:
            self.drawn_at = now
            self._draw()

    def line(self) -> str:
        fraction = self.done / self.total if self.total else 1.0
        filled = int(fraction * 24)
        rate = self.rate
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        return (
            f"{self.label} [{'#' * filled}{'.' * (24 - filled)}] {fraction:4.0%} "
            f"{self.done:,}/{self.total:,} {self.unit}  {rate:,.0f} {self.unit}/s  "
            f"ETA {format_seconds(eta)}"
        )

    def _draw(self) -> None:
        if self.interactive:
            self.stream.write("\r" + self.line() + "\x1b[K")
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.interactive:
            self.stream.write("\r" + self.line() + "\x1b[K\n")
        self.stream.write(
            f"{self.label}: {self.done:,} {self.unit} in {format_seconds(self.elapsed)} "
            f"({self.rate:,.0f} {self.unit}/s)\n"
        )
        self.stream.flush()
