"""Responses: the `Response` class and the response containers."""

from .base import ASGIResponse, Response, ResponsePlan
from .file import File
from .redirect import Redirect
from .sse import ServerSentEvent, ServerSentEventMessage
from .streaming import Stream
from .template import Template

__all__ = [
    "ASGIResponse",
    "File",
    "Redirect",
    "Response",
    "ResponsePlan",
    "ServerSentEvent",
    "ServerSentEventMessage",
    "Stream",
    "Template",
]
