"""Security schemes: one declaration both documents a scheme and enforces it on handlers.

A handler's resolved `security` (OpenAPI requirement objects, closest layer wins, `[]` means
public) is checked before its arguments are parsed: the request passes when every scheme of
at least one requirement accepts it. Each scheme's `verifier` decides; with no verifier the
scheme denies, so an unfinished server is closed rather than open.
"""

from __future__ import annotations

import base64
import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .exceptions import (
    ImproperlyConfiguredException,
    NotAuthorizedException,
    PermissionDeniedException,
)
from .request import Request

__all__ = ["Credentials", "SecurityScheme", "Verifier", "build_security_guard"]


@dataclass(frozen=True)
class Credentials:
    """What the client presented for a scheme: the raw value and, for HTTP basic, its parts."""

    value: str
    username: str | None = None
    password: str | None = None


Verifier = Callable[[Request[Any, Any], Credentials, Sequence[str]], bool | Awaitable[bool]]


@dataclass(frozen=True)
class SecurityScheme:
    """An OpenAPI security scheme (`components/securitySchemes`) and its verifier."""

    type: Literal["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"]
    description: str | None = None
    name: str | None = None  # apiKey: the header, query or cookie name
    location: Literal["header", "query", "cookie"] | None = None  # apiKey: OpenAPI's `in`
    scheme: str | None = None  # http: basic, bearer, ...
    bearer_format: str | None = None
    flows: Mapping[str, Any] | None = None
    open_id_connect_url: str | None = None
    extensions: Mapping[str, Any] = field(default_factory=dict)
    verifier: Verifier | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.type == "apiKey" and (not self.name or self.location is None):
            raise ImproperlyConfiguredException("an apiKey scheme needs name= and location=")
        if self.type == "http" and not self.scheme:
            raise ImproperlyConfiguredException("an http scheme needs scheme= (basic, bearer...)")

    def credentials(self, request: Request[Any, Any]) -> Credentials | None:
        """The credentials this scheme reads from the request, or None when there are none."""
        if self.type == "apiKey":
            assert self.name is not None
            if self.location == "header":
                value = request.headers.get(self.name)
            elif self.location == "query":
                value = request.query_params.get(self.name)
            else:
                value = request.cookies.get(self.name)
            return Credentials(value) if value else None
        authorization = request.headers.get("authorization", "")
        kind, _, token = authorization.partition(" ")
        token = token.strip()
        if not token:
            return None
        if self.type == "http" and (self.scheme or "").lower() == "basic":
            if kind.lower() != "basic":
                return None
            try:
                decoded = base64.b64decode(token, validate=True).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                return None
            username, sep, password = decoded.partition(":")
            return Credentials(token, username, password) if sep else None
        if self.type == "http" and kind.lower() != (self.scheme or "").lower():
            return None
        return Credentials(token)

    def challenge(self) -> str | None:
        """The `WWW-Authenticate` value for a 401 on this scheme."""
        if self.type == "http":
            return (self.scheme or "").capitalize()
        if self.type in ("oauth2", "openIdConnect"):
            return "Bearer"
        return None

    def to_openapi(self) -> dict[str, Any]:
        """The scheme as an OpenAPI security scheme object."""
        document: dict[str, Any] = {"type": self.type}
        optional = {
            "description": self.description,
            "name": self.name,
            "in": self.location,
            "scheme": self.scheme,
            "bearerFormat": self.bearer_format,
            "flows": dict(self.flows) if self.flows is not None else None,
            "openIdConnectUrl": self.open_id_connect_url,
        }
        document.update({key: value for key, value in optional.items() if value is not None})
        document.update(self.extensions)
        return document


def build_security_guard(
    requirements: Sequence[Mapping[str, Sequence[str]]],
    schemes: Mapping[str, SecurityScheme],
    owner: str,
) -> Callable[[Request[Any, Any], Any], Awaitable[None]] | None:
    """A guard enforcing OpenAPI security requirements, or None when the handler is public."""
    if not requirements or any(not requirement for requirement in requirements):
        return None  # no requirement, or an empty one ({}): anonymous access is allowed
    for requirement in requirements:
        for name in requirement:
            if name not in schemes:
                raise ImproperlyConfiguredException(
                    f"{owner}: security scheme {name!r} is not declared on the app "
                    f"(declared: {sorted(schemes)})"
                )
    alternatives = [
        [(schemes[name], list(scopes)) for name, scopes in requirement.items()]
        for requirement in requirements
    ]

    async def security_guard(request: Request[Any, Any], _handler: Any) -> None:
        rejected = False  # some requirement had all its credentials, and one was refused
        for alternative in alternatives:
            presented = [
                (scheme, scopes, scheme.credentials(request)) for scheme, scopes in alternative
            ]
            if any(credentials is None for _, _, credentials in presented):
                continue
            for scheme, scopes, credentials in presented:
                assert credentials is not None
                verdict = False
                if scheme.verifier is not None:
                    result = scheme.verifier(request, credentials, scopes)
                    verdict = bool(await result) if inspect.isawaitable(result) else bool(result)
                if not verdict:
                    rejected = True
                    break
            else:
                return
        if rejected:
            raise PermissionDeniedException("The credentials were not accepted")
        challenges = [
            challenge
            for alternative in alternatives
            for scheme, _ in alternative
            if (challenge := scheme.challenge())
        ]
        headers = {"www-authenticate": ", ".join(dict.fromkeys(challenges))} if challenges else None
        raise NotAuthorizedException("Authentication required", headers=headers)

    return security_guard
