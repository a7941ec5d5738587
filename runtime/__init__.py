"""specloom.runtime: a small, fast ASGI framework whose API follows Litestar's."""

from .app import App
from .controller import Controller
from .enums import HttpMethod, MediaType
from .handlers import NO_OPERATION_ID, HTTPRouteHandler, delete, get, head, patch, post, put, route
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
