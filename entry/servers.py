"""The base path of an API's servers: where its routes are mounted, what its paths are relative to.

OpenAPI appends a path key to the URL of a Server Object (`https://host/api/v3` and `/pet`
give `https://host/api/v3/pet`), so a server URL with a path mounts every route under that
path. The base path is the path of the servers' URLs, their variables set to their defaults;
it exists only where every server says the same one (`/api/v3`), never for no server or for
servers that name different paths.

Both halves read it: the runtime, which documents routes relative to it, and the generator,
which mounts them under it. It lives beside them, not in `specloom.runtime`, so that the
generator reads it without importing the whole runtime (a tenth of a second of every run).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

__all__ = ["base_path", "relative_path", "server_paths"]

_VARIABLE = re.compile(r"\{([^{}]*)\}")


def _server_path(server: Mapping[str, Any]) -> str | None:
    url = server.get("url")
    if not isinstance(url, str):
        return None
    variables = server.get("variables")
    variables = variables if isinstance(variables, Mapping) else {}

    def default(match: re.Match[str]) -> str:
        variable = variables.get(match.group(1))
        value = variable.get("default") if isinstance(variable, Mapping) else None
        return str(value) if value is not None else match.group(0)

    url = _VARIABLE.sub(default, url)
    _, authority, rest = url.partition("://")
    if authority:  # absolute: the path starts after the host (a variable may name the scheme)
        url = rest[rest.index("/") :] if "/" in rest else ""
    try:
        path = urlsplit(url).path
    except ValueError:  # not a URL at all (an unbalanced IPv6 bracket...)
        return None
    path = "/" + path.strip("/")
    return "" if path == "/" else path


def server_paths(servers: Sequence[Mapping[str, Any]] | None) -> list[str]:
    """The path of each server's URL (`""` for none), in order; unreadable URLs left out."""
    found = (_server_path(server) for server in servers or ())
    return [path for path in found if path is not None]


def base_path(servers: Sequence[Mapping[str, Any]] | None) -> str:
    """The path every server's URL has (`/api/v3`), or `""` (none, or servers that differ)."""
    paths = set(server_paths(servers))
    return paths.pop() if len(paths) == 1 else ""


def relative_path(path: str, base: str) -> str:
    """`path` of a route as documented under a server whose URL ends in `base`: `/api/v3/pet`
    is `/pet`, `/api/v3` is `/`; a path not under `base` is its own."""
    if not base or not path.startswith(base):
        return path
    rest = path[len(base) :]
    if not rest or rest[0] in "?#":  # the base itself, with a query or fragment key maybe
        return "/" + rest
    return rest if rest[0] == "/" else path  # `/api/v3x` is not under `/api/v3`
