"""The servers of a document, and the base path its routes are mounted under."""

from __future__ import annotations

from typing import Any

from specloom.servers import base_path, server_paths

from .errors import Report
from .ir import Server, ServerVariable
from .walk import as_dict, as_list

__all__ = ["base_path_of", "servers_of"]


def base_path_of(raw: Any, report: Report, *, mount: bool) -> str:
    """Where the routes are mounted: the path every server URL has (`/api/v3`), or none
    (`mount` False: the user serves the paths as written)."""
    servers = [server for server in as_list(raw) if isinstance(server, dict)]
    paths = sorted(set(server_paths(servers)))
    if len(paths) > 1:
        report.warn(
            "/servers",
            f"the servers' URLs have different paths ({', '.join(p or '/' for p in paths)}): "
            "routes are served at the paths as written, under none of them",
        )
        return ""
    base = base_path(servers)
    if "{" in base or "}" in base:
        report.warn(
            "/servers",
            f"the servers' URL path {base} has a variable without a default: routes are "
            "served at the paths as written",
        )
        return ""
    return base if mount else ""


def servers_of(raw: Any) -> tuple[Server, ...]:
    """The Server Objects of a `servers` list, as written (unusable entries left out)."""
    found = []
    for server in as_list(raw):
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        written = server.get("variables")
        variables = as_dict(written)
        found.append(
            Server(
                url=server["url"],
                description=_text(server, "description"),
                variables=(
                    tuple(
                        ServerVariable(
                            name=name,
                            default=str(var.get("default", "")),
                            enum=(
                                tuple(str(v) for v in var.get("enum", []) if _scalar(v))
                                if isinstance(var.get("enum"), list)
                                else ()
                            ),
                            description=_text(var, "description"),
                        )
                        for name, var in variables.items()
                        if isinstance(var, dict)
                    )
                    if isinstance(written, dict)
                    else None
                ),
            )
        )
    return tuple(found)


def _text(node: dict[str, Any], key: str) -> str | None:
    value = node.get(key)
    return value if isinstance(value, str) else None


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)
