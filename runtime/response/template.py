"""`Template`: a response rendered by the app's template engine when it is sent."""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from types import UnionType
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

from ..enums import MediaType
from ..exceptions import ImproperlyConfiguredException
from ..request import Request
from ..signature import unwrap_annotated
from ..types import Receive, Scope, Send
from .base import ASGIResponse, Response, ResponsePlan, content_type_value
from .file import declared_media_type

if TYPE_CHECKING:
    from ..background_tasks import BackgroundTask, BackgroundTasks
    from ..datastructures import Cookie
    from ..template import TemplateEngineProtocol

__all__ = ["Template", "TemplateASGIResponse", "handler_returns_template"]


def handler_returns_template(annotation: Any) -> bool:
    """Whether a return annotation is (or includes, in a union) a `Template` response."""
    base, _ = unwrap_annotated(annotation)
    if isinstance(base, type):
        return issubclass(base, Template)
    origin = get_origin(base)
    if isinstance(origin, type) and issubclass(origin, Template):
        return True
    if origin is Union or origin is UnionType:
        return any(handler_returns_template(arg) for arg in get_args(base))
    return False


def _media_type_from_name(template_name: str) -> str | None:
    """From the first suffix mimetypes knows: `page.html.j2` is `text/html`."""
    for suffix in PurePosixPath(template_name).suffixes:
        guessed, _ = mimetypes.guess_type(f"name{suffix}", strict=False)
        if guessed is not None:
            return guessed
    return None


def _engine_of(scope: Scope) -> TemplateEngineProtocol:
    config = getattr(scope.get("app"), "template_config", None)
    if config is None:
        raise ImproperlyConfiguredException(
            "A Template response needs App(template_config=TemplateConfig(...))"
        )
    engine: TemplateEngineProtocol = config.to_engine()
    return engine


class TemplateASGIResponse(ASGIResponse):
    """Renders the template with the request's app engine, then sends it like any response."""

    __slots__ = ("response",)

    def __init__(self, response: Template, status_code: int, headers: list[tuple[bytes, bytes]]):
        super().__init__(status_code, headers, b"", response.background)
        self.response = response

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = self.response.render_with(_engine_of(scope), scope, receive)
        headers = [*self.headers, (b"content-length", str(len(body)).encode())]
        await ASGIResponse(self.status_code, headers, body, self.background)(scope, receive, send)


class Template(Response[bytes]):
    """A template by name or from a string; its context also gets `request`. Media type: own,
    else the decorator's, else from the name's suffix, else text/html."""

    default_media_type = MediaType.HTML.value

    def __init__(
        self,
        template_name: str | None = None,
        *,
        template_str: str | None = None,
        context: Mapping[str, Any] | None = None,
        status_code: int | None = None,
        media_type: MediaType | str | None = None,
        headers: Mapping[str, str] | None = None,
        cookies: Sequence[Cookie] | None = None,
        background: BackgroundTask | BackgroundTasks | None = None,
        encoding: str = "utf-8",
    ) -> None:
        if (template_name is None) == (template_str is None):
            raise ImproperlyConfiguredException(
                "Template needs exactly one of template_name and template_str"
            )
        super().__init__(
            b"",
            status_code=status_code,
            media_type=media_type,
            background=background,
            headers=headers,
            cookies=cookies,
            encoding=encoding,
        )
        self.template_name = template_name
        self.template_str = template_str
        self.context: dict[str, Any] = dict(context) if context else {}

    def media_type_for(self, plan: ResponsePlan) -> str:
        if self.media_type is not None:
            return str(self.media_type)
        declared = declared_media_type(plan)
        if declared is not None:
            return declared
        guessed = _media_type_from_name(self.template_name) if self.template_name else None
        return guessed or MediaType.HTML.value

    def render_with(self, engine: TemplateEngineProtocol, scope: Scope, receive: Receive) -> bytes:
        """The rendered body; the context gets `request` unless it already has one."""
        context = self.context
        if "request" not in context:
            context = {**context, "request": Request(scope, receive)}
        if self.template_str is not None:
            text = engine.render_string(self.template_str, context)
        else:
            assert self.template_name is not None
            text = engine.get_template(self.template_name).render(**context)
        return text.encode(self.encoding)

    def to_asgi_response(self, plan: ResponsePlan) -> TemplateASGIResponse:
        status = self.status_code if self.status_code is not None else plan.status_code
        content_type = content_type_value(self.media_type_for(plan), self.encoding)
        headers = [
            pair
            for pair in self.encoded_headers(plan, (("content-type", content_type),))
            if pair[0] != b"content-length"
        ]
        return TemplateASGIResponse(self, status, headers)
