"""URL: a small immutable URL, built from a string or from an ASGI scope."""

from __future__ import annotations

from typing import Any
from urllib.parse import SplitResult, quote, urlsplit

from specloom.runtime.types import Scope

__all__ = ["URL"]

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
# Characters allowed unescaped in a path (RFC 3986 pchar and "/"); "%" is escaped on purpose.
_PATH_SAFE = "/:@!$&'()*+,;=~"


class URL:
    """An absolute or relative URL; `path` and `query` are as they appear in the URL (encoded)."""

    __slots__ = ("_parts", "_url")

    def __init__(self, url: str = "") -> None:
        self._url = url
        self._parts: SplitResult = urlsplit(url)

    @classmethod
    def from_components(
        cls,
        scheme: str = "",
        netloc: str = "",
        path: str = "",
        query: str = "",
        fragment: str = "",
    ) -> URL:
        """Build a URL from already-encoded parts."""
        url = cls.__new__(cls)
        url._parts = SplitResult(scheme, netloc, path, query, fragment)
        url._url = url._parts.geturl()
        return url

    @classmethod
    def from_scope(cls, scope: Scope) -> URL:
        """The request URL of an ASGI scope; the Host header wins over `scope["server"]`."""
        scheme = scope.get("scheme", "http")
        netloc = ""
        for name, value in scope.get("headers") or ():
            if name.lower() == b"host":
                netloc = value.decode("latin-1")
                break
        else:
            server = scope.get("server")
            if server:
                host, port = server[0], server[1]
                if ":" in host:
                    host = f"[{host}]"  # IPv6 literal
                default_port = _DEFAULT_PORTS.get(scheme)
                netloc = host if port is None or port == default_port else f"{host}:{port}"
        raw_path = scope.get("raw_path")
        if raw_path:
            # The bytes the client sent; some servers leave the query string on it.
            path = raw_path.split(b"?", 1)[0].decode("latin-1")
        else:
            path = quote(scope.get("path") or "/", safe=_PATH_SAFE)
        query = scope.get("query_string", b"").decode("latin-1")
        return cls.from_components(scheme, netloc, path, query)

    @property
    def scheme(self) -> str:
        return self._parts.scheme

    @property
    def netloc(self) -> str:
        return self._parts.netloc

    @property
    def path(self) -> str:
        return self._parts.path

    @property
    def query(self) -> str:
        return self._parts.query

    @property
    def fragment(self) -> str:
        return self._parts.fragment

    @property
    def hostname(self) -> str | None:
        return self._parts.hostname

    @property
    def port(self) -> int | None:
        return self._parts.port

    def with_replacements(
        self,
        scheme: str | None = None,
        netloc: str | None = None,
        path: str | None = None,
        query: str | None = None,
        fragment: str | None = None,
    ) -> URL:
        """A copy with the given (encoded) parts replaced."""
        parts = self._parts
        return self.from_components(
            parts.scheme if scheme is None else scheme,
            parts.netloc if netloc is None else netloc,
            parts.path if path is None else path,
            parts.query if query is None else query,
            parts.fragment if fragment is None else fragment,
        )

    def __str__(self) -> str:
        return self._url

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._url!r})"

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, URL | str):
            return str(self) == str(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._url)
