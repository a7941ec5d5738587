"""The HTTP request: created only for handlers, hooks and guards that ask for it."""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import parse_qsl

import msgspec

from .datastructures import URL, Accept, Headers, ImmutableMultiDict
from .exceptions import ClientException, RequestEntityTooLarge
from .types import Receive, Scope

if TYPE_CHECKING:
    from .app import App
    from .handlers import HTTPRouteHandler

__all__ = ["DEFAULT_MAX_BODY_SIZE", "Request", "parse_cookie_header", "read_body"]

DEFAULT_MAX_BODY_SIZE = 10 * 1024 * 1024

UserT = TypeVar("UserT")
AuthT = TypeVar("AuthT")


def parse_cookie_header(value: str) -> dict[str, str]:
    """Parse a `Cookie` request header into a dict; malformed pairs are skipped."""
    cookies: dict[str, str] = {}
    for chunk in value.split(";"):
        name, sep, val = chunk.partition("=")
        name = name.strip()
        if not sep or not name:
            continue
        val = val.strip()
        if len(val) >= 2 and val[0] == val[-1] == '"':
            try:
                parsed: SimpleCookie = SimpleCookie(f"x={val}")
                val = parsed["x"].value
            except Exception:
                val = val[1:-1]
        cookies[name] = val
    return cookies


async def read_body(scope: Scope, receive: Receive, max_size: int | None) -> bytes:
    """Read the whole request body, refusing it (413) as soon as it exceeds `max_size`."""
    if max_size is not None:
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    raise ClientException("Invalid content-length header") from None
                if declared > max_size:
                    raise RequestEntityTooLarge(
                        f"Request body is {declared} bytes; the limit is {max_size}"
                    )
                break
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientException("Client disconnected before the body was received")
        chunk = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if max_size is not None and size > max_size:
                raise RequestEntityTooLarge(f"Request body exceeds the limit of {max_size} bytes")
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


class Request(Generic[UserT, AuthT]):
    """An HTTP request; every attribute is computed on first use."""

    __slots__ = (
        "_accept",
        "_body",
        "_cookies",
        "_headers",
        "_query",
        "_url",
        "max_body_size",
        "receive",
        "scope",
    )

    def __init__(
        self, scope: Scope, receive: Receive, max_body_size: int | None = DEFAULT_MAX_BODY_SIZE
    ) -> None:
        self.scope = scope
        self.receive = receive
        self.max_body_size = max_body_size
        self._headers: Headers | None = None
        self._cookies: dict[str, str] | None = None
        self._query: ImmutableMultiDict[str] | None = None
        self._url: URL | None = None
        self._accept: Accept | None = None
        self._body: bytes | None = None

    @property
    def app(self) -> App:
        app: App = self.scope["app"]
        return app

    @property
    def route_handler(self) -> HTTPRouteHandler:
        handler: HTTPRouteHandler = self.scope["route_handler"]
        return handler

    @property
    def method(self) -> str:
        method: str = self.scope["method"]
        return method

    @property
    def url(self) -> URL:
        if self._url is None:
            self._url = URL.from_scope(self.scope)
        return self._url

    @property
    def path(self) -> str:
        path: str = self.scope["path"]
        return path

    @property
    def path_params(self) -> dict[str, Any]:
        params: dict[str, Any] = self.scope.setdefault("path_params", {})
        return params

    @property
    def query_params(self) -> ImmutableMultiDict[str]:
        if self._query is None:
            raw = self.scope.get("query_string", b"").decode("latin-1")
            self._query = ImmutableMultiDict(parse_qsl(raw, keep_blank_values=True))
        return self._query

    @property
    def headers(self) -> Headers:
        if self._headers is None:
            self._headers = Headers(self.scope["headers"])
        return self._headers

    @property
    def cookies(self) -> dict[str, str]:
        if self._cookies is None:
            header = self.headers.get("cookie")
            self._cookies = parse_cookie_header(header) if header else {}
        return self._cookies

    @property
    def accept(self) -> Accept:
        if self._accept is None:
            self._accept = Accept(self.headers.get("accept", "*/*"))
        return self._accept

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").partition(";")[0].strip().lower()

    @property
    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = self.scope.setdefault("state", {})
        return state

    @property
    def client(self) -> tuple[str, int] | None:
        client: tuple[str, int] | None = self.scope.get("client")
        return client

    @property
    def user(self) -> UserT:
        user: UserT = self.scope.get("user")  # type: ignore[assignment]
        return user

    @property
    def auth(self) -> AuthT:
        auth: AuthT = self.scope.get("auth")  # type: ignore[assignment]
        return auth

    async def body(self) -> bytes:
        """The raw body (read once, then cached), limited to `max_body_size` bytes."""
        if self._body is None:
            cached = self.scope.get("_body")
            if cached is None:
                cached = await read_body(self.scope, self.receive, self.max_body_size)
                self.scope["_body"] = cached
            self._body = cached
        return self._body

    async def json(self) -> Any:
        """The body decoded as JSON (400 when it is not valid JSON)."""
        body = await self.body()
        try:
            return msgspec.json.decode(body) if body else None
        except msgspec.DecodeError as exc:
            raise ClientException(f"Malformed JSON body: {exc}") from None

    async def msgpack(self) -> Any:
        """The body decoded as MessagePack (400 when it is not valid MessagePack)."""
        body = await self.body()
        try:
            return msgspec.msgpack.decode(body) if body else None
        except (msgspec.DecodeError, UnicodeDecodeError) as exc:
            raise ClientException(f"Malformed MessagePack body: {exc}") from None
