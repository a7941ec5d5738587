"""`@unnamed_properties`: properties no msgspec field can name, documented beside the fields."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
import pytest
from msgspec import UNSET, Meta, UnsetType

from specloom.runtime import App, post
from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.openapi import OpenAPIConfig, unnamed_properties
from specloom.runtime.testing import TestClient

from .helpers import validated


@unnamed_properties(
    {
        'wind"utc': lambda: Annotated[int, Meta(extra_json_schema={"format": "int64"})],
        "back\\slash": lambda: Station,
        "line\nfeed": "list[Station]",
    },
    required=("back\\slash",),
)
class Measure(msgspec.Struct, kw_only=True):
    angle: int | UnsetType = UNSET


class Station(msgspec.Struct, kw_only=True):
    name: str


@post("/measures")
async def add(data: Measure) -> Measure:
    return data


def test_the_properties_are_documented_beside_the_fields() -> None:
    app = App([add], openapi_config=OpenAPIConfig(component_types=[Measure]))
    schemas: dict[str, Any] = validated(app)["components"]["schemas"]
    assert schemas["Measure"]["properties"] == {
        "angle": {"type": "integer"},
        'wind"utc': {"type": "integer", "format": "int64"},
        "back\\slash": {"$ref": "#/components/schemas/Station"},
        "line\nfeed": {"type": "array", "items": {"$ref": "#/components/schemas/Station"}},
    }
    assert schemas["Measure"]["required"] == ["back\\slash"]
    assert "Station" in schemas  # a class only an unnamed property names is a component


def test_they_are_read_as_unknown_keys() -> None:
    with TestClient(App([add])) as client:
        response = client.post("/measures", json={"angle": 1, 'wind"utc': "not checked"})
    assert response.status_code == 201
    assert response.json() == {"angle": 1}


def test_required_names_a_declared_property() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="no property declared"):
        unnamed_properties({"a\\b": int}, required=("other",))
