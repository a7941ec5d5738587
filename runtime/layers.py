"""Layered settings (app -> router -> controller -> handler), resolved once per handler.

One precedence rule for every option: layers are applied from the app inwards and the layer
closest to the handler wins. For keyed collections the rule applies per key (a dependency name,
a header name compared case-insensitively, a cookie key, an exception class or status code);
guards, middleware and tags are additive, because each layer adds a check, a wrapper or a label
rather than a setting (middleware from the app inwards: the app's is the outermost).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .datastructures import CacheControlHeader, Cookie, ETag, ResponseHeader
from .datastructures import normalize_response_headers as _normalize_headers

__all__ = ["LAYERED_OPTIONS", "HandlerConfig", "Merge", "resolve_layers"]


class Merge(Enum):
    SCALAR = "closest non-None value wins"
    MAPPING = "merged; the closest layer wins per key"
    HEADERS = "merged by lower-cased header name; the closest layer wins"
    COOKIES = "merged by cookie key; the closest layer wins"
    ADDITIVE = "concatenated from the app inwards"


LAYERED_OPTIONS: dict[str, Merge] = {
    "dependencies": Merge.MAPPING,
    "exception_handlers": Merge.MAPPING,
    "type_encoders": Merge.MAPPING,
    "signature_namespace": Merge.MAPPING,
    "opt": Merge.MAPPING,
    "response_headers": Merge.HEADERS,
    "response_cookies": Merge.COOKIES,
    "guards": Merge.ADDITIVE,
    "middleware": Merge.ADDITIVE,
    "tags": Merge.ADDITIVE,
    "before_request": Merge.SCALAR,
    "after_request": Merge.SCALAR,
    "after_response": Merge.SCALAR,
    "cache_control": Merge.SCALAR,
    "etag": Merge.SCALAR,
    "response_class": Merge.SCALAR,
    "request_max_body_size": Merge.SCALAR,
    "security": Merge.SCALAR,
    "include_in_schema": Merge.SCALAR,
}


@dataclass(frozen=True)
class HandlerConfig:
    """The frozen result of resolving every layered option for one handler."""

    dependencies: Mapping[str, Any]
    exception_handlers: Mapping[Any, Callable[..., Any]]
    type_encoders: Mapping[Any, Callable[[Any], Any]]
    signature_namespace: Mapping[str, Any]
    opt: Mapping[str, Any]
    response_headers: tuple[ResponseHeader, ...]
    response_cookies: tuple[Cookie, ...]
    guards: tuple[Callable[..., Any], ...]
    middleware: tuple[Any, ...]  # from the app inwards: the first is the outermost
    tags: tuple[str, ...]
    before_request: Callable[..., Any] | None
    after_request: Callable[..., Any] | None
    after_response: Callable[..., Any] | None
    cache_control: CacheControlHeader | None
    etag: ETag | None
    response_class: type[Any] | None
    request_max_body_size: int | None
    security: Sequence[Mapping[str, Sequence[str]]] | None
    include_in_schema: bool | None


def _merge(kind: Merge, values: Iterable[Any]) -> Any:
    present = [value for value in values if value is not None]
    if kind is Merge.SCALAR:
        return present[-1] if present else None
    if kind is Merge.MAPPING:
        merged: dict[Any, Any] = {}
        for value in present:
            merged.update(value)
        return merged
    if kind is Merge.HEADERS:
        headers: dict[str, ResponseHeader] = {}
        for value in present:
            for header in _normalize_headers(value):
                headers.pop(header.name.lower(), None)  # re-insert: keep the closest's position
                headers[header.name.lower()] = header
        return tuple(headers.values())
    if kind is Merge.COOKIES:
        cookies: dict[str, Cookie] = {}
        for value in present:
            for cookie in value:
                cookies[cookie.key] = cookie
        return tuple(cookies.values())
    collected: list[Any] = []
    for value in present:
        collected.extend(value)
    return (
        tuple(dict.fromkeys(collected))
        if all(isinstance(v, str) for v in collected)
        else (tuple(collected))
    )


def resolve_layers(layers: Sequence[Any]) -> HandlerConfig:
    """Resolve every layered option over `layers`, ordered from the app to the handler."""
    resolved = {
        name: _merge(kind, (getattr(layer, name, None) for layer in layers))
        for name, kind in LAYERED_OPTIONS.items()
    }
    return HandlerConfig(**resolved)
