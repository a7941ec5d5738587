"""Path templates and the route table: static paths in a dict, parameterised ones in a segment tree.

Lookup never scans the list of routes: a static path is one dict lookup, a parameterised path
walks one tree node per segment, so its cost depends on the path's depth, not the route count.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .exceptions import ImproperlyConfiguredException

__all__ = ["PATH_PARAM_TYPES", "PathParam", "PathTemplate", "RouteNode", "RouteTable", "parse_path"]

PATH_PARAM_TYPES: dict[str, Any] = {
    "str": str,
    "int": int,
    "float": float,
    "decimal": Decimal,
    "uuid": uuid.UUID,
    "date": datetime.date,
    "datetime": datetime.datetime,
    "time": datetime.time,
    "timedelta": datetime.timedelta,
    "path": str,
}

_PARAM_RE = re.compile(r"\{([^{}:]*)(?::([^{}]*))?\}")
_IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-.\[\]]*$")


@dataclass(frozen=True)
class PathParam:
    """A parameter of a path template: its name, its declared type and whether it takes the rest."""

    name: str
    type_name: str | None
    is_path: bool = False

    @property
    def type(self) -> Any:
        return PATH_PARAM_TYPES[self.type_name or "str"]


@dataclass(frozen=True)
class Segment:
    """One path segment: a literal, a whole-segment parameter, or a literal/parameter mix."""

    literal: str | None = None
    params: tuple[PathParam, ...] = ()
    pattern: str | None = None  # regex with unnamed groups, for mixed segments like `{id}.json`


@dataclass(frozen=True)
class PathTemplate:
    """A parsed path template such as `/items/{item_id:int}` or `/files/{rest:path}`."""

    path: str
    segments: tuple[Segment, ...]
    params: tuple[PathParam, ...]
    trailing_slash: bool = False  # declared with one: matched either way, documented with it

    @property
    def is_static(self) -> bool:
        return not self.params

    @property
    def key(self) -> str:
        """The template with parameter names erased: two templates with one key clash."""
        parts = []
        for segment in self.segments:
            if segment.literal is not None:
                parts.append(segment.literal)
            elif segment.pattern is not None:
                parts.append(f"<{segment.pattern}>")
            else:
                parts.append("{:path}" if segment.params[0].is_path else "{}")
        return "/" + "/".join(parts)


def parse_path(path: str) -> PathTemplate:
    """Parse a path template in OpenAPI (`{id}`) or Litestar (`{id:int}`) form."""
    segments: list[Segment] = []
    params: list[PathParam] = []
    raw_segments = [s for s in path.split("/") if s]
    for index, raw in enumerate(raw_segments):
        matches = list(_PARAM_RE.finditer(raw))
        if not matches:
            if "{" in raw or "}" in raw:
                raise ImproperlyConfiguredException(f"path {path!r}: malformed segment {raw!r}")
            segments.append(Segment(literal=raw))
            continue
        found: list[PathParam] = []
        for match in matches:
            name, type_name = match.group(1).strip(), match.group(2)
            type_name = type_name.strip() if type_name is not None else None
            if not name:
                raise ImproperlyConfiguredException(f"path {path!r}: a parameter has no name")
            if type_name is not None and type_name not in PATH_PARAM_TYPES:
                raise ImproperlyConfiguredException(
                    f"path {path!r}: unknown path parameter type {type_name!r} for {name!r} "
                    f"(known: {', '.join(PATH_PARAM_TYPES)})"
                )
            is_path = type_name == "path"
            if is_path and (
                index != len(raw_segments) - 1 or len(matches) > 1 or match.group(0) != raw
            ):
                raise ImproperlyConfiguredException(
                    f"path {path!r}: a ':path' parameter must be the whole last segment"
                )
            found.append(PathParam(name=name, type_name=type_name, is_path=is_path))
        if len(matches) == 1 and matches[0].group(0) == raw:
            segments.append(Segment(params=tuple(found)))
        else:
            pattern, last = [], 0
            for match in matches:
                pattern.append(re.escape(raw[last : match.start()]))
                pattern.append("(.+?)")
                last = match.end()
            pattern.append(re.escape(raw[last:]))
            segments.append(Segment(params=tuple(found), pattern="".join(pattern)))
        params.extend(found)
    names = [p.name for p in params]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ImproperlyConfiguredException(f"path {path!r}: duplicate parameter(s) {duplicates}")
    normalized = "/" + "/".join(raw_segments)
    trailing = path.endswith("/") and bool(raw_segments)
    return PathTemplate(
        path=normalized, segments=tuple(segments), params=tuple(params), trailing_slash=trailing
    )


@dataclass
class RouteNode:
    """A node of the segment tree."""

    static: dict[str, RouteNode] = field(default_factory=dict)
    param: RouteNode | None = None
    patterns: list[tuple[re.Pattern[str], RouteNode]] = field(default_factory=list)
    rest: Any = None  # the route of a trailing ':path' parameter
    route: Any = None  # the route ending at this node


class RouteTable:
    """Maps request paths to route objects (one per distinct path template key)."""

    def __init__(self) -> None:
        self.static: dict[str, Any] = {}
        self.root = RouteNode()
        self._routes: dict[str, Any] = {}

    def get_or_add(self, template: PathTemplate, factory: Any) -> Any:
        """The route stored for this template's key, created with `factory()` on first use."""
        existing = self._routes.get(template.key)
        if existing is not None:
            return existing
        route = factory()
        self._routes[template.key] = route
        if template.is_static:
            self.static[template.path] = route
            return route
        node = self.root
        for segment in template.segments:
            if segment.literal is not None:
                node = node.static.setdefault(segment.literal, RouteNode())
            elif segment.pattern is not None:
                for compiled, child in node.patterns:
                    if compiled.pattern == segment.pattern:
                        node = child
                        break
                else:
                    child = RouteNode()
                    node.patterns.append((re.compile(segment.pattern), child))
                    node = child
            elif segment.params[0].is_path:
                node.rest = route
                return route
            else:
                if node.param is None:
                    node.param = RouteNode()
                node = node.param
        node.route = route
        return route

    def routes(self) -> list[Any]:
        return list(self._routes.values())

    def match(self, path: str) -> tuple[Any, list[str]] | None:
        """The route for `path` and its raw parameter values in template order, or None."""
        if len(path) > 1 and path[-1] == "/":
            path = path.rstrip("/") or "/"
        route = self.static.get(path)
        if route is not None:
            return route, []
        segments = path.split("/")[1:]
        captures: list[str] = []
        found = _match(self.root, segments, 0, captures)
        if found is None:
            return None
        return found, captures


def _match(node: RouteNode, segments: list[str], index: int, captures: list[str]) -> Any:
    if index == len(segments):
        return node.route
    segment = segments[index]
    child = node.static.get(segment)
    if child is not None:
        found = _match(child, segments, index + 1, captures)
        if found is not None:
            return found
    # a mixed segment such as `{name}.json` is more specific than a bare `{param}`: tried first
    for compiled, pattern_child in node.patterns:
        matched = compiled.fullmatch(segment)
        if matched is not None:
            depth = len(captures)
            captures.extend(matched.groups())
            found = _match(pattern_child, segments, index + 1, captures)
            if found is not None:
                return found
            del captures[depth:]
    if node.param is not None and segment:
        captures.append(segment)
        found = _match(node.param, segments, index + 1, captures)
        if found is not None:
            return found
        captures.pop()
    if node.rest is not None and segment:
        captures.append("/".join(segments[index:]))
        return node.rest
    return None
