"""`PathRoute`: every handler of one path template by HTTP method, with the answers to HEAD and
OPTIONS derived from them, and the choice between handlers told apart by their paths' queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .compile import CompiledHandler
from .exceptions import ImproperlyConfiguredException
from .kwargs import parse_query
from .types import Message, Receive, Scope, Send

__all__ = ["OptionsHandler", "PathRoute", "QueryChoice"]


class PathRoute:
    """Every handler registered for one path template, by HTTP method."""

    __slots__ = ("allow", "handlers", "template")

    def __init__(self, template: Any) -> None:
        self.template = template
        self.handlers: dict[str, Any] = {}
        self.allow = ""

    def finalize(self) -> None:
        methods = set(self.handlers)
        if "HEAD" in methods:  # an explicit HEAD handler never sends a body either
            self.handlers["HEAD"] = _HeadHandler(self.handlers["HEAD"])
        elif "GET" in methods:
            self.handlers["HEAD"] = _HeadHandler(self.handlers["GET"])
            methods.add("HEAD")
        methods.add("OPTIONS")
        self.allow = ", ".join(sorted(methods))
        if "OPTIONS" not in self.handlers:
            self.handlers["OPTIONS"] = OptionsHandler(self.allow)


class _HeadHandler:
    """Answers HEAD with the GET handler's status and headers and no body."""

    __slots__ = ("get",)

    def __init__(self, get: CompiledHandler) -> None:
        self.get = get

    async def __call__(
        self, scope: Scope, receive: Receive, send: Send, captures: list[str]
    ) -> None:
        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.get(scope, receive, send_without_body, captures)


class QueryChoice:
    """Several handlers of one method and path told apart by the query their paths ask for
    (`POST /templates?desc=html`); the one asking most that the request satisfies answers."""

    __slots__ = ("choices", "not_found")

    def __init__(self, not_found: Callable[[Scope, Receive, Send], Any]) -> None:
        self.choices: list[tuple[tuple[tuple[str, str | None], ...], CompiledHandler]] = []
        self.not_found = not_found

    def add(self, compiled: CompiledHandler, method: str) -> None:
        """Add a handler; two that ask for the same query are one route twice."""
        conditions = compiled.template.conditions
        for other, existing in self.choices:
            if other == conditions:
                raise ImproperlyConfiguredException(
                    f"duplicate route: {method} {compiled.template.path} is handled by both "
                    f"{existing.handler.handler_name} and {compiled.handler.handler_name}"
                )
        self.choices.append((conditions, compiled))
        self.choices.sort(key=lambda choice: -len(choice[0]))  # the most specific first

    async def __call__(
        self, scope: Scope, receive: Receive, send: Send, captures: list[str]
    ) -> None:
        raw = scope.get("query_string", b"")
        query = parse_query(raw) if raw else {}
        for conditions, compiled in self.choices:
            if all(
                key in query and (value is None or value in query[key]) for key, value in conditions
            ):
                await compiled(scope, receive, send, captures)
                return
        await self.not_found(scope, receive, send)


class OptionsHandler:
    """Answers OPTIONS with 204 and the `allow` header."""

    __slots__ = ("headers",)

    def __init__(self, allow: str) -> None:
        self.headers = [(b"allow", allow.encode("latin-1"))]

    async def __call__(
        self, scope: Scope, receive: Receive, send: Send, captures: list[str]
    ) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": self.headers})
        await send({"type": "http.response.body", "body": b""})
