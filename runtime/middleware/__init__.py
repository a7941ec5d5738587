"""Middleware: plain ASGI factories, `DefineMiddleware` and `AbstractMiddleware`, plus the
built-in CORS, compression and allowed-hosts middleware (configured on `App`)."""

from .base import AbstractMiddleware, DefineMiddleware, Middleware

__all__ = ["AbstractMiddleware", "DefineMiddleware", "Middleware"]
