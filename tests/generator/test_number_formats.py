"""Numeric formats end to end: int32/int64/uint32/float ranges checked when served, documented by
the format alone (the served spec writes no bound the input did not)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specloom.generator.generate import generate
from specloom.runtime.formats import FORMAT_RANGES
from specloom.runtime.testing import TestClient

from .served import fill_handlers, import_app

FIXTURES = Path(__file__).parent / "fixtures"
INT64 = (-(2**63), 2**63 - 1)
INT32 = (-(2**31), 2**31 - 1)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    package = tmp_path_factory.mktemp("formats") / "formats_api"
    generate(FIXTURES / "number_formats.yaml", package)
    fill_handlers(
        package,
        {
            "GET /counters/{id}": "return m.Counter(value=id, small=step or 0)",
            "POST /counters": "return data",
        },
    )
    handlers = package / "handlers" / "default.py"
    text = handlers.read_text()
    if "import models as m" not in text:
        anchor = "from .._generated import operations as op"
        handlers.write_text(text.replace(anchor, f"{anchor}\nfrom .._generated import models as m"))
    return import_app(package)


def test_the_generated_ranges_are_the_runtime_s(app: Any) -> None:
    from specloom.generator.ir_types import RANGED_FORMATS

    assert set(FORMAT_RANGES) == RANGED_FORMATS


def test_the_served_spec_documents_the_format_not_its_range(app: Any) -> None:
    document = app.openapi()
    counter = document["components"]["schemas"]["Counter"]["properties"]
    assert counter["value"] == {"type": "integer", "format": "int64"}
    assert counter["small"] == {
        "type": "integer",
        "format": "int32",
        "minimum": -(2**31),
        "maximum": 2**31 - 1,
    }
    parameters = document["paths"]["/counters/{id}"]["get"]["parameters"]
    schemas = {p["name"]: p["schema"] for p in parameters}
    assert schemas["id"] == {"type": "integer", "format": "int64", "minimum": 1}
    assert schemas["step"] == {"type": "integer", "format": "int32"}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(min_value=-(2**70), max_value=2**70))
def test_an_int64_field_takes_exactly_the_int64_values(app: Any, value: int) -> None:
    with TestClient(app) as client:
        sent = client.post("/counters", json={"value": value})
    if INT64[0] <= value <= INT64[1]:
        assert sent.status_code == 201, sent.text
        assert sent.json()["value"] == value
    else:
        assert sent.status_code == 400, sent.text
        (entry,) = sent.json()["extra"]
        assert entry["key"] == "value" and entry["source"] == "body"
        assert "9223372036854775" in entry["message"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(min_value=-(2**40), max_value=2**40), st.integers(1, 2**70))
def test_int32_and_int64_parameters_are_checked(app: Any, step: int, counter: int) -> None:
    with TestClient(app) as client:
        sent = client.get(f"/counters/{counter}", params={"step": str(step)})
    failing = {
        key
        for key, ok in (("id", counter <= INT64[1]), ("step", INT32[0] <= step <= INT32[1]))
        if not ok
    }
    if not failing:
        assert sent.status_code == 200, sent.text
    else:
        assert sent.status_code == 400, sent.text
        assert {entry["key"] for entry in sent.json()["extra"]} == failing


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"value": 1, "count": -1}, "count"),
        ({"value": 1, "count": 2**32}, "count"),
        ({"value": 1, "big": 2**63}, "big"),
        ({"value": 1, "weight": 1e39}, "weight"),
        ({"value": 1, "history": [1, 2**31]}, "history[1]"),
    ],
)
def test_each_format_s_range_is_checked(app: Any, body: dict[str, Any], key: str) -> None:
    with TestClient(app) as client:
        sent = client.post("/counters", json=body)
        assert sent.status_code == 400, sent.text
        assert sent.json()["extra"][0]["key"] == key
        within = {**body, key.partition("[")[0]: body.get("history", [0])[:1] if "[" in key else 0}
        assert client.post("/counters", json=within).status_code == 201


@pytest.mark.parametrize("text", ["inf", "-Infinity", "nan", "1e39"])
def test_a_float_parameter_takes_no_infinity_and_no_nan(app: Any, text: str) -> None:
    with TestClient(app) as client:
        assert client.get("/counters/1", params={"ratio": text}).status_code == 400
        expected = 400 if text != "1e39" else 200  # a double holds 1e39
        assert client.get("/counters/1", params={"scale": text}).status_code == expected
