"""A null said by an extension alone (`NULL_BY_EXTENSION`): documented as that extension."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from specloom.runtime import App, get, post
from specloom.runtime.openapi import (
    NULL_BY_EXTENSION,
    OpenAPIConfig,
    inline_schema,
    nullable_component,
    schema_docs,
)
from specloom.runtime.testing import TestClient

from .helpers import operation, validated

REF = "#/components/schemas/"
BY_EXTENSION = {"x-nullable": True, NULL_BY_EXTENSION: "x-nullable"}


@inline_schema
@schema_docs(extensions=BY_EXTENSION)
class Partner(msgspec.Struct):
    """The partner."""

    id: int


@nullable_component
@schema_docs(extensions=BY_EXTENSION)
class Empty(msgspec.Struct):
    pass


class Thing(msgspec.Struct):
    label: Annotated[str | None, Meta(description="short", extra_json_schema=BY_EXTENSION)]
    tags: Annotated[list[str] | None, Meta(extra_json_schema=BY_EXTENSION)]
    partner: Annotated[
        Partner | None, Meta(description="The partner.", extra_json_schema=BY_EXTENSION)
    ]
    owner: Empty | None = None
    plain: str | None = None


def test_null_by_extension_is_the_extension_only() -> None:
    @post("/things")
    async def put_thing(data: Thing) -> Thing:
        return data

    app = App([put_thing], openapi_config=OpenAPIConfig(component_types=[Empty]))
    schemas = validated(app)["components"]["schemas"]
    properties = schemas["Thing"]["properties"]
    assert properties["label"] == {"type": "string", "description": "short", "x-nullable": True}
    assert properties["tags"] == {"type": "array", "items": {"type": "string"}, "x-nullable": True}
    partner = properties["partner"]
    assert partner["type"] == "object" and partner["x-nullable"] is True
    assert partner["properties"] == {"id": {"type": "integer"}}
    # the component says its null by the extension; a use of it (`Empty | None`) is the ref
    assert schemas["Empty"] == {"type": "object", "properties": {}, "x-nullable": True}
    assert properties["owner"] == {"$ref": REF + "Empty", "default": None}
    assert properties["plain"] == {"type": ["string", "null"], "default": None}
    body = operation(app, "post", "/things")["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": REF + "Thing"}


def test_null_by_extension_still_accepts_null() -> None:
    @get("/thing")
    async def get_thing() -> Thing:
        return Thing(label=None, tags=None, partner=None)

    response = TestClient(App([get_thing])).get("/thing")
    assert response.status_code == 200
    assert response.json()["label"] is None and response.json()["partner"] is None
