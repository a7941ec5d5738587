"""Documentation a spec writes that the runtime gives back as written: parameters serialized as
a media type, request body encodings, empty example maps, operation ids."""

from __future__ import annotations

from typing import Annotated

from specloom.runtime import App, get
from specloom.runtime.params import Parameter
from specloom.runtime.testing import TestClient

from .helpers import operation


def test_a_parameter_serialized_as_a_media_type_is_documented_by_content() -> None:
    @get("/items")
    async def items(
        q: Annotated[str | None, Parameter(query="q", media_type="application/json")] = None,
    ) -> str:
        return q or "-"

    app = App([items])
    (parameter,) = operation(app, "GET", "/items")["parameters"]
    assert parameter == {
        "name": "q",
        "in": "query",
        "required": False,
        "content": {"application/json": {"schema": {"type": "string"}}},
    }
    with TestClient(app) as client:  # the handler reads the raw text
        assert client.get("/items", params={"q": "[1, 2]"}).text == "[1, 2]"
