"""Content negotiation: `media_types=[...]` answers each request in the type its Accept prefers.

The XML form follows OpenAPI's XML object (names, attributes, wrapped arrays), the same rules
the XML request-body reader applies, so what one writes the other reads back.
"""

from __future__ import annotations

import datetime
import enum
from typing import Annotated, Any
from xml.etree import ElementTree

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specloom.runtime import App, MediaType, Response, get, post
from specloom.runtime.datastructures import ResponseHeader
from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.openapi import schema_docs
from specloom.runtime.params import Body
from specloom.runtime.testing import TestClient

XML_JSON = ["application/json", "application/xml"]


class Status(enum.Enum):
    AVAILABLE = "available"
    SOLD = "sold"


@schema_docs(xml={"name": "tag"})
class Tag(msgspec.Struct):
    id: int
    name: str


@schema_docs(xml={"name": "pet"})
class Pet(msgspec.Struct):
    name: str
    id: Annotated[int, msgspec.Meta(extra_json_schema={"xml": {"attribute": True}})] = 0
    photo_urls: Annotated[
        list[Annotated[str, msgspec.Meta(extra_json_schema={"xml": {"name": "photoUrl"}})]],
        msgspec.Meta(extra_json_schema={"xml": {"wrapped": True, "name": "photoUrls"}}),
    ] = msgspec.field(default_factory=list, name="photoUrls")
    tags: list[Tag] = []  # not wrapped: one <tag> per item
    status: Status | msgspec.UnsetType = msgspec.UNSET
    born: datetime.date | None = None
    alive: bool = True


REX = Pet("Rex", 3, ["a", "b<&"], [Tag(1, "good")], Status.SOLD, datetime.date(2020, 1, 2))


def _app() -> App:
    @get("/pet", media_types=XML_JSON)
    async def show() -> Pet:
        return REX

    @get("/pets", media_types=XML_JSON)
    async def index() -> list[Pet]:
        return [REX, Pet("Tom")]

    @get("/wrapped", media_types=XML_JSON, response_headers=[ResponseHeader("vary", "Origin")])
    async def wrapped() -> Response[Pet]:
        return Response(REX, headers={"x-kind": "response"})

    @get("/xml-first", media_type="application/xml", media_types=XML_JSON)
    async def xml_first() -> Pet:
        return REX

    @post("/echo", media_types=XML_JSON)
    async def echo(data: Annotated[Pet, Body(media_types=XML_JSON)]) -> Pet:
        return data

    return App([show, index, wrapped, xml_first, echo])


def test_the_accept_header_picks_the_media_type() -> None:
    with TestClient(_app()) as client:
        default = client.get("/pet")
        assert default.headers["content-type"] == "application/json"
        assert default.json()["photoUrls"] == ["a", "b<&"]
        for accept in ("application/xml", "application/json;q=0.5, */*;q=0.1, application/xml"):
            answer = client.get("/pet", headers={"accept": accept})
            assert answer.headers["content-type"] == "application/xml"
            assert answer.headers["vary"] == "Accept"
        assert client.get("/xml-first").headers["content-type"] == "application/xml"
        assert (
            client.get("/xml-first", headers={"accept": "application/json"}).headers["content-type"]
            == "application/json"
        )


def test_nothing_acceptable_is_406_naming_what_is() -> None:
    with TestClient(_app()) as client:
        answer = client.get("/pet", headers={"accept": "text/html, application/json;q=0"})
    assert answer.status_code == 406
    assert answer.json()["detail"] == (
        "this resource is available as application/json, application/xml only"
    )


def test_xml_by_the_openapi_xml_rules() -> None:
    with TestClient(_app()) as client:
        text = client.get("/pet", headers={"accept": "application/xml"}).content
    assert text.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ElementTree.fromstring(text)
    assert (root.tag, root.attrib) == ("pet", {"id": "3"})
    assert [child.tag for child in root] == [
        "name",
        "photoUrls",
        "tag",
        "status",
        "born",
        "alive",
    ]
    assert [url.text for url in root.iterfind("photoUrls/photoUrl")] == ["a", "b<&"]
    assert root.findtext("tag/name") == "good"
    assert (root.findtext("status"), root.findtext("born"), root.findtext("alive")) == (
        "sold",
        "2020-01-02",
        "true",
    )


def test_an_array_a_response_object_and_layered_headers() -> None:
    with TestClient(_app()) as client:
        many = client.get("/pets", headers={"accept": "application/xml"})
        wrapped = client.get("/wrapped", headers={"accept": "application/xml"})
    root = ElementTree.fromstring(many.content)
    assert root.tag == "items" and [pet.findtext("name") for pet in root] == ["Rex", "Tom"]
    assert ElementTree.fromstring(wrapped.content).findtext("name") == "Rex"
    assert wrapped.headers["x-kind"] == "response"
    assert wrapped.headers["vary"] == "Origin, Accept"


def test_each_media_type_is_documented_with_the_same_schema() -> None:
    operation = _app().openapi()["paths"]["/pet"]["get"]
    content = operation["responses"]["200"]["content"]
    assert content == {
        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
        "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}},
    }


def test_a_response_without_content_is_not_negotiated() -> None:
    @post("/done", status_code=204, media_types=XML_JSON)
    async def done() -> None:
        return None

    with TestClient(App([done])) as client:
        assert client.post("/done", headers={"accept": "text/html"}).status_code == 204


def test_media_type_must_be_one_of_media_types() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="not one of media_types"):
        get("/x", media_type=MediaType.TEXT, media_types=XML_JSON)


@pytest.mark.parametrize(
    "value",
    [{"bad key": 1}, {"ok": "\x00"}],
    ids=["not an XML name", "not XML text"],
)
def test_what_xml_cannot_carry_is_a_500_not_a_broken_document(value: Any) -> None:
    @get("/odd", media_types=XML_JSON)
    async def odd() -> dict[str, Any]:
        return value

    with TestClient(App([odd])) as client:
        assert client.get("/odd").status_code == 200
        assert client.get("/odd", headers={"accept": "application/xml"}).status_code == 500


_XML_CHARS = st.characters(
    codec="utf-8", exclude_categories=["Cs", "Cc"], exclude_characters="\ufffe\uffff"
)


@settings(max_examples=60, deadline=None)
@given(
    st.text(_XML_CHARS, min_size=1),
    st.integers(0, 10**6),
    st.lists(st.text(_XML_CHARS, min_size=1)),
    st.lists(st.builds(Tag, st.integers(), st.text(_XML_CHARS, min_size=1)), max_size=3),
)
def test_what_the_writer_writes_the_reader_reads(
    name: str, pet_id: int, urls: list[str], tags: list[Tag]
) -> None:
    pet = Pet(name, pet_id, urls, tags)
    with TestClient(_app()) as client:
        xml = client.post("/echo", json=msgspec.to_builtins(pet), headers={"accept": "text/xml"})
        assert xml.status_code == 406  # text/xml is not offered
        written = client.post(
            "/echo", json=msgspec.to_builtins(pet), headers={"accept": "application/xml"}
        ).content
        read = client.post(
            "/echo",
            content=written,
            headers={"content-type": "application/xml", "accept": "application/json"},
        )
    assert read.status_code == 201, read.text
    assert msgspec.convert(read.json(), Pet) == pet
