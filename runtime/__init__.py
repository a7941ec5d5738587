"""specloom.runtime: a small, fast ASGI framework whose API follows Litestar's.

The names below load with the first use of one of them (PEP 562): the generator reads a path
with `specloom.runtime.routing` alone, and importing the whole framework for it (the app, the
OpenAPI document, the mock responses) cost ~0.2 s CPU of a generation run.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import App
    from .controller import Controller
    from .enums import HttpMethod, MediaType
    from .handlers import (
        NO_OPERATION_ID,
        HTTPRouteHandler,
        delete,
        get,
        head,
        patch,
        post,
        put,
        route,
    )
    from .request import Request
    from .response import Response
    from .router import Router

__all__ = [
    "NO_OPERATION_ID",
    "App",
    "Controller",
    "HTTPRouteHandler",
    "HttpMethod",
    "MediaType",
    "Request",
    "Response",
    "Router",
    "delete",
    "get",
    "head",
    "patch",
    "post",
    "put",
    "route",
]

# each public name, by the submodule that defines it
_SOURCES = {
    "App": "app",
    "Controller": "controller",
    "HttpMethod": "enums",
    "MediaType": "enums",
    "NO_OPERATION_ID": "handlers",
    "HTTPRouteHandler": "handlers",
    "delete": "handlers",
    "get": "handlers",
    "head": "handlers",
    "patch": "handlers",
    "post": "handlers",
    "put": "handlers",
    "route": "handlers",
    "Request": "request",
    "Response": "response",
    "Router": "router",
}


def __getattr__(name: str) -> Any:
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{source}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
