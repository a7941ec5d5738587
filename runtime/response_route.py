"""The request path of response validation: a `ValidatedRoute` holds what its compiled
handler sends until the response is complete (or turns out to be a stream), has it checked by
its checks (`response_validation.ResponseValidator`), then sends it or the strict mode's 500.

`mark_reached` wraps a handler's function so that the request's `_Call` says whether the
function ran (what the runtime answers before it is not checked) and whether it raised
`NotImplementedError` (a stub not written yet, not checked either).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Protocol

from .types import Message, Receive, Scope, Send

if TYPE_CHECKING:
    from .compile import CompiledHandler

__all__ = ["Checker", "ValidatedRoute", "mark_reached"]


class Checker(Protocol):
    """What a `ValidatedRoute` asks of its checks (`response_validation.ResponseValidator`)."""

    strict: bool

    def documented(self, compiled: CompiledHandler, method: str) -> Any:
        """The operation's documented responses (None: not documented)."""

    def check(
        self,
        documented: Any,
        status: int,
        raw: list[tuple[bytes, bytes]],
        body: bytes | None,
        decoders: Mapping[str, Any] | None,
    ) -> list[Any]:
        """The mismatches of one response."""

    def report(self, documented: Any, status: int, found: list[Any]) -> None:
        """Log the mismatches."""

    def replacement(self, found: list[Any]) -> tuple[list[tuple[bytes, bytes]], bytes]:
        """The strict mode's 500 (headers, body)."""


class _Call:
    """What one request's handler function did (set by the wrapper of `ResponseValidator`)."""

    __slots__ = ("reached", "unwritten")

    def __init__(self) -> None:
        self.reached = False
        self.unwritten = False


_CALL: ContextVar[_Call | None] = ContextVar("specloom_response_validation", default=None)


def mark_reached(compiled: CompiledHandler) -> None:
    """Wrap the handler's function: the request's `_Call` says it ran, or was not written."""
    fn = compiled.fn
    wrapped: Callable[..., Any]
    if compiled.is_async:

        @functools.wraps(fn)
        async def wrapped(*args: Any, **kwargs: Any) -> Any:
            call = _CALL.get()
            if call is not None:
                call.reached = True
            try:
                return await fn(*args, **kwargs)
            except NotImplementedError:
                if call is not None:
                    call.unwritten = True
                raise

    else:

        @functools.wraps(fn)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            call = _CALL.get()
            if call is not None:
                call.reached = True
            try:
                return fn(*args, **kwargs)
            except NotImplementedError:
                if call is not None:
                    call.unwritten = True
                raise

    compiled.fn = wrapped


class _Replaced(Exception):
    """A stream whose head did not match was answered by a 500 in strict mode: stop it."""


class ValidatedRoute:
    """A compiled handler whose responses are checked (called as the handler is)."""

    __slots__ = ("compiled", "decoders", "documented", "handler", "template", "validator")

    def __init__(
        self,
        validator: Checker,
        compiled: CompiledHandler,
        decoders: dict[str, Any],
    ) -> None:
        self.validator = validator
        self.compiled = compiled
        self.decoders = decoders
        self.template = compiled.template  # what QueryChoice and the middleware read
        self.handler = compiled.handler
        self.documented: dict[str, Any] = {}

    def operation(self, method: str) -> Any:
        if method not in self.documented:
            self.documented[method] = self.validator.documented(self.compiled, method)
        return self.documented[method]

    async def __call__(
        self, scope: Scope, receive: Receive, send: Send, captures: list[str]
    ) -> None:
        call = _Call()
        token = _CALL.set(call)
        capture = _Capture(self, scope, send, call)
        try:
            await self.compiled(scope, receive, capture, captures)
        except _Replaced:
            return
        finally:
            _CALL.reset(token)
        await capture.flush()


class _Capture:
    """The `send` a validated handler is given: the response is held until it is complete
    (or its body turns out to be a stream), checked, then sent or replaced."""

    __slots__ = ("body", "call", "route", "scope", "send", "start", "state")

    def __init__(self, route: ValidatedRoute, scope: Scope, send: Send, call: _Call) -> None:
        self.route = route
        self.scope = scope
        self.send = send
        self.call = call
        self.start: Message | None = None
        self.body: Message | None = None
        self.state = "holding"  # then "passing" (sent, or not checked) or "replaced"

    async def __call__(self, message: Message) -> None:
        if self.state == "passing":
            await self.send(message)
            return
        if self.state == "replaced":
            raise _Replaced()
        kind = message["type"]
        if kind == "http.response.start":
            self.start = message
        elif kind == "http.response.body" and self.start is not None and self.body is None:
            if message.get("more_body", False):  # a stream: its head is checked, not its body
                await self._decide(None)
                await self.__call__(message)
                return
            self.body = message  # complete: checked and sent now, before background tasks
            await self._decide(message.get("body", b""))
        else:  # anything else: sent as it comes, unchecked
            await self._release()
            await self.send(message)

    async def flush(self) -> None:
        """A start that no body followed: checked and sent when the handler is done."""
        if self.state == "holding" and self.start is not None:
            await self._decide(b"")

    async def _decide(self, body: bytes | None) -> None:
        """Check what is held (`body` None: not the body), then send it or its replacement."""
        start = self.start
        assert start is not None
        status = int(start["status"])
        found = self._check(status, start.get("headers") or [], body)
        validator = self.route.validator
        if not found or not validator.strict or status >= 500:
            await self._release()
            return
        headers, content = validator.replacement(found)
        self.state = "replaced"
        await self.send({"type": "http.response.start", "status": 500, "headers": headers})
        await self.send({"type": "http.response.body", "body": content})

    def _check(self, status: int, raw: list[tuple[bytes, bytes]], body: bytes | None) -> list[Any]:
        call = self.call
        if not call.reached or call.unwritten or status == 304:
            return []
        method = self.scope["method"]
        documented = self.route.operation(method)
        if documented is None:
            return []
        if method == "HEAD":
            body = None
        route = self.route
        found = route.validator.check(documented, status, list(raw), body, route.decoders)
        if found:
            self.route.validator.report(documented, status, found)
        return found

    async def _release(self) -> None:
        self.state = "passing"
        if self.start is not None:
            await self.send(self.start)
        if self.body is not None:
            await self.send(self.body)
