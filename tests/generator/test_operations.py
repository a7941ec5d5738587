"""Operations: names, parameters, bodies, responses, headers, security, callbacks, webhooks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from specloom.generator.build_ir import parse
from specloom.generator.content import content_kind
from specloom.generator.generate import generate
from specloom.generator.ir import (
    AnyType,
    Api,
    ModelRef,
    NoneType,
    Operation,
    PrimitiveType,
    SecurityRequirement,
)
from specloom.runtime.openapi.runtime_answers import RUNTIME_MARK as RUNTIME
from specloom.runtime.testing import TestClient

from .public_specs import public_spec
from .served import allow_every_credential, fill_handlers, import_app

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def names() -> Api:
    return parse(FIXTURES / "names.yaml")


@pytest.fixture(scope="module")
def responses() -> Api:
    return parse(FIXTURES / "responses.yaml")


@pytest.fixture(scope="module")
def invalid() -> Api:
    return parse(FIXTURES / "invalid_params.yaml")


@pytest.fixture(scope="module")
def upload() -> Api:
    return parse(FIXTURES / "swagger2_upload.yaml")


def _op(api: Api, name: str) -> Operation:
    return next(op for op in api.operations + api.webhooks if op.python_name == name)


def _warned(api: Api, text: str) -> bool:
    return any(text in w.message for w in api.warnings)


def test_operation_names(names: Api) -> None:
    assert [op.python_name for op in names.operations] == [
        "get_users_user_id",  # no operationId: method + path
        "search_items",  # `search#items`
        "class_",
        "upload_thing",
    ]
    assert _op(names, "search_items").operation_id == "search#items"


def test_parameters(names: Api) -> None:
    op = _op(names, "get_users_user_id")
    assert [(p.location, p.name, p.python_name) for p in op.parameters] == [
        ("path", "userId", "user_id"),
        ("query", "from", "from_2"),  # `From` orders first ("F" < "f") and keeps `from_`
        ("query", "From", "from_"),
        ("query", "max-results", "max_results"),
        ("query", "data", "data_"),  # `data` is the body argument
    ]
    assert op.route_path == "/users/{user_id}"
    assert _warned(names, "header parameter 'Accept' is ignored")


def test_invalid_parameters_are_repaired_and_reported(invalid: Api) -> None:
    user = _op(invalid, "get_user")
    assert [(p.name, p.type) for p in user.parameters if p.location == "query"] == [
        ("from", PrimitiveType("str"))
    ]
    assert _warned(invalid, "duplicate query parameter 'from'; the first is kept")
    item = _op(invalid, "get_item")
    assert [(p.name, p.type, p.required) for p in item.parameters] == [
        ("itemId", PrimitiveType("str"), True)
    ]
    assert _warned(invalid, "path parameter 'itemId' is not declared")
    question = _op(invalid, "get_question")
    assert [w.pointer for w in invalid.warnings if "admits null" in w.message] == [
        "/paths/~1questions~1{uin}/get/parameters/0/schema"
    ]
    assert [p.required for p in question.parameters] == [True]


def test_path_problems_are_reported_not_dropped(names: Api) -> None:
    upload = _op(names, "upload_thing")
    assert upload.path == "/<upload_url>" and upload.routable
    assert _warned(names, "routed literally")


def test_swagger2_upload(upload: Api) -> None:
    op = _op(upload, "upload_file")
    assert op.body is not None
    assert (op.body.kind, op.body.media_type, op.body.required) == (
        "multipart",
        "multipart/form-data",
        True,
    )
    body = upload.model("UploadFileBody")
    assert [(f.wire_name, f.type, f.required) for f in body.fields] == [
        ("file", PrimitiveType("bytes", "binary"), True),
        ("note", PrimitiveType("str"), False),
    ]
    assert op.return_type == PrimitiveType("bytes", "binary")
    assert op.responses[0].kind == "binary"
    # in a JSON document octets have no encoding: the string as sent (a part keeps bytes)
    assert upload.model("Archive").fields[0].type == PrimitiveType("str", "binary")
    assert _warned(upload, "'zip' is the string as sent")
    listing = _op(upload, "list_items")
    header = listing.responses[0].headers[0]
    assert (header.name, header.python_name, header.type) == (
        "X-Rate-Limit",
        "x_rate_limit",
        PrimitiveType("int"),
    )
    assert listing.security == ((SecurityRequirement("basic"),),) and listing.security_inherited


def test_a_generated_multipart_body_is_decoded_into_its_model(tmp_path: Path) -> None:
    package = tmp_path / "upload_api"
    generate(FIXTURES / "swagger2_upload.yaml", package)
    operations = (package / "_generated" / "operations.py").read_text()
    assert 'Annotated[m.UploadFileBody, Body(media_types=["multipart/form-data"])]' in operations
    allow_every_credential(package)
    app = import_app(package)
    with TestClient(app) as client:
        # a valid form reaches the stub (501); one without its required file part is a 400;
        # under the spec's basePath (/v1), where its routes are served
        files = {"file": ("a.bin", b"\x00\xff", "application/octet-stream")}
        key = {"Authorization": "Basic dTpw"}  # the API asks for basic auth
        good = client.post("/v1/items/1/upload", files=files, data={"note": "n"}, headers=key)
        assert good.status_code == 501, good.text
        missing = client.post(
            "/v1/items/1/upload", data={"note": "n"}, files={"x": ("b", b"1")}, headers=key
        )
        assert missing.status_code == 400
        assert [entry["key"] for entry in missing.json()["extra"]] == ["file"]


def test_response_kinds_and_headers(responses: Api) -> None:
    download = _op(responses, "download")
    assert download.security == () and not download.security_inherited
    response = download.responses[0]
    assert response.kind == "binary" and response.status_code == 200
    etag, cache, rate = response.headers
    assert etag.is_etag and etag.required and not etag.is_cache_control
    assert cache.is_cache_control and cache.python_name == "cache_control"
    assert rate.type == PrimitiveType("int") and rate.description == "left"
    assert _op(responses, "events").responses[0].kind == "sse"
    lines = _op(responses, "lines")
    assert lines.responses[0].kind == "stream" and lines.return_type == ModelRef("LinesResponse")
    moved = _op(responses, "moved")
    assert moved.responses[0].kind == "redirect" and moved.status_code == 301
    assert moved.return_type == NoneType()
    echo = _op(responses, "echo")
    assert echo.body is not None and echo.body.kind == "text"
    assert [r.kind for r in echo.responses] == ["text", "json"]
    assert echo.responses[1].status == "default" and echo.responses[1].status_code is None


def test_body_media_types(responses: Api) -> None:
    body = _op(responses, "submit_form").body
    assert body is not None
    assert body.media_type == "application/json" and body.type == ModelRef("Form")
    assert [(c.media_type, c.kind, c.type) for c in body.content] == [
        ("application/xml", "text", ModelRef("Form")),  # a request body in XML is decoded
        ("application/x-www-form-urlencoded", "form", ModelRef("Form")),
        ("application/json", "json", ModelRef("Form")),
    ]
    assert not _warned(responses, "application/xml content with a structured schema")
    assert _op(responses, "submit_form").status_code == 204


def test_security(responses: Api) -> None:
    schemes = {s.name: s for s in responses.security_schemes}
    assert schemes["bearer"].kind == "http_bearer" and schemes["bearer"].bearer_format == "JWT"
    assert (schemes["cookie"].location, schemes["cookie"].parameter_name) == ("cookie", "session")
    assert schemes["oidc"].kind == "open_id_connect"
    flow = schemes["oauth"].flows[0]
    assert (flow.kind, flow.scopes) == ("clientCredentials", {"admin": "everything"})
    events = _op(responses, "events")
    assert events.security == (
        (SecurityRequirement("oauth", ("admin",)), SecurityRequirement("cookie")),
        (),  # `{}`: anonymous access is an alternative
    )


def test_webhooks(responses: Api) -> None:
    (hook,) = responses.webhooks
    assert (hook.kind, hook.path, hook.method, hook.python_name) == (
        "webhook",
        "newThing",
        "post",
        "post_new_thing",
    )


def test_callbacks() -> None:
    api = parse(public_spec("OAI__learn.openapis.org/examples/v3.0/callback-example.yaml"))
    (op,) = api.operations
    assert op.python_name == "post_streams"
    (callback,) = op.callbacks
    assert callback.kind == "callback" and callback.callback_name == "onData"
    assert callback.path == "{$request.query.callbackUrl}/data"
    assert callback.python_name == "post_streams_on_data_post"
    assert callback.body is not None and isinstance(callback.body.type, ModelRef)


@pytest.mark.parametrize(
    ("media_type", "kind"),
    [
        ("application/json; charset=utf-8", "json"),
        ("application/vnd.api+json", "json"),
        ("text/event-stream", "sse"),
        ("application/x-ndjson", "stream"),
        ("image/png", "binary"),
        ("text/csv", "text"),
        ("multipart/mixed", "multipart"),
    ],
)
def test_content_kind(media_type: str, kind: str) -> None:
    assert content_kind(media_type, AnyType()) == kind


def test_structured_star_content_is_json() -> None:
    assert content_kind("*/*", ModelRef("X")) == "json"
    assert content_kind("*/*", PrimitiveType("str")) == "text"
    assert content_kind("*/*", AnyType()) == "binary"


def test_duplicate_operation_ids_are_suffixed_and_reported(build: Callable[..., Api]) -> None:
    api = build("""\
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    get: {operationId: fetch, responses: {'200': {description: ok}}}
  /b:
    get: {operationId: fetch, responses: {'200': {description: ok}}}
""")
    assert [op.python_name for op in api.operations] == ["fetch", "fetch_2"]
    assert any(
        "operationId 'fetch' is also used by #/paths/~1a/get" in w.message for w in api.warnings
    )


def test_a_generated_xml_body_is_decoded_into_its_model(tmp_path: Path) -> None:
    package = tmp_path / "xml_api"
    generate(FIXTURES / "responses.yaml", package)
    operations = (package / "_generated" / "operations.py").read_text()
    assert '"application/xml"' in operations  # accepted beside JSON and the URL-encoded form
    # the user's body: answer with what arrived, through an exception's detail
    fill_handlers(
        package,
        {"POST /forms": 'raise ClientException(f"name={data.name}")'},
        imports="from specloom.runtime.exceptions import ClientException",
    )
    allow_every_credential(package)
    app = import_app(package)
    bearer = {"Authorization": "Bearer t"}
    with TestClient(app) as client:
        for content_type, body in [
            ("application/xml", b"<form><name>Rex</name></form>"),
            ("application/x-www-form-urlencoded", b"name=Rex"),
            ("application/json", b'{"name": "Rex"}'),
        ]:
            headers = {**bearer, "content-type": content_type}
            response = client.post("/forms", content=body, headers=headers)
            assert response.json()["detail"] == "name=Rex", content_type
        bad = client.post(
            "/forms", content=b"<form><name>", headers={**bearer, "content-type": "application/xml"}
        )
        assert bad.status_code == 400 and bad.json()["detail"].startswith("Validation failed")


def test_a_generated_server_answers_json_or_xml_as_accepted(tmp_path: Path) -> None:
    package = tmp_path / "negotiation_api"
    generate(FIXTURES / "negotiation.yaml", package)
    operations = (package / "_generated" / "operations.py").read_text()
    assert 'media_types=["application/json", "application/xml"]' in operations
    fill_handlers(
        package,
        {
            "GET /pets/{petId}": "return m.Pet(id=pet_id, name='Rex', photo_urls=['a.png'])",
            "GET /pets": "return [m.Pet(id=1, name='Rex'), m.Pet(id=2, name='Tom')]",
            "PUT /pets/{petId}/name": "raise ClientException(data)",  # a 400: detail = name
        },
        imports="from specloom.runtime.exceptions import ClientException",
    )
    app = import_app(package)
    with TestClient(app) as client:
        as_json = client.get("/pets/7")
        assert as_json.json() == {"id": 7, "name": "Rex", "photoUrls": ["a.png"]}
        as_xml = client.get("/pets/7", headers={"accept": "application/xml"})
        assert as_xml.headers["content-type"] == "application/xml"
        assert as_xml.content.endswith(
            b'<pet id="7"><name>Rex</name><photoUrls><photoUrl>a.png</photoUrl></photoUrls></pet>'
        )
        assert client.get("/pets/7", headers={"accept": "text/html"}).status_code == 406
        # a request body too: JSON carries a JSON string, text/plain the text itself
        for content_type, body in [("application/json", b'"Kiwi"'), ("text/plain", b"Kiwi")]:
            renamed = client.put(
                "/pets/7/name", content=body, headers={"content-type": content_type}
            )
            assert renamed.json()["detail"] == "Kiwi", content_type
        only_xml = client.get("/pets")
        assert only_xml.headers["content-type"] == "application/xml"
        assert only_xml.content.endswith(
            b'<items><pet id="1"><name>Rex</name></pet><pet id="2"><name>Tom</name></pet></items>'
        )


def test_every_media_type_is_documented_with_its_schema_and_served_as_before(
    tmp_path: Path,
) -> None:
    """Media types beyond the negotiated ones, schemas written otherwise than the content is
    handled (`type: string` on an image, an object on text) and media types without a schema
    are declared by `content={...}`; no success response is invented where the spec writes
    none. What the handlers send is what it was."""
    package = tmp_path / "media_api"
    result = generate(FIXTURES / "media_types.yaml", package)
    operations = (package / "_generated" / "operations.py").read_text()
    assert '"text/csv": m.Report,' in operations
    assert 'content={"image/png": str}' in operations
    assert '"text/plain": ContentSpec()' in operations
    assert operations.count("success_in_schema=False") == 3
    messages = [w.message for w in result.warnings]
    assert any(m.startswith("a 204 response has no content (RFC 9110)") for m in messages)
    fill_handlers(
        package,
        {
            "GET /reports/{id}": "return m.Report(id=id, title='Q1')",
            "GET /jobs": "return ['a']",
            "POST /jobs": "return None",
            "DELETE /reports/{id}/archive": "return None",
            "POST /reports": "return data",
            "PUT /reports/{id}/scan": "assert data == b'PNG'",
        },
    )
    app = import_app(package)
    with TestClient(app) as client:
        assert client.get("/reports/1").json() == {"id": 1, "title": "Q1"}
        as_xml = client.get("/reports/1", headers={"accept": "application/xml"})
        assert as_xml.content.endswith(b'<report id="1"><title>Q1</title></report>')
        # documented only: the handler sends what it returns, in the media types it encodes
        assert client.get("/reports/1", headers={"accept": "text/csv"}).status_code == 406
        jobs = client.get("/jobs")
        assert (jobs.status_code, jobs.json()) == (200, ["a"])
        assert client.post("/jobs").status_code == 201
        assert client.delete("/reports/1/archive").status_code == 204
        added = client.post("/reports", json={"id": 2, "title": "Q2"})
        assert (added.status_code, added.json()) == (201, {"id": 2, "title": "Q2"})
        csv = {"content-type": "text/csv"}
        assert client.post("/reports", content=b"id,title", headers=csv).status_code == 415
        png = {"content-type": "image/png"}
        assert client.put("/reports/1/scan", content=b"PNG", headers=png).status_code == 204
    responses = app.openapi()["paths"]["/jobs"]
    documented = [  # the spec's responses; the runtime's own (a stub's 501) are marked apart
        [code for code, answer in responses[m]["responses"].items() if not answer.get(RUNTIME)]
        for m in ("get", "post", "delete")
    ]
    assert documented == [
        ["2XX"],
        ["default"],
        ["404", "409"],
    ]


def test_a_generated_untagged_union_decodes_member_by_member(tmp_path: Path) -> None:
    package = tmp_path / "untagged_api"
    generate(FIXTURES / "untagged.yaml", package)
    models = (package / "_generated" / "models.py").read_text()
    assert "    Payment: TypeAlias = Card | Bank\n" in models  # what mypy sees
    assert "    class Payment(UntaggedUnion):" in models  # what msgspec sees
    fill_handlers(package, {"POST /payments": "return data", "POST /orders": "return data"})
    app = import_app(package)
    with TestClient(app) as client:
        card = client.post("/payments", json={"number": "4242"})
        assert (card.status_code, card.json()) == (201, {"number": "4242"})
        order = {"payments": [{"iban": "DE00"}, {"number": "1"}], "note": {"iban": "X"}}
        assert client.post("/orders", json=order).json() == order
        neither = client.post("/orders", json={"payments": [{"iban": 1}]})
        assert neither.status_code == 400
        assert neither.json()["extra"][0]["key"] == "payments[0]"


def test_what_no_value_satisfies_is_generated_as_written(tmp_path: Path) -> None:
    """A union closed by `additionalProperties: false` and a required key it forbids (Jira's
    spec has both): served as the spec says, so such values are refused, and reported."""
    package = tmp_path / "strict_api"
    result = generate(FIXTURES / "untagged.yaml", package)
    models = (package / "_generated" / "models.py").read_text()
    assert "        closed = True  # additionalProperties: false: no key is allowed\n" in models
    assert '    default_screen: Nothing = msgspec.field(name="defaultScreen")\n' in models
    pointers = {w.pointer for w in result.warnings}
    assert {"/components/schemas/Condition", "/components/schemas/Screens"} <= pointers
    fill_handlers(package, {"POST /rules": "return None"})
    app = import_app(package)
    with TestClient(app) as client:
        assert client.post("/rules", json={"conditions": []}).status_code == 204
        simple = client.post("/rules", json={"conditions": [{"node": "simple", "check": "x"}]})
        screens = client.post("/rules", json={"screens": {"default": 1, "defaultScreen": 2}})
    assert (simple.status_code, simple.json()["extra"][0]["key"]) == (400, "conditions[0]")
    assert (screens.status_code, screens.json()["extra"][0]["key"]) == (
        400,
        "screens.defaultScreen",
    )


def test_generated_property_bounds_are_checked(tmp_path: Path) -> None:
    package = tmp_path / "bounds_api"
    generate(FIXTURES / "bounds.yaml", package)
    models = (package / "_generated" / "models.py").read_text()
    assert "    @properties_between(1, 2)\n    def __post_init__(self) -> None:\n" in models
    fill_handlers(package, {"POST /nodes": "return data"})
    app = import_app(package)
    with TestClient(app) as client:
        assert client.post("/nodes", json={"a": 1, "c": 3}).json() == {"a": 1, "c": 3}
        for body, message in [
            ({}, "Object has 0 properties, expected at least 1"),
            ({"a": 1, "b": 2, "c": 3}, "Object has 3 properties, expected at most 2"),
        ]:
            answer = client.post("/nodes", json=body)
            assert answer.status_code == 400
            assert answer.json()["extra"][0]["message"] == message


def test_generated_typed_extra_keys_are_kept_and_checked(tmp_path: Path) -> None:
    """additionalProperties beside properties: the extra keys are typed, kept and sent back."""
    package = tmp_path / "extra_keys_api"
    generate(FIXTURES / "bounds.yaml", package)
    models = (package / "_generated" / "models.py").read_text()
    assert "class Event(msgspec.Struct, kw_only=True, dict=True):" in models
    assert '    extra_keys_ = ExtraKeys["Tally"]()\n' in models  # `extra_keys` is a field
    fill_handlers(package, {"POST /events": "return data"})
    app = import_app(package)
    with TestClient(app) as client:
        event = {"kind": "k", "extra_keys": "a field", "a": {"count": 1}, "b": {"count": 2}}
        assert client.post("/events", json=event).json() == event
        bad = client.post("/events", json={"kind": "k", "a": {"count": -1}})
        assert bad.status_code == 400
        assert bad.json()["extra"] == [
            {
                "key": "a.count",
                "source": "body",
                "message": "Expected `int` >= 0",
                "pointer": "/a/count",
            }
        ]


def test_generated_array_parts_and_query_objects_are_served(tmp_path: Path) -> None:
    """A multipart array body: one item per part; a query array of objects: JSON per value."""
    package = tmp_path / "serialization_api"
    result = generate(FIXTURES / "serialization.yaml", package)
    operations = (package / "_generated" / "operations.py").read_text()
    assert 'Body(media_types=["application/json", "multipart/form-data"])' in operations
    assert "list[m.Property] | None, Parameter(" in operations
    assert [w.message for w in result.warnings if "array of objects" in w.message] == [
        f"query parameter {name!r} is an array of objects, which OpenAPI gives no "
        "serialization: specloom's is one item per occurrence, each its JSON"
        for name in ("properties", "labels")
    ]
    fill_handlers(
        package,
        {
            "PUT /columns": "return data",
            "POST /attachments": "return [len(part) for part in data]",
            "GET /projects": "return [*(properties or []), "
            "*(m.Property(key=k) for label in labels for k in label)]",
        },
    )
    app = import_app(package)
    with TestClient(app) as client:
        columns = [("columns", (None, "summary")), ("columns", (None, "status"))]
        assert client.put("/columns", files=columns).json() == ["summary", "status"]
        assert client.put("/columns", json=["key"]).json() == ["key"]
        files = [("f", ("a.bin", b"\x00\xff")), ("f", ("b.bin", b"123"))]
        assert client.post("/attachments", files=files).json() == [2, 3]
        query = {"properties": ['{"key": "a", "min": 1}'], "labels": ['{"b": "x"}']}
        assert client.get("/projects", params=query).json() == [
            {"key": "a", "min": 1},
            {"key": "b"},
        ]
        bad = client.get("/projects", params={"labels": "{}", "properties": '{"min": 1}'})
        assert bad.status_code == 400
        assert [(e["key"], e["source"]) for e in bad.json()["extra"]] == [("properties", "query")]


def test_refs_by_encoded_pointer_into_a_response_are_served(tmp_path: Path) -> None:
    """`$ref`s whose fragment is percent-encoded, into another operation's 2.0 response
    schema: the parts are typed as the schema they point at."""
    package = tmp_path / "pointer_refs_api"
    result = generate(FIXTURES / "pointer_refs.yaml", package)
    assert result.warnings == []
    fill_handlers(
        package,
        {"GET /lexeme/{id}": 'return m.GetLexemeResponse(lemma=id, glosses=[m.Gloss(text="a")])'},
    )
    app = import_app(package)
    with TestClient(app) as client:
        answer = client.get("/lexeme/kth")
        assert answer.json() == {"lemma": "kth", "glosses": [{"text": "a"}]}
        # written inline in the spec, so inline in the document too
        answered = app.openapi()["paths"]["/lexeme/{id}"]["get"]["responses"]["200"]
        lexeme = answered["content"]["application/json"]["schema"]
        assert lexeme["properties"]["lemma"] == {"type": "string", "minLength": 1}
        assert lexeme["properties"]["glosses"]["items"] == {"$ref": "#/components/schemas/Gloss"}


def test_yaml_12_text_is_generated_and_served_as_written(tmp_path: Path) -> None:
    """LS and NEL are content, not line breaks; control characters inside quotes are kept."""
    package = tmp_path / "yaml12_api"
    generate(FIXTURES / "yaml12_text.yaml", package)
    handlers = package / "handlers" / "default.py"  # its docstring is the description
    body = '    return [m.Note(text="t", kind=m.NoteKind("odd\\x80"))]'
    handlers.write_text(handlers.read_text().replace("    raise NotImplementedError", body))
    app = import_app(package)
    with TestClient(app) as client:
        assert client.get("/notes").json() == [{"text": "t", "kind": "odd\x80"}]
    document = app.openapi()
    assert "paragraph.\u2028\u2028Still the same line" in document["info"]["description"]
    assert document["paths"]["/notes"]["get"]["description"] == "Notes \x83 as written\x85 kept"


def test_generated_float_enums_refuse_other_numbers(tmp_path: Path) -> None:
    """`enum`/`const` of non-integer numbers (no `Literal` holds a float): a NumberEnum, which
    refuses every other value in bodies and parameters and is documented as the `enum`."""
    package = tmp_path / "values_api"
    generate(FIXTURES / "values.yaml", package)
    models = (package / "_generated" / "models.py").read_text()
    assert "    Level: TypeAlias = float\n" in models  # what mypy sees
    assert "    class Level(NumberEnum):" in models  # what msgspec sees
    fill_handlers(
        package,
        {"POST /readings": "return data", "GET /stations": "return m.Station(lat=lat)"},
    )
    app = import_app(package)
    with TestClient(app) as client:
        reading = {"level": 3.65, "scale": None, "unit": 1.25, "levels": [5, 2.4]}
        assert client.post("/readings", json=reading).json() == {**reading, "levels": [5.0, 2.4]}
        assert client.post("/readings", json={"level": 3.65}).json()["unit"] == 2
        for bad in ({"level": 3.6}, {"level": 3.65, "scale": 1.0}, {"level": "2.4"}):
            assert client.post("/readings", json=bad).status_code == 400
        assert client.get("/stations", params={"Lat": "38.8978168"}).json() == {"lat": 38.8978168}
        refused = client.get("/stations", params={"Lat": "38.9", "ratio": "0.5"})
        assert refused.status_code == 400
        assert refused.json()["extra"] == [
            {"key": "Lat", "source": "query", "message": "Expected one of 38.8978168, got 38.9"}
        ]
        assert client.get("/stations", params={"ratio": "0.25"}).status_code == 400
        # `type: number, enum: [500]`: 500.0 is the same number
        assert client.get("/stations", params={"Radius": "500.0"}).status_code == 200
        schemas = client.get("/schema/openapi.json").json()["components"]["schemas"]
    assert schemas["Level"] == {
        "type": "number",
        "enum": [2.4, 3.65, 5],
        "description": "a quality level",
    }


def test_generated_null_types_take_null_only(tmp_path: Path) -> None:
    """`type: "null"` bodies, properties, components and parameters, and `default: null`."""
    package = tmp_path / "nulls_api"
    generate(FIXTURES / "nulls.yaml", package)
    models = (package / "_generated" / "models.py").read_text()
    expected = 'Annotated[None, Meta(description="always null"), component("Empty")]\n'
    assert f"Empty: TypeAlias = {expected}" in models
    fill_handlers(
        package,
        {
            "POST /nothing": "return m.Thing(label=note and m.ThingLabel(note))",
            "PUT /things": "return data or m.Thing()",
        },
    )
    app = import_app(package)
    null = {"content": b"null", "headers": {"Content-Type": "application/json"}}
    with TestClient(app) as client:
        assert client.post("/nothing", **null).json() == {"maybe": None, "label": None}
        assert client.post("/nothing?note=a", **null).json()["label"] == "a"
        assert client.post("/nothing", content=b"1", headers=null["headers"]).status_code == 400
        assert client.post("/nothing").status_code == 400  # the body is required
        for marker, status in (("", 400), ("x", 400), ("null", 200)):  # text as null reads
            assert client.post(f"/nothing?marker={marker}", **null).status_code == status
        empty = {"X-Empty": "x", "Content-Type": "application/json"}
        assert client.post("/nothing", content=b"null", headers=empty).status_code == 400
        thing = {"gone": None, "maybe": None, "label": None, "empty": None}
        assert client.put("/things", json=thing).json() == thing
        for bad_thing in ({"gone": 1}, {"empty": "x"}, {"label": "c"}):
            assert client.put("/things", json=bad_thing).status_code == 400


def test_a_response_of_only_null_is_reported(tmp_path: Path) -> None:
    spec = tmp_path / "null_response.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /n:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n"
        "          content: {application/json: {schema: {type: 'null'}}}\n"
    )
    result = generate(spec, tmp_path / "null_response_api")
    assert [w.pointer for w in result.warnings] == ["/paths/~1n/get/responses/200"]
    assert "served as no content" in result.warnings[0].message


def test_generated_discriminators_tag_inherited_properties_and_schema_names(
    tmp_path: Path,
) -> None:
    """A tag property a base declares (and a member may declare again) is the tag, declared
    once; with no mapping, the tag values are the schema names as the spec writes them."""
    package = tmp_path / "discriminators_api"
    generate(FIXTURES / "discriminators.yaml", package)
    models = (package / "_generated" / "models.py").read_text()
    assert 'class Circle(msgspec.Struct, kw_only=True, tag_field="kind", tag="circle"):' in models
    assert (
        'class CatV2(msgspec.Struct, kw_only=True, tag_field="pet_type", tag="cat_v2"):' in models
    )
    fill_handlers(package, {"POST /shapes": "return data", "POST /pets": "return data"})
    app = import_app(package)
    with TestClient(app) as client:
        shapes = [{"kind": "circle", "radius": 1.5}, {"kind": "square", "side": 2.0}]
        for shape in [*shapes, {"kind": "triangle", "sides": 3}]:
            assert client.post("/shapes", json=shape).json() == shape
        for kind in ("hexagon", "pentagon"):  # no mapping value: no member
            assert client.post("/shapes", json={"kind": kind}).status_code == 400
        cat = {"pet_type": "cat_v2", "lives": 9}
        assert client.post("/pets", json=cat).json() == cat
        assert client.post("/pets", json={"pet_type": "Dog"}).json() == {"pet_type": "Dog"}
        assert client.post("/pets", json={"pet_type": "CatV2"}).status_code == 400
        schemas = client.get("/schema/openapi.json").json()["components"]["schemas"]
    # the tag property as the spec has it: the base's description, an open string; Square is
    # written as the spec composed it (allOf of Shape), which says the tag property already
    assert schemas["Square"]["allOf"][0] == {"$ref": "#/components/schemas/Shape"}
    assert "kind" not in schemas["Square"]["allOf"][1]["properties"]
    assert schemas["Shape"]["properties"]["kind"] == {
        "type": "string",
        "description": "what the shape is",
    }
    assert schemas["Circle"]["allOf"][1]["properties"]["kind"]["enum"] == ["circle"]
    # a tag property that is one of an enum's values is documented as that enum
    assert schemas["Triangle"]["properties"]["kind"]["enum"] == ["triangle", "hexagon"]


_SHARED_PARAMETER = """\
openapi: 3.1.0
info: {title: shared, version: "1"}
components:
  parameters:
    limit:
      name: limit
      in: query
      description: How many.
      schema: {type: integer, minimum: 1}
paths:
  /a:
    get:
      operationId: listA
      parameters: [{$ref: "#/components/parameters/limit"}]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: integer}}}}}
  /b:
    get:
      operationId: listB
      parameters:
        - {$ref: "#/components/parameters/limit"}
        - {name: page, in: query, description: Which, schema: {type: integer}}
      responses: {"200": {description: ok, content: {application/json: {schema: {type: integer}}}}}
  /c:
    get:
      operationId: listC
      parameters:
        - {name: limit, in: query, description: Another, schema: {type: integer, minimum: 1}}
      responses: {"200": {description: ok, content: {application/json: {schema: {type: integer}}}}}
"""


def test_a_parameter_operations_share_is_one_alias_they_all_name(tmp_path: Path) -> None:
    """An alias that says what an earlier one says names it (one object at import and for the
    app); one that differs (another description) keeps its own; each is served and documented
    as before."""
    spec = tmp_path / "shared.yaml"
    spec.write_text(_SHARED_PARAMETER)
    package = tmp_path / "shared_alias_api"
    generate(spec, package)
    operations = (package / "_generated" / "operations.py").read_text()
    assert "ListBLimit: TypeAlias = ListALimit\n" in operations
    assert "ListCLimit: TypeAlias = Annotated[" in operations
    fill_handlers(package, {f"GET /{p}": "return limit" for p in "abc"})
    app = import_app(package)
    with TestClient(app) as client:
        for path in ("/a", "/b", "/c"):
            assert client.get(path, params={"limit": 3}).json() == 3
            assert client.get(path, params={"limit": 0}).status_code == 400
    described = {
        path: [(p["name"], p.get("description")) for p in item["get"]["parameters"]]
        for path, item in app.openapi()["paths"].items()
    }
    assert described == {
        "/a": [("limit", "How many.")],
        "/b": [("limit", "How many."), ("page", "Which")],
        "/c": [("limit", "Another")],
    }


def test_a_required_parameter_that_allows_null_is_required(tmp_path: Path) -> None:
    """`required: true` with null in its schema: sent on every request, its schema keeps null.
    `T | None` alone, with no default, reads as optional, so the marker says required."""
    package = tmp_path / "required_nullable"
    generate(FIXTURES / "required_nullable.yaml", package)
    operations = (package / "_generated" / "operations.py").read_text()
    assert 'Parameter(query="label", required=True)' in operations
    assert 'Parameter(header="X-Trace", required=True)' in operations
    assert 'Parameter(query="note")' in operations  # optional: None when absent
    fill_handlers(
        package,
        {"GET /items": "return {'after': str(after), 'label': label, 'x_trace': x_trace}"},
    )
    app = import_app(package)
    document = app.openapi()
    parameters = {p["name"]: p for p in document["paths"]["/items"]["get"]["parameters"]}
    assert parameters["label"]["required"] is True
    assert sorted(parameters["label"]["schema"]["type"]) == ["null", "string"]
    assert sorted(parameters["X-Trace"]["schema"]["type"]) == ["integer", "null"]
    assert parameters["note"]["required"] is False
    sent = {
        "after": "0b5e6a52-0d4c-4c1e-9a53-3f0f3c1f2d6e",
        "label": "x",
        "shared": "7d0b6d3a-9a2e-4a0e-8d57-6f7d1c0e2b11",
        "kind": "a",
        "kinds": "b",
    }
    headers = {"X-Trace": "7"}
    with TestClient(app) as client:
        client.cookies.set("session", "s")
        answered = client.get("/items", params=sent, headers=headers)
        assert answered.status_code == 200, answered.text
        assert answered.json() == {"after": sent["after"], "label": "x", "x_trace": 7}
        for left_out in ("label", "after"):
            missing = client.get("/items", params={k: v for k, v in sent.items() if k != left_out})
            assert missing.status_code == 400, missing.text
            assert left_out in missing.text
