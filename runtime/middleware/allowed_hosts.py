"""Allowed hosts: requests whose `Host` header names another host get 400."""

from __future__ import annotations

import re

from ..config.allowed_hosts import AllowedHostsConfig
from ..types import ASGIApp, Receive, Scope, Send
from ._headers import header
from .base import AbstractMiddleware

__all__ = ["AllowedHostsMiddleware"]

_INVALID = b'{"status_code":400,"detail":"Invalid host header"}'


def _host_pattern(host: str) -> str:
    if host.startswith("*."):
        return r"[^/]*\." + re.escape(host[2:])  # any subdomain, not the domain itself
    return re.escape(host)


class AllowedHostsMiddleware(AbstractMiddleware):
    """Answers 400 to a request for a host not in `allowed_hosts` (port ignored)."""

    scopes = frozenset({"http", "websocket"})

    def __init__(self, app: ASGIApp, config: AllowedHostsConfig) -> None:
        exclude = config.exclude
        super().__init__(
            app,
            exclude=exclude if exclude is None or isinstance(exclude, str) else list(exclude),
            exclude_opt_key=config.exclude_opt_key,
        )
        hosts = list(config.allowed_hosts)
        self.allow_all = "*" in hosts
        self.pattern = re.compile("|".join(_host_pattern(h.lower()) for h in hosts) or "(?!)")
        # `www.x` allowed and `x` not: a request to `x` is redirected to `www.x`
        redirects = [
            h[4:].lower()
            for h in hosts
            if config.www_redirect and h.startswith("www.") and h[4:] not in hosts
        ]
        self.redirect = re.compile("|".join(map(re.escape, redirects))) if redirects else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.allow_all:
            await self.app(scope, receive, send)
            return
        raw = (header(scope, b"host") or b"").decode("latin-1").lower()
        host = raw.rsplit(":", 1)[0] if not raw.endswith("]") else raw
        if self.pattern.fullmatch(host):
            await self.app(scope, receive, send)
            return
        if self.redirect is not None and self.redirect.fullmatch(host):
            scheme = scope.get("scheme", "http")
            query = scope.get("query_string", b"").decode("latin-1")
            path = scope.get("raw_path", b"").decode("latin-1") or scope["path"]
            target = f"{scheme}://www.{raw}{path}" + (f"?{query}" if query else "")
            headers = [(b"location", target.encode("latin-1")), (b"content-length", b"0")]
            await send({"type": "http.response.start", "status": 301, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        headers = [(b"content-type", b"application/json")]
        headers.append((b"content-length", str(len(_INVALID)).encode()))
        await send({"type": "http.response.start", "status": 400, "headers": headers})
        await send({"type": "http.response.body", "body": _INVALID})
