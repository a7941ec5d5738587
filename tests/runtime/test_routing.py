"""routing: path template parsing, the segment tree, and how requests are matched to routes."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specloom.runtime import App, get, post, put
from specloom.runtime import routing as routing_module
from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.params import Parameter
from specloom.runtime.routing import RouteTable, parse_path
from specloom.runtime.testing import TestClient

# --- parse_path ---------------------------------------------------------------------------


def test_parse_static_path_keeps_empty_segments() -> None:
    # OpenAPI's `//openapi` is not `/openapi`: an empty segment is a segment
    template = parse_path("//users///me/")
    assert template.path == "//users///me"
    assert template.is_static and template.trailing_slash
    assert [s.literal for s in template.segments] == ["", "users", "", "", "me"]


def test_parse_openapi_style_parameter_has_no_declared_type() -> None:
    template = parse_path("/items/{item_id}")
    (param,) = template.params
    assert (param.name, param.type_name, param.is_path) == ("item_id", None, False)
    assert param.type is str
    assert not template.is_static


@pytest.mark.parametrize(
    ("type_name", "expected"),
    [
        ("int", int),
        ("float", float),
        ("str", str),
        ("decimal", Decimal),
        ("uuid", uuid.UUID),
        ("date", datetime.date),
        ("datetime", datetime.datetime),
        ("time", datetime.time),
        ("timedelta", datetime.timedelta),
    ],
)
def test_parse_typed_parameter(type_name: str, expected: type) -> None:
    (param,) = parse_path(f"/x/{{value:{type_name}}}").params
    assert param.type_name == type_name
    assert param.type is expected


def test_parse_path_parameter_takes_the_rest() -> None:
    template = parse_path("/static/{rest:path}")
    (param,) = template.params
    assert param.is_path and param.type is str


def test_parse_mixed_segment_builds_a_pattern() -> None:
    template = parse_path("/files/{name}.{ext}")
    segment = template.segments[1]
    assert [p.name for p in segment.params] == ["name", "ext"]
    assert segment.pattern is not None
    assert template.key == parse_path("/files/{a}.{b}").key
    assert template.key != parse_path("/files/{a}-{b}").key


def test_template_key_erases_names_but_keeps_path_marker() -> None:
    assert parse_path("/a/{x}").key == parse_path("/a/{y:int}").key
    assert parse_path("/a/{x:path}").key != parse_path("/a/{x}").key


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("/a/{x:nope}", "unknown path parameter type 'nope'"),
        ("/a/{}", "has no name"),
        ("/a/{x}/{x}", "duplicate parameter"),
        ("/a/{rest:path}/b", "':path' parameter must be the whole last segment"),
        ("/a/pre{rest:path}", "':path' parameter must be the whole last segment"),
        ("/a/{oops", "malformed segment"),
    ],
)
def test_parse_rejects_invalid_templates(path: str, fragment: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=fragment.replace("'", ".")):
        parse_path(path)


# --- RouteTable (unit) ---------------------------------------------------------------------


def _table(*paths: str) -> RouteTable:
    table = RouteTable()
    for path in paths:
        table.get_or_add(parse_path(path), lambda p=path: p)
    return table


def test_table_static_paths_live_in_a_dict_not_the_tree() -> None:
    table = _table("/a/b", "/a/{x}")
    assert table.static == {"/a/b": "/a/b"}
    assert table.match("/a/b") == ("/a/b", [])
    assert table.match("/a/zzz") == ("/a/{x}", ["zzz"])


def test_table_same_key_returns_the_existing_route() -> None:
    table = RouteTable()
    first = table.get_or_add(parse_path("/a/{x}"), object)
    second = table.get_or_add(parse_path("/a/{y:int}"), object)
    assert first is second
    assert table.routes() == [first]


def test_table_static_child_beats_parameter() -> None:
    table = _table("/users/{user_id}", "/users/me")
    assert table.match("/users/me") == ("/users/me", [])
    assert table.match("/users/42") == ("/users/{user_id}", ["42"])


def test_table_backtracks_from_a_dead_static_branch() -> None:
    table = _table("/a/b/c", "/a/{x}/d")
    assert table.match("/a/b/c") == ("/a/b/c", [])
    assert table.match("/a/b/d") == ("/a/{x}/d", ["b"])
    assert table.match("/a/b/e") is None


def test_table_backtracking_restores_captures() -> None:
    table = _table("/{a}/{b}/x", "/{a}/y/{c}/z")
    assert table.match("/1/y/3/z") == ("/{a}/y/{c}/z", ["1", "3"])
    assert table.match("/1/2/x") == ("/{a}/{b}/x", ["1", "2"])


def test_table_rest_parameter_takes_remaining_segments() -> None:
    table = _table("/static/{rest:path}", "/static/fixed")
    assert table.match("/static/css/site.css") == ("/static/{rest:path}", ["css/site.css"])
    assert table.match("/static/fixed") == ("/static/fixed", [])
    assert table.match("/static") is None


def test_table_rest_parameter_is_a_fallback_after_deeper_routes() -> None:
    table = _table("/f/{rest:path}", "/f/{id}/meta")
    assert table.match("/f/1/meta") == ("/f/{id}/meta", ["1"])
    assert table.match("/f/1/other") == ("/f/{rest:path}", ["1/other"])


def test_table_mixed_segment_captures_each_part() -> None:
    table = _table("/files/{name}.{ext}")
    assert table.match("/files/report.final.pdf") == (
        "/files/{name}.{ext}",
        ["report", "final.pdf"],
    )
    assert table.match("/files/noext") is None


def test_table_mixed_segment_beats_bare_parameter() -> None:
    table = _table("/files/{id}", "/files/{name}.json")
    assert table.match("/files/data.json") == ("/files/{name}.json", ["data"])
    assert table.match("/files/data.xml") == ("/files/{id}", ["data.xml"])


def test_table_ignores_trailing_slash_and_rejects_empty_parameter() -> None:
    table = _table("/a/{x}")
    assert table.match("/a/1/") == ("/a/{x}", ["1"])
    assert table.match("/a/") is None
    assert table.match("/a//") is None


def test_lookup_cost_depends_on_depth_not_route_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 1,000-route app resolves its last route by walking one tree node per path segment."""

    def make(i: int) -> Any:
        @get(f"/resource{i}/{{item_id:int}}/detail")
        def handler(item_id: int) -> dict[str, int]:
            return {"route": i, "item": item_id}

        return handler

    app = App([make(i) for i in range(1000)])
    root = app.route_table.root
    # one dict entry per first segment, no list to scan
    assert {f"resource{i}" for i in range(1000)} <= set(root.static)

    visits: list[int] = []
    original = routing_module._match

    def counting(
        node: Any, segments: list[str], index: int, captures: list[str], accepts: Any
    ) -> Any:
        visits.append(index)
        return original(node, segments, index, captures, accepts)

    monkeypatch.setattr(routing_module, "_match", counting)
    found = app.route_table.match("/resource999/7/detail")
    assert found is not None and found[1] == ["7"]
    assert visits == [0, 1, 2, 3]  # path depth + 1 nodes, whatever the number of routes
    visits.clear()
    app.route_table.match("/resource0/7/detail")
    assert visits == [0, 1, 2, 3]

    monkeypatch.undo()
    with TestClient(app) as client:
        assert client.get("/resource999/7/detail").json() == {"route": 999, "item": 7}


# --- routing through the app ---------------------------------------------------------------


@get("/users/me")
def me() -> str:
    return "me"


@get("/users/{user_id:int}")
def user(user_id: int) -> dict[str, Any]:
    return {"user_id": user_id}


@get("/a/b/c")
def abc() -> str:
    return "abc"


@get("/a/{x}/d")
def axd(x: str) -> str:
    return f"axd:{x}"


@get("/files/{name}.json")
def json_file(name: str) -> str:
    return f"json:{name}"


@get("/files/{file_id}")
def any_file(file_id: str) -> str:
    return f"file:{file_id}"


@get("/static/{rest:path}")
def static(rest: str) -> str:
    return f"rest:{rest}"


@get("/seg/{value}")
def segment(value: str) -> str:
    return value


@get(["/multi/one", "/multi/{n:int}"])
def multi(n: int = 0) -> int:
    return n


ROUTING_APP = App([me, user, abc, axd, json_file, any_file, static, segment, multi])


@pytest.fixture(scope="module")
def client() -> Any:
    with TestClient(ROUTING_APP) as c:
        yield c


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/users/me", "me"),
        ("/users/12", '{"user_id":12}'),
        ("/a/b/c", "abc"),
        ("/a/b/d", "axd:b"),
        ("/a/zz/d", "axd:zz"),
        ("/files/report.json", "json:report"),
        ("/files/report.csv", "file:report.csv"),
        ("/static/css/site.css", "rest:css/site.css"),
        ("/static/one", "rest:one"),
        ("/multi/one", "0"),
        ("/multi/5", "5"),
        ("/users/12/", '{"user_id":12}'),
    ],
)
def test_app_routes_request(client: TestClient, path: str, body: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.text == body


@pytest.mark.parametrize("path", ["/", "/users", "/a/b", "/a/b/e", "/nope", "/users/12/extra"])
def test_unknown_path_is_404_json(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status_code": 404, "detail": "Not Found"}


def test_typed_parameter_rejects_non_matching_value(client: TestClient) -> None:
    response = client.get("/users/abc")
    assert response.status_code == 400
    assert response.json()["extra"] == [
        {"key": "user_id", "source": "path", "message": "Expected `int`, got `str`"}
    ]


def test_conflicting_routes_fail_at_app_creation() -> None:
    @get("/items/{a}")
    def first(a: str) -> None: ...

    @get("/items/{b:int}")
    def second(b: int) -> None: ...

    with pytest.raises(ImproperlyConfiguredException, match=r"duplicate route.*first.*second"):
        App([first, second])


def test_same_template_different_methods_share_a_route() -> None:
    @get("/things/{thing_id:int}")
    def read(thing_id: int) -> int:
        return thing_id

    @post("/things/{other:int}")
    def write(other: int) -> int:
        return -other

    with TestClient(App([read, write])) as c:
        assert c.get("/things/3").json() == 3
        assert c.post("/things/3").json() == -3


def test_unknown_parameter_type_fails_at_app_creation_naming_the_handler() -> None:
    @get("/items/{item_id:bogus}")
    def bogus_handler(item_id: str) -> None: ...

    with pytest.raises(ImproperlyConfiguredException, match=r"bogus_handler.*unknown path param"):
        App([bogus_handler])


_segment_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/"),
    min_size=1,
    max_size=30,
).filter(lambda s: s not in (".", ".."))


@settings(max_examples=75, deadline=None)
@given(value=_segment_text)
def test_random_path_segments_route_to_the_parameter(client: TestClient, value: str) -> None:
    response = client.get("/seg/" + quote(value, safe=""))
    assert response.status_code == 200
    assert response.text == value


@settings(max_examples=75, deadline=None)
@given(segments=st.lists(_segment_text, min_size=1, max_size=5))
def test_random_rest_paths_are_captured_whole(segments: list[str]) -> None:
    path = "/".join(segments)
    table = _table("/static/{rest:path}", "/static/fixed")
    found = table.match("/static/" + path)
    if path == "fixed":
        assert found == ("/static/fixed", [])
    else:
        assert found == ("/static/{rest:path}", [path])


# --- OpenAPI path keys the router reads as OpenAPI does ------------------------------------


def test_empty_segments_are_routed_as_written() -> None:
    @get("//openapi")
    def root_doc() -> str:
        return "empty first segment"

    @get("/vendor//addons")
    def addons() -> str:
        return "empty middle segment"

    @get("/vendor/addons")
    def named() -> str:
        return "no empty segment"

    with TestClient(App([root_doc, addons, named], openapi_config=None)) as c:
        assert c.get("//openapi").text == "empty first segment"
        assert c.get("/vendor//addons").text == "empty middle segment"
        assert c.get("/vendor/addons").text == "no empty segment"
        assert c.get("/openapi").status_code == 404


def test_a_concrete_path_without_the_method_falls_through_to_a_template() -> None:
    @put("/services/jira")
    def configure_jira() -> str:
        return "jira"

    @get("/services/{slug}")
    def read_service(slug: str) -> str:
        return f"read {slug}"

    with TestClient(App([configure_jira, read_service], openapi_config=None)) as c:
        assert c.get("/services/jira").text == "read jira"
        assert c.put("/services/jira").text == "jira"
        refused = c.delete("/services/jira")
        assert refused.status_code == 405
        assert refused.headers["allow"] == "OPTIONS, PUT"


def test_a_query_string_in_the_path_binds_query_parameters() -> None:
    @get("/users/{user_id}/pic?key={api_key}&size={size:int}")
    def picture(
        user_id: str,
        api_key: Annotated[str, Parameter(path="api_key")],
        size: Annotated[int, Parameter(path="size")],
    ) -> dict[str, Any]:
        return {"user": user_id, "key": api_key, "size": size}

    app = App([picture])
    with TestClient(app) as c:
        assert c.get("/users/7/pic", params={"key": "k", "size": "3"}).json() == {
            "user": "7",
            "key": "k",
            "size": 3,
        }
        missing = c.get("/users/7/pic", params={"size": "3"})
        assert missing.status_code == 400
        assert missing.json()["extra"][0]["key"] == "key"
    document = app.openapi()
    (path,) = document["paths"]
    assert path == "/users/{user_id}/pic?key={api_key}&size={size}"
    parameters = document["paths"][path]["get"]["parameters"]
    assert [(p["name"], p["in"]) for p in parameters] == [
        ("user_id", "path"),
        ("api_key", "path"),
        ("size", "path"),
    ]


def test_a_fragment_is_not_routed_and_its_parameters_never_arrive() -> None:
    @get("/send/#env/partners/{partner_id}/transfers")
    def transfers(partner_id: Annotated[str | None, Parameter(path="partner_id")] = None) -> str:
        return f"partner {partner_id}"

    app = App([transfers])
    with TestClient(app) as c:
        assert c.get("/send/").text == "partner None"
        assert c.get("/send").text == "partner None"
    document = app.openapi()
    assert list(document["paths"]) == ["/send/#env/partners/{partner_id}/transfers"]
    (parameter,) = document["paths"]["/send/#env/partners/{partner_id}/transfers"]["get"][
        "parameters"
    ]
    assert parameter == {
        "name": "partner_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    }


def test_untyped_templates_keep_colons_in_names() -> None:
    @get("/{prefix}/{api_ver:\\d+}/{id:}", typed_params=False)
    def blocklist(
        prefix: str,
        version: Annotated[str, Parameter(path="api_ver:\\d+")],
        ident: Annotated[str, Parameter(path="id:")],
    ) -> list[str]:
        return [prefix, version, ident]

    app = App([blocklist])
    with TestClient(app) as c:
        assert c.get("/p/3/x").json() == ["p", "3", "x"]
    document = app.openapi()
    (path,) = document["paths"]
    assert path == "/{prefix}/{api_ver:\\d+}/{id:}"
    names = [p["name"] for p in document["paths"][path]["get"]["parameters"]]
    assert names == ["prefix", "api_ver:\\d+", "id:"]


def test_a_query_placeholder_that_is_not_a_whole_value_never_arrives() -> None:
    template = parse_path("/a?{x}&k=pre{y}&z={w}")
    assert [(p.name, p.query, p.unsent) for p in template.params] == [
        ("x", None, True),
        ("y", None, True),
        ("w", "z", False),
    ]
    assert template.path == "/a" and template.suffix == "?{x}&k=pre{y}&z={w}"


def test_handlers_of_one_method_and_path_are_told_apart_by_the_query_they_ask_for() -> None:
    @post("/templates?desc=html")
    def from_html() -> str:
        return "html"

    @post("/templates?desc=upload")
    def from_upload() -> str:
        return "upload"

    @get("/top.json")
    def top() -> str:
        return "top"

    @get("/top.json?period={flag}")
    def top_of(flag: Annotated[str, Parameter(path="flag")]) -> str:
        return f"top of {flag}"

    app = App([from_html, from_upload, top, top_of])
    with TestClient(app) as c:
        assert c.post("/templates", params={"desc": "html"}).text == "html"
        assert c.post("/templates", params={"desc": "upload"}).text == "upload"
        assert c.post("/templates", params={"desc": "other"}).status_code == 404
        assert c.get("/top.json").text == "top"
        assert c.get("/top.json", params={"period": "daily"}).text == "top of daily"
        assert c.head("/top.json", params={"period": "daily"}).status_code == 200
    paths = app.openapi()["paths"]
    assert {"/templates?desc=html", "/templates?desc=upload", "/top.json"} <= set(paths)
    assert "/top.json?period={flag}" in paths

    @post("/templates?desc=html")
    def again() -> str:
        return "again"

    with pytest.raises(ImproperlyConfiguredException, match=r"duplicate route.*from_html.*again"):
        App([from_html, again])
