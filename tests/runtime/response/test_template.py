"""Template: rendering from strings and directories, media type and status choice, config."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import jinja2
import pytest

from specloom.runtime import App, Request, Response, get
from specloom.runtime.background_tasks import BackgroundTask
from specloom.runtime.datastructures import Cookie
from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.response import Template
from specloom.runtime.response.template import handler_returns_template
from specloom.runtime.template import JinjaTemplateEngine, TemplateConfig
from specloom.runtime.testing import TestClient


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    (tmp_path / "info.html").write_text("<p>{{ user }}</p>")
    (tmp_path / "notes.txt").write_text("a & b: {{ text }}")
    (tmp_path / "page.html.j2").write_text("<i>{{ text }}</i>")
    (tmp_path / "method.html").write_text("{{ request.method }} {{ request.url.path }}")
    return tmp_path


def serve(*handlers: Any, directory: Path | list[Path] | None = None) -> TestClient:
    return TestClient(App(list(handlers), template_config=TemplateConfig(directory=directory)))


def test_page_example(templates: Path) -> None:
    @get(path="/info")
    def info(request: Request[Any, Any]) -> Template:
        return Template(template_name="info.html", context={"user": request.user})

    with serve(info, directory=templates) as client:
        response = client.get("/info")
    assert response.status_code == 200
    assert response.text == "<p>None</p>"
    assert response.headers.multi_items() == [
        ("content-type", "text/html; charset=utf-8"),
        ("content-length", "11"),
    ]


def test_template_string_is_autoescaped_and_gets_the_request() -> None:
    @get("/")
    def handler() -> Template:
        return Template(
            template_str="<b>{{ name }}</b> {{ request.method }}", context={"name": "<x>"}
        )

    with serve(handler) as client:
        response = client.get("/")
    assert response.text == "<b>&lt;x&gt;</b> GET"
    assert response.headers["content-type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize(
    ("name", "context", "body", "content_type"),
    [
        ("info.html", {"user": "<b>"}, "<p>&lt;b&gt;</p>", "text/html; charset=utf-8"),
        ("notes.txt", {"text": "<&>"}, "a & b: <&>", "text/plain; charset=utf-8"),
        ("page.html.j2", {"text": "<"}, "<i>&lt;</i>", "text/html; charset=utf-8"),
        ("method.html", {}, "GET /t", "text/html; charset=utf-8"),
    ],
)
def test_templates_from_a_directory(
    templates: Path, name: str, context: dict[str, Any], body: str, content_type: str
) -> None:
    @get("/t")
    def handler() -> Template:
        return Template(name, context=context)

    with serve(handler, directory=templates) as client:
        response = client.get("/t")
    assert response.text == body
    assert response.headers["content-type"] == content_type


def test_several_directories(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.html").write_text("first a")
    (second / "a.html").write_text("second a")
    (second / "b.html").write_text("second b")

    @get("/{name:str}")
    def handler(name: str) -> Template:
        return Template(f"{name}.html")

    with serve(handler, directory=[first, second]) as client:
        assert client.get("/a").text == "first a"
        assert client.get("/b").text == "second b"


def test_media_type_and_status_choice(templates: Path) -> None:
    @get("/own", media_type="text/plain", status_code=202)
    def own() -> Template:
        return Template("info.html", media_type="application/xhtml+xml", status_code=203)

    @get("/decorator", media_type="text/plain", status_code=202)
    def decorator() -> Template:
        return Template("info.html")

    with serve(own, decorator, directory=templates) as client:
        first, second = client.get("/own"), client.get("/decorator")
    assert (first.status_code, first.headers["content-type"]) == (203, "application/xhtml+xml")
    assert (second.status_code, second.headers["content-type"]) == (
        202,
        "text/plain; charset=utf-8",
    )


def test_headers_cookies_and_background() -> None:
    ran: list[str] = []

    @get("/", response_headers={"x-layer": "1"})
    def handler() -> Template:
        return Template(
            template_str="hi",
            headers={"x-own": "2"},
            cookies=[Cookie(key="k", value="v")],
            background=BackgroundTask(ran.append, "done"),
        )

    with serve(handler) as client:
        response = client.get("/")
    assert response.headers.multi_items() == [
        ("x-layer", "1"),
        ("x-own", "2"),
        ("content-type", "text/html; charset=utf-8"),
        ("set-cookie", "k=v; Path=/; SameSite=lax"),
        ("content-length", "2"),
    ]
    assert ran == ["done"]


def test_missing_template_is_a_plain_500(templates: Path) -> None:
    @get("/")
    def handler() -> Template:
        return Template("absent.html")

    with serve(handler, directory=templates) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert response.json() == {"status_code": 500, "detail": "Internal Server Error"}


def test_no_template_config_is_a_startup_error() -> None:
    @get("/")
    def handler() -> Template:
        return Template(template_str="x")

    with pytest.raises(ImproperlyConfiguredException, match="handler returns a Template"):
        App([handler])


def test_exactly_one_of_name_and_string() -> None:
    with pytest.raises(ImproperlyConfiguredException):
        Template()
    with pytest.raises(ImproperlyConfiguredException):
        Template("a.html", template_str="x")


def test_engine_is_built_once_and_passed_to_the_callback(templates: Path) -> None:
    built: list[Any] = []
    config = TemplateConfig(directory=templates, engine_callback=built.append)
    engine = config.to_engine()
    assert isinstance(engine, JinjaTemplateEngine)
    assert config.to_engine() is engine
    assert built == [engine]


def test_engine_instance_and_custom_engine() -> None:
    environment = jinja2.Environment(loader=jinja2.DictLoader({"x.html": "dict {{ v }}"}))
    from_env = TemplateConfig(engine_instance=JinjaTemplateEngine.from_environment(environment))

    class UpperEngine:
        def __init__(self, directory: Any = None) -> None:
            self.directory = directory

        def get_template(self, template_name: str) -> Any:
            return jinja2.Template(template_name.upper())

        def render_string(self, template_string: str, context: Any) -> str:
            return template_string.upper()

    @get("/name")
    def by_name() -> Template:
        return Template("x.html", context={"v": 1})

    @get("/string")
    def by_string() -> Template:
        return Template(template_str="abc")

    with TestClient(App([by_name], template_config=from_env)) as client:
        assert client.get("/name").text == "dict 1"
    custom = TemplateConfig(engine=UpperEngine)
    with TestClient(App([by_name, by_string], template_config=custom)) as client:
        assert client.get("/name").text == "X.HTML"
        assert client.get("/string").text == "ABC"


def test_directory_and_engine_instance_are_exclusive(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfiguredException):
        TemplateConfig(directory=tmp_path, engine_instance=JinjaTemplateEngine())


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        (Template, True),
        (Optional[Template], True),  # noqa: UP045 - the old spelling must work too
        (Template | None, True),
        (Annotated[Template, "meta"], True),
        (Response[Any], False),
        (dict[str, Any], False),
        (None, False),
        (str, False),
    ],
)
def test_handler_returns_template(annotation: Any, expected: bool) -> None:
    assert handler_returns_template(annotation) is expected
