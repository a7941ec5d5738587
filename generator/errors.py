"""Errors and warnings about a spec, located by file, line, column and JSON pointer."""

from __future__ import annotations

from typing import NamedTuple

import msgspec

__all__ = [
    "Position",
    "Report",
    "SpecError",
    "SpecWarning",
    "escape_pointer",
    "join_pointer",
    "show_pointer",
]


class Position(NamedTuple):
    """Where a value starts in a source file (1-based line and column)."""

    file: str
    line: int
    column: int


def escape_pointer(segment: str) -> str:
    """Escape one JSON pointer segment (RFC 6901)."""
    return segment.replace("~", "~0").replace("/", "~1")


def join_pointer(pointer: str, *segments: str | int) -> str:
    """`pointer` extended by escaped `segments`."""
    if len(segments) == 1:  # the common case, without a generator
        segment = segments[0] if isinstance(segments[0], str) else str(segments[0])
        if "~" in segment or "/" in segment:
            segment = escape_pointer(segment)
        return f"{pointer}/{segment}"
    return pointer + "".join("/" + escape_pointer(str(segment)) for segment in segments)


def show_pointer(pointer: str) -> str:
    """A JSON pointer as a URI fragment, the way it appears in `$ref`s: `#/paths/~1pets`."""
    return "#" + pointer


def _location(file: str | None, line: int | None, column: int | None) -> str:
    parts = [part for part in (file, line, column) if part is not None]
    return ":".join(str(part) for part in parts)


class SpecError(Exception):
    """A spec that cannot be understood; str() reads `file:line:col: #/pointer: message`."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        pointer: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.pointer = pointer

    def located(self, position: Position | None) -> SpecError:
        """A copy placed at `position` (when this error has no file yet)."""
        if position is None or self.file is not None:
            return self
        return SpecError(
            self.message,
            file=position.file,
            line=position.line,
            column=position.column,
            pointer=self.pointer,
        )

    def __str__(self) -> str:
        parts = [_location(self.file, self.line, self.column)]
        if self.pointer is not None:
            parts.append(show_pointer(self.pointer))
        parts.append(self.message)
        return ": ".join(part for part in parts if part)


class SpecWarning(msgspec.Struct, frozen=True):
    """One report entry: something in the spec that was degraded, ignored or repaired."""

    pointer: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def located(self, position: Position | None) -> SpecWarning:
        """A copy placed at `position` (when this warning has no file yet)."""
        if position is None or self.file is not None:
            return self
        return SpecWarning(self.pointer, self.message, *position)

    def __str__(self) -> str:
        where = _location(self.file, self.line, self.column)
        text = f"{show_pointer(self.pointer)}: {self.message}"
        return f"{where}: {text}" if where else text


class Report:
    """Collects warnings while building; repeated kinds of problems can be aggregated."""

    def __init__(self) -> None:
        self.entries: list[SpecWarning] = []
        self._grouped: dict[str, tuple[int, int]] = {}  # group key -> (entry index, count)

    def warn(self, pointer: str, message: str) -> None:
        self.entries.append(SpecWarning(pointer, message))

    def warn_grouped(self, group: str, pointer: str, message: str) -> None:
        """Warn once per `group`; later occurrences only count (reported as `N places`)."""
        if group in self._grouped:
            index, count = self._grouped[group]
            self._grouped[group] = (index, count + 1)
            return
        self._grouped[group] = (len(self.entries), 1)
        self.entries.append(SpecWarning(pointer, message))

    def finish(self) -> list[SpecWarning]:
        """The entries, with counts added to grouped ones."""
        entries = list(self.entries)
        for index, count in self._grouped.values():
            if count > 1:
                entry = entries[index]
                message = f"{entry.message} ({count} places; the first is shown)"
                entries[index] = SpecWarning(entry.pointer, message)
        return entries
