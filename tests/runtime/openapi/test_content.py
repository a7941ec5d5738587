"""`ResponseSpec(content={...})`: a response documented in several media types, each with the
schema of its own type (or none), and `success_in_schema=False`: no success response invented."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import msgspec
import pytest

from specloom.runtime import App, delete, get, post, put
from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.openapi import ContentSpec, OpenAPIConfig, ResponseSpec
from specloom.runtime.params import Body
from specloom.runtime.response import File, ServerSentEvent
from specloom.runtime.testing import TestClient

from .helpers import operation

CONFIG = OpenAPIConfig(automatic_responses=False)


class Report(msgspec.Struct):
    id: int
    title: str


class Problem(msgspec.Struct):
    title: str


def test_an_error_response_is_documented_in_each_media_type_with_its_schema() -> None:
    @get(
        "/reports",
        responses={
            "default": ResponseSpec(
                description="an error",
                content={
                    "application/json": Problem,
                    "application/problem+json": ContentSpec(Problem, example={"title": "x"}),
                    "text/html": str,
                    "text/plain": ContentSpec(),  # written without a schema
                    "image/bmp": dict[str, Any],
                },
            ),
            404: ResponseSpec(description="gone", content={"application/x-tar": bytes}),
        },
    )
    async def reports() -> list[Report]:
        return []

    app = App([reports], openapi_config=CONFIG)
    responses = operation(app, "GET", "/reports")["responses"]
    problem = {"$ref": "#/components/schemas/Problem"}
    assert responses["default"]["content"] == {
        "application/json": {"schema": problem},
        "application/problem+json": {"schema": problem, "example": {"title": "x"}},
        "text/html": {"schema": {"type": "string"}},
        "text/plain": {},
        "image/bmp": {"schema": {"type": "object"}},
    }
    assert responses["404"]["content"] == {
        "application/x-tar": {"schema": {"type": "string", "format": "binary"}}
    }


def test_the_success_response_adds_the_media_types_the_handler_does_not_send() -> None:
    @get(
        "/reports/{id:int}",
        media_types=["application/json", "application/xml"],
        responses={
            200: ResponseSpec(
                description="the report",
                content={
                    "application/json": Report,
                    "application/xml": ContentSpec(Report, example="<report/>"),
                    "text/csv": Report,
                },
            )
        },
    )
    async def report(id: int) -> Report:
        return Report(id=id, title="Q1")

    app = App([report], openapi_config=CONFIG)
    success = operation(app, "GET", "/reports/{id}")["responses"]["200"]
    ref = {"$ref": "#/components/schemas/Report"}
    assert success["description"] == "the report"
    assert success["content"] == {
        "application/json": {"schema": ref},
        "application/xml": {"schema": ref, "example": "<report/>"},
        "text/csv": {"schema": ref},
    }
    # serving is the handler's: JSON or XML as accepted; CSV is documented, never encoded
    with TestClient(app) as client:
        assert client.get("/reports/1").json() == {"id": 1, "title": "Q1"}
        xml = client.get("/reports/1", headers={"accept": "application/xml"})
        assert xml.headers["content-type"] == "application/xml"
        assert client.get("/reports/1", headers={"accept": "text/csv"}).status_code == 406


def test_what_text_or_octets_hold_is_what_the_declaration_says(tmp_path: Path) -> None:
    chart = tmp_path / "chart.png"
    chart.write_bytes(b"\x89PNG")

    @get(
        "/chart",
        media_type="image/png",
        responses={200: ResponseSpec(description="the chart", content={"image/png": str})},
    )
    async def get_chart() -> File:
        return File(chart)

    @get(
        "/events",
        responses={200: ResponseSpec(description="events", content={"text/event-stream": None})},
    )
    async def events() -> ServerSentEvent:
        return ServerSentEvent(iter(["a"]))

    app = App([get_chart, events], openapi_config=CONFIG)
    assert operation(app, "GET", "/chart")["responses"]["200"]["content"] == {
        "image/png": {"schema": {"type": "string"}}
    }
    assert operation(app, "GET", "/events")["responses"]["200"]["content"] == {
        "text/event-stream": {}
    }
    with TestClient(app) as client:
        sent = client.get("/chart")
        assert (sent.content, sent.headers["content-type"]) == (b"\x89PNG", "image/png")
        assert client.get("/events").text == "data: a\r\n\r\n"


def test_content_declared_on_a_204_is_documented_as_written() -> None:
    @delete(
        "/reports/{id:int}",
        responses={204: ResponseSpec(description="deleted", content={"application/json": Problem})},
    )
    async def remove(id: int) -> None:
        return None

    app = App([remove], openapi_config=CONFIG)
    deleted = operation(app, "DELETE", "/reports/{id}")["responses"]["204"]
    assert deleted["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    with TestClient(app) as client:
        sent = client.delete("/reports/1")
        assert (sent.status_code, sent.content) == (204, b"")


def test_a_success_response_the_spec_does_not_document_is_not_invented() -> None:
    @get(
        "/jobs",
        success_in_schema=False,
        responses={"2XX": ResponseSpec(list[str], description="the jobs")},
    )
    async def jobs() -> list[str]:
        return ["a"]

    @delete("/jobs", success_in_schema=False, responses={404: ResponseSpec(description="none")})
    async def clear() -> None:
        return None

    app = App([jobs, clear], openapi_config=CONFIG)
    assert list(operation(app, "GET", "/jobs")["responses"]) == ["2XX"]
    assert list(operation(app, "DELETE", "/jobs")["responses"]) == ["404"]
    with TestClient(app) as client:  # the handler still answers with its status
        listed = client.get("/jobs")
        assert (listed.status_code, listed.json()) == (200, ["a"])
        assert client.delete("/jobs").status_code == 204


def test_a_body_is_documented_by_data_container_or_by_content_not_both() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="not both"):
        ResponseSpec(Report, content={"application/json": Report})


def test_a_request_body_is_documented_in_every_media_type_its_spec_writes() -> None:
    @post("/reports")
    async def add(
        data: Annotated[
            Report,
            Body(
                media_types=["application/json"],
                content={"application/json": Report, "text/csv": ContentSpec(Report, example="a")},
            ),
        ],
    ) -> Report:
        return data

    @put("/scan", status_code=204)
    async def scan(
        data: Annotated[bytes, Body(media_types=["image/png"], content={"image/png": str})],
    ) -> None:
        assert data == b"PNG"

    app = App([add, scan], openapi_config=CONFIG)
    ref = {"$ref": "#/components/schemas/Report"}
    assert operation(app, "POST", "/reports")["requestBody"]["content"] == {
        "application/json": {"schema": ref},
        "text/csv": {"schema": ref, "example": "a"},
    }
    assert operation(app, "PUT", "/scan")["requestBody"]["content"] == {
        "image/png": {"schema": {"type": "string"}}
    }
    with TestClient(app) as client:  # documented only: a CSV body is refused
        assert client.post("/reports", json={"id": 1, "title": "a"}).status_code == 201
        csv = {"content-type": "text/csv"}
        assert client.post("/reports", content=b"id,title", headers=csv).status_code == 415
        png = {"content-type": "image/png"}
        assert client.put("/scan", content=b"PNG", headers=png).status_code == 204


def test_a_body_of_any_value_keeps_what_its_meta_documents() -> None:
    """`Annotated[Any, Meta(description=...)]` (a spec's schema that says only a description)
    is the empty schema with that description, not the bare empty schema."""

    @get("/version")
    async def version() -> Annotated[Any, msgspec.Meta(description="the version")]:
        return {"version": "1"}

    content = operation(App([version]), "GET", "/version")["responses"]["200"]["content"]
    assert content["application/json"]["schema"] == {"description": "the version"}
