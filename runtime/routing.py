"""Path templates and the route table: static paths in a dict, parameterised ones in a segment tree.

Lookup never scans the list of routes: a static path is one dict lookup, a parameterised path
walks one tree node per segment, so its cost depends on the path's depth, not the route count.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable
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
_NAME_RE = re.compile(r"\{([^{}]*)\}")  # OpenAPI's form: everything between braces is the name
_IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-.\[\]]*$")


@dataclass(frozen=True)
class PathParam:
    """A parameter of a path template: its name, its declared type and whether it takes the rest.

    `query` names the query parameter that carries it (`/pic?key={api_key}`); `unsent` marks one
    in the fragment (`/a#{b}`), which no request carries.
    """

    name: str
    type_name: str | None
    is_path: bool = False
    query: str | None = None
    unsent: bool = False

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
    params: tuple[PathParam, ...]  # the captured ones first, in path order
    trailing_slash: bool = False  # declared with one: matched either way, documented with it
    suffix: str = ""  # a query string or fragment as written: documented as the path
    typed: bool = True  # False: `{...}` holds a name only, colons included (OpenAPI's form)
    # what a query string asks of a request: (name, the literal value or None for any value)
    conditions: tuple[tuple[str, str | None], ...] = ()

    @property
    def captured(self) -> tuple[PathParam, ...]:
        """The parameters the request path itself carries, in path order."""
        return tuple(p for p in self.params if p.query is None and not p.unsent)

    @property
    def is_static(self) -> bool:
        return not self.captured

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


def split_suffix(path: str) -> tuple[str, str, str]:
    """`path` cut where a query string (`?`) or a fragment (`#`) starts outside braces:
    (the request path, the query, the fragment)."""
    depth = 0
    for index, char in enumerate(path):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char in "?#" and depth == 0:
            rest = path[index + 1 :]
            if char == "#":
                return path[:index], "", rest
            query, _, fragment = rest.partition("#")
            return path[:index], query, fragment
    return path, "", ""


def parse_path(path: str, *, typed: bool = True) -> PathTemplate:
    """Parse a path template in OpenAPI (`{id}`) or Litestar (`{id:int}`) form.

    `typed=False` reads every `{...}` as a name, so names with colons keep them. A query string
    binds parameters to query parameters (`?key={api_key}`); parameters of a fragment are
    unsent. An empty segment (`//x`) is a segment, as OpenAPI reads the path.
    """
    request_path, query, fragment = split_suffix(path)
    raw_segments = request_path.removeprefix("/").split("/") if request_path else []
    trailing = len(raw_segments) > 1 and raw_segments[-1] == ""
    if raw_segments and raw_segments[-1] == "":
        raw_segments.pop()  # `/a/` is `/a` declared with a trailing slash; `/` has no segment
    segments: list[Segment] = []
    params: list[PathParam] = []
    for index, raw in enumerate(raw_segments):
        last = index == len(raw_segments) - 1
        segment = _segment(path, raw, typed=typed, last=last)
        segments.append(segment)
        params.extend(segment.params)
    params += _query_params(path, query, typed) + _fragment_params(path, fragment, typed)
    names = [p.name for p in params]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ImproperlyConfiguredException(f"path {path!r}: duplicate parameter(s) {duplicates}")
    suffix = path[len(request_path) :]
    conditions = query_conditions(query)
    return PathTemplate(
        path="/" + "/".join(raw_segments),
        segments=tuple(segments),
        params=tuple(params),
        trailing_slash=trailing,
        suffix=suffix,
        typed=typed,
        conditions=conditions,
    )


def _placeholders(path: str, raw: str, typed: bool) -> list[tuple[re.Match[str], PathParam]]:
    """The `{...}` of one piece of `path` with the parameter each declares."""
    found = []
    for match in (_PARAM_RE if typed else _NAME_RE).finditer(raw):
        name = match.group(1).strip()
        type_name = match.group(2) if typed else None
        type_name = type_name.strip() if type_name is not None else None
        if not name:
            raise ImproperlyConfiguredException(f"path {path!r}: a parameter has no name")
        if type_name is not None and type_name not in PATH_PARAM_TYPES:
            raise ImproperlyConfiguredException(
                f"path {path!r}: unknown path parameter type {type_name!r} for {name!r} "
                f"(known: {', '.join(PATH_PARAM_TYPES)})"
            )
        is_path = type_name == "path"
        found.append((match, PathParam(name=name, type_name=type_name, is_path=is_path)))
    return found


def _segment(path: str, raw: str, *, typed: bool, last: bool) -> Segment:
    matches = _placeholders(path, raw, typed)
    if not matches:
        if "{" in raw or "}" in raw:
            raise ImproperlyConfiguredException(f"path {path!r}: malformed segment {raw!r}")
        return Segment(literal=raw)
    whole = len(matches) == 1 and matches[0][0].group(0) == raw
    if any(param.is_path for _, param in matches) and not (last and whole):
        raise ImproperlyConfiguredException(
            f"path {path!r}: a ':path' parameter must be the whole last segment"
        )
    found = tuple(param for _, param in matches)
    if whole:
        return Segment(params=found)
    pattern, end = [], 0
    for match, _ in matches:
        pattern.append(re.escape(raw[end : match.start()]))
        pattern.append("(.+?)")
        end = match.end()
    pattern.append(re.escape(raw[end:]))
    return Segment(params=found, pattern="".join(pattern))


def _query_params(path: str, query: str, typed: bool) -> list[PathParam]:
    """Parameters a query string binds: `key={api_key}` reads `api_key` from the query `key`.

    A pair with a literal value documents the request only; it is not matched. A parameter
    that is not a pair's whole value cannot be read: it is unsent, like a fragment's.
    """
    found = []
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        matches = _placeholders(path, value, typed)
        if key and len(matches) == 1 and matches[0][0].group(0) == value:
            param = matches[0][1]
            found.append(PathParam(param.name, param.type_name, query=key))
        else:
            found += [
                PathParam(param.name, param.type_name, unsent=True)
                for _, param in _placeholders(path, pair, typed)
            ]
    return found


def query_conditions(query: str) -> tuple[tuple[str, str | None], ...]:
    """What a path's query string asks of a request, sorted: `v=2` that `v` is `2`,
    `key={api_key}` (or a bare `key`) that `key` is there. Used to tell apart operations of
    one method and path (`POST /templates?desc=html`, `POST /templates?desc=upload`)."""
    found: set[tuple[str, str | None]] = set()
    for pair in query.split("&"):
        key, equals, value = pair.partition("=")
        if not key or "{" in key:
            continue
        whole = _NAME_RE.fullmatch(value) is not None
        if not whole and "{" in value:
            continue  # a placeholder inside a value: nothing a request can be checked for
        found.add((key, None if whole or not equals else value))
    return tuple(sorted(found, key=lambda item: (item[0], item[1] or "")))


def _fragment_params(path: str, fragment: str, typed: bool) -> list[PathParam]:
    """Parameters of a fragment: a client never sends the fragment, so none of them arrives."""
    return [
        PathParam(param.name, param.type_name, unsent=True)
        for _, param in _placeholders(path, fragment, typed)
    ]


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

    def match(
        self, path: str, accepts: Callable[[Any], bool] | None = None
    ) -> tuple[Any, list[str]] | None:
        """The route for `path` and its raw parameter values in template order, or None.

        `accepts` skips routes it refuses, so a request falls through a concrete path that
        lacks its method (`PUT /services/jira`) to a template that has it (`GET /services/{x}`).
        """
        if len(path) > 1 and path[-1] == "/":
            path = path[:-1]  # one trailing slash: `/a/` is `/a`, `/a//` is `/a/`
        route = self.static.get(path)
        if route is not None and (accepts is None or accepts(route)):
            return route, []
        segments = path.split("/")[1:]
        captures: list[str] = []
        found = _match(self.root, segments, 0, captures, accepts or _any)
        if found is None:
            return None
        return found, captures


# `.` and `..` are never a parameter's value: a client removes them from a path (RFC 3986
# 5.2.4), and a handler joining one to a folder would leave it (`File(root / name)`)
_DOT_SEGMENTS = frozenset((".", ".."))


def _any(route: Any) -> bool:
    return True


def _match(
    node: RouteNode,
    segments: list[str],
    index: int,
    captures: list[str],
    accepts: Callable[[Any], bool],
) -> Any:
    if index == len(segments):
        return node.route if node.route is not None and accepts(node.route) else None
    segment = segments[index]
    child = node.static.get(segment)
    if child is not None:
        found = _match(child, segments, index + 1, captures, accepts)
        if found is not None:
            return found
    # a mixed segment such as `{name}.json` is more specific than a bare `{param}`: tried first
    for compiled, pattern_child in node.patterns:
        matched = compiled.fullmatch(segment)
        if matched is not None:
            depth = len(captures)
            captures.extend(matched.groups())
            found = _match(pattern_child, segments, index + 1, captures, accepts)
            if found is not None:
                return found
            del captures[depth:]
    if node.param is not None and segment and segment not in _DOT_SEGMENTS:
        captures.append(segment)
        found = _match(node.param, segments, index + 1, captures, accepts)
        if found is not None:
            return found
        captures.pop()
    if node.rest is not None and segment and accepts(node.rest):
        rest = segments[index:]
        if not _DOT_SEGMENTS.isdisjoint(rest):
            return None
        captures.append("/".join(rest))
        return node.rest
    return None
