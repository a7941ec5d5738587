"""Error answers in the media type and shape an operation declares (error_media.py)."""

from __future__ import annotations

import msgspec

from specloom.runtime import get
from specloom.runtime.app import App
from specloom.runtime.exceptions import NotFoundException
from specloom.runtime.openapi import ContentSpec, ResponseSpec
from specloom.runtime.testing import TestClient


class Problem(msgspec.Struct):
    title: str
    status: int


class Error(msgspec.Struct):
    code: int
    message: str


class Open(msgspec.Struct):
    detail: str = ""


@get(
    "/problems/{n:int}",
    responses={
        "4XX": ResponseSpec(content={"application/problem+json": ContentSpec(Problem)}),
    },
)
async def problems(n: int) -> int:
    raise NotFoundException("no such thing")


@get("/errors", responses={"default": ResponseSpec(Error)})
async def errors(n: int) -> int:
    raise NotImplementedError


@get("/open", responses={400: ResponseSpec(Open)})
async def open_shape(n: int) -> int:
    return n


def test_a_declared_problem_media_type_is_answered_with_problem_details() -> None:
    with TestClient(App([problems])) as client:
        for url, status in (("/problems/1", 404), ("/problems/x", 400)):
            response = client.get(url)
            assert response.status_code == status
            assert response.headers["content-type"] == "application/problem+json"
            body = response.json()
            assert body["status"] == status and body["type"] == "about:blank"
            assert body["title"] == ("Not Found" if status == 404 else "Bad Request")


def test_a_declared_shape_is_filled_when_the_runtime_s_own_does_not_fit() -> None:
    with TestClient(App([errors])) as client:
        invalid = client.get("/errors")
        assert invalid.status_code == 400
        assert set(invalid.json()) == {"code", "message"} and invalid.json()["code"] == 400
        assert client.get("/errors?n=1").json() == {"code": 501, "message": "Not Implemented"}


def test_the_runtime_s_own_object_is_kept_where_it_fits() -> None:
    with TestClient(App([open_shape])) as client:
        body = client.get("/open?n=x").json()
        assert body["status_code"] == 400 and "extra" in body
