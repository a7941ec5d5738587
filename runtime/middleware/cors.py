"""CORS: headers on responses to cross-origin requests, and answers to preflight requests."""

from __future__ import annotations

from ..config.cors import DEFAULT_ALLOWED_CORS_HEADERS, CORSConfig
from ..types import ASGIApp, Message, Receive, Scope, Send
from ._headers import add_vary, header, set_header

__all__ = ["CORSMiddleware", "CORSPreflight"]


class CORSMiddleware:
    """Adds the CORS headers to every response to a request that has an `Origin` header."""

    __slots__ = ("app", "config")

    def __init__(self, app: ASGIApp, config: CORSConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origin = header(scope, b"origin")
        if origin is None or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        config = self.config
        has_cookie = header(scope, b"cookie") is not None
        echo = (config.is_allow_all_origins and has_cookie) or (
            not config.is_allow_all_origins and config.is_origin_allowed(origin.decode("latin-1"))
        )

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {key.lower() for key, _ in headers}
                headers += [h for h in config.simple_headers if h[0] not in present]
                message["headers"] = headers
                if echo:  # a named origin (or credentials with "*"): echo it, and vary on it
                    set_header(message, b"access-control-allow-origin", origin)
                    add_vary(message, b"Origin")
                if b"access-control-allow-headers" not in present and config.allow_headers:
                    value = ", ".join(sorted(set(config.allow_headers))).encode("latin-1")
                    message["headers"].append((b"access-control-allow-headers", value))
                if b"access-control-allow-methods" not in present and config.allow_methods:
                    value = ", ".join(sorted(set(config.allow_methods))).encode("latin-1")
                    message["headers"].append((b"access-control-allow-methods", value))
            await send(message)

        await self.app(scope, receive, send_with_cors)


class CORSPreflight:
    """The answer to OPTIONS on a route with no OPTIONS handler of its own: a preflight request
    (`Origin` and `Access-Control-Request-Method`) gets 204 with what is allowed, or 400 saying
    what is not; any other OPTIONS request goes to `fallback` (204 with `allow`)."""

    __slots__ = ("config", "fallback")

    def __init__(self, fallback: ASGIApp, config: CORSConfig) -> None:
        self.fallback = fallback
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origin = header(scope, b"origin")
        method = header(scope, b"access-control-request-method")
        if origin is None or method is None:
            await self.fallback(scope, receive, send)
            return
        config = self.config
        headers = dict(config.preflight_headers)
        failures = []
        if not config.is_method_allowed(method.decode("latin-1").strip()):
            failures.append("method")
        origin_text = origin.decode("latin-1")
        if not config.is_origin_allowed(origin_text):
            failures.append("Origin")
        elif headers.get("access-control-allow-origin") != "*":
            headers["access-control-allow-origin"] = origin_text
        raw = (header(scope, b"access-control-request-headers") or b"").decode("latin-1")
        requested = [name.strip() for name in raw.split(",") if name.strip()]
        if requested and config.is_allow_all_headers:
            allowed = set(requested) | DEFAULT_ALLOWED_CORS_HEADERS
            headers["access-control-allow-headers"] = ", ".join(sorted(allowed))
        elif any(not config.is_header_allowed(name) for name in requested):
            failures.append("headers")
        if failures:
            body = f"Disallowed CORS {', '.join(failures)}".encode()
            start = [(b"content-type", b"text/plain; charset=utf-8")]
            start.append((b"content-length", str(len(body)).encode()))
            await send({"type": "http.response.start", "status": 400, "headers": start})
            await send({"type": "http.response.body", "body": body})
            return
        raw_headers = [(k.encode(), v.encode("latin-1")) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": 204, "headers": raw_headers})
        await send({"type": "http.response.body", "body": b""})
