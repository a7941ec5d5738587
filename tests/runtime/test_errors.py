"""Errors: HTTPException, layered exception handlers, 500/501 answers, logging and debug mode."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from specloom.runtime import App, MediaType, Request, Response, Router, get, post
from specloom.runtime.exceptions import (
    ClientException,
    HTTPException,
    ImproperlyConfiguredException,
    InternalServerException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    RequestEntityTooLarge,
    ServiceUnavailableException,
    SpecloomException,
    TooManyRequestsException,
    UnsupportedMediaTypeException,
    ValidationException,
)
from specloom.runtime.testing import TestClient

SECRET = "db-password=hunter2"


@pytest.mark.parametrize(
    ("exc_class", "status"),
    [
        (HTTPException, 500),
        (ClientException, 400),
        (ValidationException, 400),
        (NotAuthorizedException, 401),
        (PermissionDeniedException, 403),
        (NotFoundException, 404),
        (MethodNotAllowedException, 405),
        (RequestEntityTooLarge, 413),
        (UnsupportedMediaTypeException, 415),
        (TooManyRequestsException, 429),
        (InternalServerException, 500),
        (ServiceUnavailableException, 503),
    ],
)
def test_http_exception_classes(exc_class: type[HTTPException], status: int) -> None:
    exc = exc_class()
    assert exc.status_code == status
    assert exc.detail  # the status phrase when no detail is given
    assert isinstance(exc, HTTPException) and isinstance(exc, SpecloomException)

    @get("/")
    def handler() -> None:
        raise exc_class(detail="custom detail", headers={"x-reason": "r"}, extra={"field": "f"})

    with TestClient(App([handler])) as client:
        response = client.get("/")
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-reason"] == "r"
    assert response.json() == {
        "status_code": status,
        "detail": "custom detail",
        "extra": {"field": "f"},
    }


def test_http_exception_detail_from_args_and_custom_status() -> None:
    exc = HTTPException("something broke", status_code=418)
    assert (exc.status_code, exc.detail, str(exc)) == (418, "something broke", "something broke")
    assert HTTPException(status_code=404).detail == "Not Found"
    assert "418" in repr(exc)
    assert issubclass(ImproperlyConfiguredException, ValueError)


def test_unhandled_exception_is_500_without_detail_and_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @get("/boom")
    def boom() -> None:
        raise RuntimeError(SECRET)

    with TestClient(App([boom])) as client, caplog.at_level(logging.ERROR):
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status_code": 500, "detail": "Internal Server Error"}
    assert SECRET not in response.text
    records = [r for r in caplog.records if r.exc_info and r.exc_info[1] is not None]
    assert len(records) == 1
    assert isinstance(records[0].exc_info[1], RuntimeError)  # type: ignore[index]
    assert records[0].name == "specloom.runtime"


def test_http_exceptions_are_not_logged_as_errors(caplog: pytest.LogCaptureFixture) -> None:
    @get("/nf")
    def nf() -> None:
        raise NotFoundException()

    with TestClient(App([nf])) as client, caplog.at_level(logging.ERROR):
        assert client.get("/nf").status_code == 404
        assert client.get("/missing").status_code == 404
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_debug_mode_includes_the_traceback(caplog: pytest.LogCaptureFixture) -> None:
    @get("/boom")
    def boom() -> None:
        raise RuntimeError(SECRET)

    with TestClient(App([boom], debug=True)) as client, caplog.at_level(logging.ERROR):
        body = client.get("/boom").json()
    assert body["status_code"] == 500
    assert body["detail"] == f"RuntimeError: {SECRET}"
    assert any("raise RuntimeError(SECRET)" in line for line in body["extra"]["traceback"])
    assert len([r for r in caplog.records if r.exc_info]) == 1


def test_not_implemented_is_501() -> None:
    @get("/stub")
    def stub() -> None:
        raise NotImplementedError("generated stub: fill me in")

    with TestClient(App([stub])) as client:
        response = client.get("/stub")
    assert response.status_code == 501
    assert response.json() == {"status_code": 501, "detail": "Not Implemented"}


def test_error_responses_are_json_even_for_text_handlers() -> None:
    @get("/text", media_type=MediaType.TEXT)
    def text() -> str:
        raise NotFoundException("no text")

    @get("/html", media_type=MediaType.HTML)
    def html() -> str:
        raise ValueError("x")

    @get("/bad-param", media_type=MediaType.TEXT)
    def bad_param(n: int) -> str:
        return str(n)

    with TestClient(App([text, html, bad_param])) as client:
        for path in ("/text", "/html", "/bad-param?n=x"):
            response = client.get(path)
            assert response.status_code >= 400
            assert response.headers["content-type"] == "application/json", path
            assert response.json()["status_code"] == response.status_code


def test_custom_handler_response_is_json_by_default_even_for_text_handlers() -> None:
    def handle(request: Request[Any, Any], exc: Exception) -> Response[dict[str, str]]:
        return Response({"error": str(exc)}, status_code=409)

    def handle_as_text(request: Request[Any, Any], exc: Exception) -> Response[str]:
        return Response("plain", status_code=409, media_type=MediaType.TEXT)

    @get("/t", media_type=MediaType.TEXT, exception_handlers={KeyError: handle})
    def text() -> str:
        raise KeyError("k")

    @get("/t2", media_type=MediaType.TEXT, exception_handlers={KeyError: handle_as_text})
    def text_own() -> str:
        raise KeyError("k")

    with TestClient(App([text, text_own])) as client:
        response = client.get("/t")
        assert response.status_code == 409
        assert response.headers["content-type"] == "application/json"
        assert response.json() == {"error": "'k'"}
        response = client.get("/t2")
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.text == "plain"


class AppError(Exception):
    pass


class SpecificError(AppError):
    pass


def _handler_named(name: str) -> Any:
    def handle(request: Request[Any, Any], exc: Exception) -> Response[dict[str, str]]:
        return Response({"by": name, "exc": type(exc).__name__}, status_code=422)

    return handle


def test_exception_handler_by_class_uses_the_mro() -> None:
    @get("/specific")
    def specific() -> None:
        raise SpecificError()

    app = App([specific], exception_handlers={AppError: _handler_named("AppError")})
    with TestClient(app) as client:
        assert client.get("/specific").json() == {"by": "AppError", "exc": "SpecificError"}


def test_exception_handler_closest_class_wins() -> None:
    @get("/specific")
    def specific() -> None:
        raise SpecificError()

    handlers = {AppError: _handler_named("AppError"), SpecificError: _handler_named("Specific")}
    with TestClient(App([specific], exception_handlers=handlers)) as client:
        assert client.get("/specific").json()["by"] == "Specific"


def test_exception_handler_by_status_code() -> None:
    @get("/nf")
    def nf() -> None:
        raise NotFoundException()

    @get("/crash")
    def crash() -> None:
        raise RuntimeError("x")

    handlers = {404: _handler_named("404"), 500: _handler_named("500")}
    with TestClient(App([nf, crash], exception_handlers=handlers)) as client:
        assert client.get("/nf").json() == {"by": "404", "exc": "NotFoundException"}
        assert client.get("/crash").json() == {"by": "500", "exc": "RuntimeError"}
        # unrouted paths go through the app's handlers too
        assert client.get("/nowhere").json() == {"by": "404", "exc": "NotFoundException"}


def test_app_level_handler_for_405() -> None:
    @get("/x")
    def x() -> None: ...

    with TestClient(App([x], exception_handlers={405: _handler_named("405")})) as client:
        assert client.post("/x").json() == {"by": "405", "exc": "MethodNotAllowedException"}


def test_validation_errors_can_be_handled_by_status() -> None:
    def handle(request: Request[Any, Any], exc: HTTPException) -> Response[Any]:
        return Response({"problems": len(exc.extra or [])}, status_code=422)

    @get("/v")
    def v(a: int, b: int) -> None: ...

    with TestClient(App([v], exception_handlers={400: handle})) as client:
        response = client.get("/v?a=x")
    assert response.status_code == 422
    assert response.json() == {"problems": 2}


def test_layered_exception_handlers() -> None:
    @get("/in-router")
    def in_router() -> None:
        raise AppError()

    @get("/own", exception_handlers={AppError: _handler_named("handler")})
    def own() -> None:
        raise AppError()

    @get("/top")
    def top() -> None:
        raise AppError()

    router = Router("/r", [in_router, own], exception_handlers={AppError: _handler_named("router")})
    app = App([router, top], exception_handlers={AppError: _handler_named("app")})
    with TestClient(app) as client:
        assert client.get("/r/in-router").json()["by"] == "router"
        assert client.get("/r/own").json()["by"] == "handler"
        assert client.get("/top").json()["by"] == "app"


def test_failing_exception_handler_gives_a_plain_500(caplog: pytest.LogCaptureFixture) -> None:
    def broken(request: Request[Any, Any], exc: Exception) -> Response[Any]:
        raise RuntimeError(SECRET)

    @get("/x", exception_handlers={AppError: broken})
    def x() -> None:
        raise AppError()

    with TestClient(App([x])) as client, caplog.at_level(logging.ERROR):
        response = client.get("/x")
    assert response.status_code == 500
    assert response.json() == {"status_code": 500, "detail": "Internal Server Error"}
    assert SECRET not in response.text


def test_async_exception_handler() -> None:
    async def handle(request: Request[Any, Any], exc: Exception) -> Response[dict[str, str]]:
        return Response({"path": request.url.path}, status_code=400)

    @post("/a")
    def a() -> None:
        raise AppError()

    with TestClient(App([a], exception_handlers={AppError: handle})) as client:
        assert client.post("/a").json() == {"path": "/a"}


def test_exception_handler_returning_plain_value_is_wrapped() -> None:
    @get("/a", exception_handlers={AppError: lambda request, exc: {"wrapped": True}})
    def a() -> None:
        raise AppError()

    with TestClient(App([a])) as client:
        response = client.get("/a")
    assert response.json() == {"wrapped": True}
    assert response.headers["content-type"] == "application/json"


def test_validation_error_body_shape() -> None:
    @get("/items/{item_id:int}")
    def item(item_id: int) -> None: ...

    with TestClient(App([item])) as client:
        response = client.get("/items/abc")
    assert response.status_code == 400
    assert response.json() == {
        "status_code": 400,
        "detail": "Validation failed for GET /items/abc",
        "extra": [{"key": "item_id", "source": "path", "message": "Expected `int`, got `str`"}],
    }
