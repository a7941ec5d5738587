"""Path keys served as OpenAPI reads them: one path per method, query strings, fragments,
names with colons, empty segments, and regeneration of an operation that is not routed."""

from __future__ import annotations

import shutil
from pathlib import Path

from specloom.generator.build_ir import parse
from specloom.generator.generate import generate
from specloom.generator.merge import NOT_ROUTED_MARKER
from specloom.runtime.testing import TestClient

from .served import fill_handlers, import_app

FIXTURES = Path(__file__).parent / "fixtures"


def test_one_method_and_path_is_served_by_the_first_operation(tmp_path: Path) -> None:
    api = parse(FIXTURES / "same_path.yaml")
    by_name = {op.python_name: op for op in api.operations}
    assert by_name["get_collection_by_slug"].shadowed_by == "get_collection_by_id"
    assert not by_name["get_collection_by_slug"].routable
    assert by_name["things_by_path"].shadowed_by == "things_by_name"
    assert by_name["delete_collection"].routable  # another method of the same path
    warning = next(w for w in api.warnings if "get_collection_by_slug" in w.message)
    assert warning.pointer == "/paths/~1collection~1{slug}/get" and warning.line == 14
    assert "GET /collection/{slug} is GET /collection/{id}" in warning.message

    package = tmp_path / "same_path_pkg"
    generate(FIXTURES / "same_path.yaml", package)
    handlers = (package / "handlers" / "default.py").read_text()
    assert f"{NOT_ROUTED_MARKER}\nasync def get_collection_by_slug(" in handlers
    again = generate(FIXTURES / "same_path.yaml", package, check=True)
    assert (again.written, again.changes) == ([], []), "written as a rerun leaves it"
    fill_handlers(
        package,
        {
            "GET /collection/{id}": "return f'by id {id}'",
            "DELETE /collection/{slug}": "return None",
            "GET /things#byName": "return 'by name'",
        },
    )
    app = import_app(package)
    with TestClient(app) as client:
        assert client.get("/collection/7").json() == "by id 7"
        assert client.delete("/collection/seven").status_code == 204
        assert client.get("/things").json() == "by name"
    # the unrouted operations are still documented, under their own paths (as the spec has them)
    paths = app.openapi()["paths"]
    assert set(paths["/collection/{slug}"]) == {"get", "delete"}
    assert paths["/collection/{slug}"]["get"]["operationId"] == "getCollectionBySlug"
    assert set(paths["/things#byPath"]) == {"get"}


def test_regeneration_routes_a_marked_handler_once_its_path_is_its_own(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    shutil.copy(FIXTURES / "same_path.yaml", spec)
    package = tmp_path / "regen_pkg"
    generate(spec, package)
    handlers = package / "handlers" / "default.py"
    handlers.write_text(handlers.read_text().replace('"""GET /collection/{slug}"""', "# mine"))
    # the spec is repaired: the slug operation gets a path of its own
    spec.write_text(spec.read_text().replace("/collection/{slug}:", "/collections/{slug}:"))
    result = generate(spec, package)
    text = handlers.read_text()
    assert "@op.get_collection_by_slug\nasync def get_collection_by_slug(" in text
    assert "# mine" in text and text.count(NOT_ROUTED_MARKER) == 1  # things_by_path still
    assert any(c.function == "get_collection_by_slug" for c in result.changes)
    # and back: a routed handler whose path another operation takes is unrouted, kept, marked
    spec.write_text(spec.read_text().replace("/collections/{slug}:", "/collection/{slug}:"))
    generate(spec, package)
    text = handlers.read_text()
    assert f"{NOT_ROUTED_MARKER}\nasync def get_collection_by_slug(" in text
    assert "# mine" in text


def test_path_keys_are_served_as_what_they_mean(tmp_path: Path) -> None:
    api = parse(FIXTURES / "path_keys.yaml")
    messages = " | ".join(w.message for w in api.warnings)
    assert "{apiKey} is read from the query parameter 'key'" in messages
    assert "requests with the query 'desc=html' go to it" in messages
    assert not any(op.shadowed_by for op in api.operations)
    assert "partnerId never arrive (in no path segment or whole query value): None" in messages
    package = tmp_path / "path_keys_pkg"
    generate(FIXTURES / "path_keys.yaml", package)
    fill_handlers(
        package,
        {
            "GET /boards/{boardId}": "return f'board {board_id}'",
            "GET /users/{userId}/pic?key={apiKey}": "return f'{user_id} {api_key}'",
            "GET /send/#env/partners/{partnerId}/transfers": "return f'partner {partner_id}'",
            "GET /{prefix}/{api_ver:\\\\d+}/{insight_id:}": (
                "return [prefix, api_ver_d, insight_id]"
            ),
            "POST /templates?desc=html": "return 'html'",
            "POST /templates?desc=upload": "return 'upload'",
            "GET /top.json": "return 'top'",
            "GET /top.json?period={flag}": "return f'top of {flag}'",
            "GET //openapi": "return 'root'",
            "GET /vendor//addons": "return 'addons'",
            "GET /services/{slug}": "return f'service {slug.value}'",
        },
    )
    app = import_app(package)
    with TestClient(app) as client:
        assert client.get("/boards/3").json() == "board 3"
        assert client.put("/boards/3").status_code == 501  # the other method, same route
        assert client.get("/users/u1/pic", params={"key": "k1"}).json() == "u1 k1"
        assert client.get("/users/u1/pic").status_code == 400  # the key is required
        assert client.get("/send/").json() == "partner None"
        assert client.get("/p/3/x").json() == ["p", "3", "x"]
        assert client.post("/templates", params={"desc": "html"}).json() == "html"
        assert client.post("/templates", params={"desc": "upload"}).json() == "upload"
        assert client.get("/top.json").json() == "top"
        assert client.get("/top.json", params={"period": "daily"}).json() == "top of daily"
        assert client.get("//openapi").json() == "root"
        assert client.get("/vendor//addons").json() == "addons"
        assert client.get("/services/jira").json() == "service jira"
        assert client.put("/services/jira").status_code == 501
    callback = app.openapi()["paths"]["/webhooks"]["post"]["callbacks"]["event"]
    assert callback["{webhookURL}"]["post"]["parameters"][0]["name"] == "webhookURL"
