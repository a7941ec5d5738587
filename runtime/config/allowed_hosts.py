"""`AllowedHostsConfig`: the `Host` header values the app answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["AllowedHostsConfig"]


@dataclass
class AllowedHostsConfig:
    """Allowed hosts, as Litestar's: `"*"` allows any, `"*.example.com"` any subdomain.

    Another host gets 400. With `www_redirect`, a request to `example.com` is redirected to
    `www.example.com` when only the latter is allowed.
    """

    allowed_hosts: Sequence[str] = field(default_factory=lambda: ["*"])
    exclude: str | Sequence[str] | None = None
    exclude_opt_key: str | None = None
    www_redirect: bool = True
