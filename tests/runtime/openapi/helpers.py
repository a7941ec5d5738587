"""Shared checks: every document validates; what a response documents is what it sends."""

from __future__ import annotations

from typing import Any

import httpx
from openapi_spec_validator import validate

from specloom.runtime import App, get
from specloom.runtime.openapi import OpenAPIConfig
from specloom.runtime.testing import TestClient

__all__ = ["assert_documented_equals_sent", "component_schemas", "operation", "validated"]

# sent by the transport for every body; documented only where a container promises them
_IMPLICIT = frozenset({"content-type", "content-length"})


def validated(app: App) -> dict[str, Any]:
    """The app's document, after openapi-spec-validator accepted it."""
    document = app.openapi()
    validate(document)
    return document


def component_schemas(*types: Any) -> dict[str, Any]:
    """The validated component schemas of an app whose document lists `types` as components."""

    @get("/")
    async def index() -> None:
        return None

    app = App([index], openapi_config=OpenAPIConfig(component_types=list(types)))
    schemas: dict[str, Any] = validated(app)["components"]["schemas"]
    return schemas


def operation(app: App, method: str, path: str) -> dict[str, Any]:
    """One operation of the app's validated document."""
    result: dict[str, Any] = validated(app)["paths"][path][method.lower()]
    return result


def assert_documented_equals_sent(
    app: App,
    method: str,
    path: str,
    url: str | None = None,
    *,
    doc_only: tuple[str, ...] = (),
    **request: Any,
) -> httpx.Response:
    """Send one request; its status, media type and headers must be the documented ones.

    Every documented header is sent, except the `doc_only` ones; every sent header is
    documented, except content-type and (unless documented) content-length.
    """
    documented_operation = operation(app, method, path)
    with TestClient(app) as client:
        response = client.request(method, url or path, **request)
    responses = documented_operation["responses"]
    status = str(response.status_code)
    assert status in responses, f"sent {status}, documented {sorted(responses)}"
    documented = responses[status]
    content = documented.get("content")
    sent_type = response.headers.get("content-type")
    if content is None:
        assert response.content == b"", "a response documented without content sent a body"
    else:
        assert sent_type is not None, "a response documented with content sent no content-type"
        media_type = sent_type.partition(";")[0].strip()
        assert media_type in content or "*/*" in content, f"sent {media_type}, documented {content}"
    documented_headers = {name.lower() for name in documented.get("headers", {})}
    sent = {name.lower() for name in response.headers}
    sent -= {name for name in _IMPLICIT if name not in documented_headers}
    expected = documented_headers - {name.lower() for name in doc_only}
    assert sent == expected, f"sent headers {sorted(sent)}, documented {sorted(expected)}"
    return response
