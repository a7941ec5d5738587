"""`Response` (what handlers return) and `ASGIResponse` (what is sent), joined by a plan."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from ..datastructures import Cookie
from ..enums import MediaType
from ..serialization import TypeEncodersMap, get_json_encoder, get_msgpack_encoder
from ..types import Receive, Scope, Send

if TYPE_CHECKING:
    from ..background_tasks import BackgroundTask, BackgroundTasks

__all__ = [
    "ASGIResponse",
    "Response",
    "ResponsePlan",
    "body_allowed",
    "content_type_value",
    "get_encoder_for",
]

T = TypeVar("T")
Encoder = Callable[[Any], bytes]


def body_allowed(status_code: int) -> bool:
    """Whether a response with this status may carry a body (RFC 9110 section 6.4.1)."""
    return status_code >= 200 and status_code not in (204, 304)


def is_json_media_type(media_type: str) -> bool:
    base = media_type.partition(";")[0].strip().lower()
    return base == MediaType.JSON or base.endswith("+json")


def is_msgpack_media_type(media_type: str) -> bool:
    base = media_type.partition(";")[0].strip().lower()
    return base in (MediaType.MESSAGEPACK, "application/msgpack", "application/vnd.msgpack")


def content_type_value(media_type: str, encoding: str = "utf-8") -> str:
    """The `content-type` header for a media type: `text/*` gets a charset unless it has one."""
    if media_type.startswith("text/") and "charset" not in media_type:
        return f"{media_type}; charset={encoding}"
    return media_type


def get_encoder_for(
    media_type: str, type_encoders: TypeEncodersMap | None, encoding: str = "utf-8"
) -> Encoder:
    """The function that turns content into body bytes for a media type."""
    if is_json_media_type(media_type):
        json_encoder = get_json_encoder(type_encoders)

        def encode_json_content(content: Any) -> bytes:
            if isinstance(content, bytes):
                return content
            return json_encoder.encode(content)

        return encode_json_content
    if is_msgpack_media_type(media_type):
        msgpack_encoder = get_msgpack_encoder(type_encoders)

        def encode_msgpack_content(content: Any) -> bytes:
            if isinstance(content, bytes):
                return content
            return msgpack_encoder.encode(content)

        return encode_msgpack_content
    fallback = get_json_encoder(type_encoders)

    def encode_other(content: Any) -> bytes:
        if isinstance(content, bytes):
            return content
        if isinstance(content, str):
            return content.encode(encoding)
        if content is None:
            return b""
        # Numbers and containers under a non-JSON media type: their JSON text is the honest form.
        return fallback.encode(content)

    return encode_other


@dataclass(frozen=True)
class ResponsePlan:
    """Everything about a handler's responses that is decided at start-up."""

    status_code: int
    media_type: str
    encode: Encoder
    headers: tuple[tuple[str, str], ...] = ()
    cookies: tuple[Cookie, ...] = ()
    type_encoders: TypeEncodersMap | None = None
    media_type_explicit: bool = False  # set on the decorator, rather than a default
    raw_headers: tuple[tuple[bytes, bytes], ...] = field(init=False)
    content_type: bytes = field(init=False)

    def __post_init__(self) -> None:
        raw = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in self.headers]
        raw.extend(cookie.to_encoded_header() for cookie in self.cookies)
        object.__setattr__(self, "raw_headers", tuple(raw))
        object.__setattr__(
            self, "content_type", content_type_value(self.media_type).encode("latin-1")
        )

    def encoder_for(self, media_type: str, encoding: str = "utf-8") -> Encoder:
        if media_type == self.media_type and encoding == "utf-8":
            return self.encode
        return get_encoder_for(media_type, self.type_encoders, encoding)


async def run_background(task: BackgroundTask | BackgroundTasks) -> None:
    """Run background work after the response; a failure is logged, never sent to the client."""
    try:
        await task()
    except Exception:
        logging.getLogger("specloom.runtime").exception("Background task failed")


class ASGIResponse:
    """A fully rendered response: status, raw headers and body, sent as two ASGI messages."""

    __slots__ = ("background", "body", "headers", "status_code")

    def __init__(
        self,
        status_code: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes = b"",
        background: BackgroundTask | BackgroundTasks | None = None,
    ) -> None:
        self.status_code = status_code
        self.headers = headers
        self.body = body
        self.background = background

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.headers}
        )
        await send({"type": "http.response.body", "body": self.body, "more_body": False})
        if self.background is not None:
            await run_background(self.background)


def merge_headers(
    layered: Iterable[tuple[str, str]], own: Mapping[str, str] | Iterable[tuple[str, str]]
) -> dict[str, str]:
    """Layered headers overridden by a response's own, names compared case-insensitively."""
    merged = {name.lower(): value for name, value in layered}
    pairs = own.items() if isinstance(own, Mapping) else own
    for name, value in pairs:
        merged[name.lower()] = value
    return merged


def merge_cookies(layered: Iterable[Cookie], own: Iterable[Cookie]) -> list[Cookie]:
    """Layered cookies overridden by a response's own cookies with the same key."""
    merged = {cookie.key: cookie for cookie in layered}
    for cookie in own:
        merged[cookie.key] = cookie
    return [cookie for cookie in merged.values() if not cookie.documentation_only]


class Response(Generic[T]):
    """A response a handler returns when it needs more than a value: status, headers, cookies."""

    type_encoders: ClassVar[TypeEncodersMap | None] = None

    def __init__(
        self,
        content: T,
        *,
        status_code: int | None = None,
        media_type: MediaType | str | None = None,
        background: BackgroundTask | BackgroundTasks | None = None,
        headers: Mapping[str, str] | None = None,
        cookies: Sequence[Cookie] | None = None,
        encoding: str = "utf-8",
        type_encoders: TypeEncodersMap | None = None,
    ) -> None:
        self.content = content
        self.status_code = status_code
        self.media_type = media_type
        self.background = background
        self.headers: dict[str, str] = dict(headers) if headers else {}
        self.cookies: list[Cookie] = list(cookies) if cookies else []
        self.encoding = encoding
        self.response_type_encoders = (
            {**(self.type_encoders or {}), **type_encoders} if type_encoders else None
        )

    def set_header(self, key: str, value: str) -> None:
        self.headers[key] = value

    def set_cookie(self, key: str | Cookie, value: str | None = None, **kwargs: Any) -> None:
        cookie = key if isinstance(key, Cookie) else Cookie(key=key, value=value, **kwargs)
        self.cookies = [c for c in self.cookies if c.key != cookie.key] + [cookie]

    def delete_cookie(self, key: str, path: str = "/", domain: str | None = None) -> None:
        self.set_cookie(Cookie(key=key, value="", path=path, domain=domain, max_age=0))

    def render(self, content: Any, media_type: str, plan: ResponsePlan) -> bytes:
        """Encode the content for the media type (with this response's type encoders)."""
        if self.response_type_encoders:
            return get_encoder_for(media_type, self.response_type_encoders, self.encoding)(content)
        return plan.encoder_for(media_type, self.encoding)(content)

    def resolve(self, plan: ResponsePlan) -> tuple[int, str]:
        """This response's status code and media type, falling back on the handler's."""
        status = self.status_code if self.status_code is not None else plan.status_code
        media_type = str(self.media_type) if self.media_type is not None else plan.media_type
        return status, media_type

    def encoded_headers(
        self, plan: ResponsePlan, extra: Iterable[tuple[str, str]] = ()
    ) -> list[tuple[bytes, bytes]]:
        """Layered and own headers (own win), then `extra`, then cookies, as raw ASGI pairs."""
        merged = merge_headers(plan.headers, self.headers)
        for name, value in extra:
            merged.setdefault(name, value)
        raw = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in merged.items()]
        raw.extend(c.to_encoded_header() for c in merge_cookies(plan.cookies, self.cookies))
        return raw

    def to_asgi_response(self, plan: ResponsePlan) -> ASGIResponse:
        """Render into an `ASGIResponse` using the handler's plan for anything not set here."""
        status, media_type = self.resolve(plan)
        if not body_allowed(status):
            return ASGIResponse(status, self.encoded_headers(plan), b"", self.background)
        if self.content is None:  # no content: an empty body and no content-type
            headers = self.encoded_headers(plan, (("content-length", "0"),))
            return ASGIResponse(status, headers, b"", self.background)
        body = self.render(self.content, media_type, plan)
        content_type = self.headers.get("content-type") or content_type_value(
            media_type, self.encoding
        )
        headers = self.encoded_headers(
            plan, (("content-type", content_type), ("content-length", str(len(body))))
        )
        return ASGIResponse(status, headers, body, self.background)
