"""Arrays in a query value or a path segment, read by their OpenAPI 3 `style`/`explode`, and
parameters documented as a type the handler receives as raw text (`Parameter(schema=...)`)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from specloom.runtime import App, get
from specloom.runtime.params import Parameter
from specloom.runtime.testing import TestClient


@get("/styles")
def styles(
    csv: Annotated[list[str] | None, Parameter(query="csv", style="form", explode=False)] = None,
    pipes: Annotated[list[int] | None, Parameter(query="pipes", style="pipeDelimited")] = None,
    spaces: Annotated[list[str] | None, Parameter(query="spaces", style="spaceDelimited")] = None,
    many: Annotated[
        list[str] | None, Parameter(query="many", style="spaceDelimited", explode=True)
    ] = None,
    plain: list[str] | None = None,
) -> dict[str, Any]:
    return {"csv": csv, "pipes": pipes, "spaces": spaces, "many": many, "plain": plain}


@get("/raw/{grid}")
def raw(
    grid: Annotated[str, Parameter(path="grid", schema=list[list[str]])],
    filter: Annotated[str | None, Parameter(query="filter", schema=dict[str, Any])] = None,
    sort: Annotated[str | None, Parameter(query="sort", schema_extra={"default": "name"})] = None,
) -> dict[str, Any]:
    return {"grid": grid, "filter": filter, "sort": sort}


@get("/paths/{simple}/{label}/{dots}/{matrix}/{each}")
def paths(
    simple: list[int],
    label: Annotated[list[str], Parameter(path="label", style="label")],
    dots: Annotated[list[str], Parameter(path="dots", style="label", explode=True)],
    matrix: Annotated[list[str], Parameter(path="matrix", style="matrix")],
    each: Annotated[list[str], Parameter(path="each", style="matrix", explode=True)],
) -> dict[str, Any]:
    return {"simple": simple, "label": label, "dots": dots, "matrix": matrix, "each": each}


APP = App([styles, raw, paths])
_word = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)


def _get(query: str) -> dict[str, Any]:
    with TestClient(APP) as client:
        response = client.get("/styles?" + query)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result


@settings(max_examples=60, deadline=None)
@given(items=st.lists(_word.filter(lambda word: "," not in word), min_size=1, max_size=5))
def test_a_form_array_without_explode_is_one_comma_separated_value(items: list[str]) -> None:
    query = "csv=" + ",".join(quote(item, safe="") for item in items)
    assert _get(query)["csv"] == items


@settings(max_examples=60, deadline=None)
@given(items=st.lists(st.integers(), min_size=1, max_size=5))
def test_pipe_and_space_delimited_arrays_are_one_value_by_default(items: list[int]) -> None:
    pipes = "|".join(str(item) for item in items)
    assert _get("pipes=" + quote(pipes, safe=""))["pipes"] == items
    words = [str(item) for item in items]
    assert _get("spaces=" + quote(" ".join(words), safe=""))["spaces"] == words


def test_exploded_arrays_have_one_item_per_occurrence() -> None:
    result = _get("many=a%20b&many=c&plain=x,y&plain=z")
    assert result["many"] == ["a b", "c"]
    assert result["plain"] == ["x,y", "z"]  # form, exploded (the default): never split


@get("/headers")
def header_list(tags: Annotated[list[str], Parameter(header="x-tags")]) -> list[str]:
    return tags


def test_a_header_array_is_comma_separated_on_one_line_or_many() -> None:
    with TestClient(App([header_list])) as client:
        one = client.get("/headers", headers={"x-tags": "a, b,,c"}).json()
        many = client.get("/headers", headers=[("x-tags", "a"), ("x-tags", "b, c")]).json()
    assert one == many == ["a", "b", "c"]


def test_an_empty_unexploded_value_is_an_empty_array() -> None:
    assert _get("csv=")["csv"] == []


def test_a_raw_text_parameter_is_documented_as_its_declared_type() -> None:
    with TestClient(APP) as client:
        response = client.get("/raw/a,b", params={"filter": '{"x": 1}'})
        assert response.json() == {"grid": "a,b", "filter": '{"x": 1}', "sort": None}
    parameters = APP.openapi()["paths"]["/raw/{grid}"]["get"]["parameters"]
    assert [p["schema"] for p in parameters] == [
        {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
        {"type": "object"},
        {"type": "string", "default": "name"},  # documented, never applied
    ]


_segment = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_~", min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(
    numbers=st.lists(st.integers(), min_size=1, max_size=4),
    words=st.lists(_segment, min_size=1, max_size=4),
)
def test_path_arrays_are_read_by_their_style(numbers: list[int], words: list[str]) -> None:
    path = "/paths/{}/.{}/.{}/;matrix={}/{}".format(
        ",".join(str(n) for n in numbers),
        ",".join(words),
        ".".join(words),
        ",".join(words),
        "".join(f";each={word}" for word in words),
    )
    with TestClient(APP) as client:
        response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "simple": numbers,
        "label": words,
        "dots": words,
        "matrix": words,
        "each": words,
    }


@get("/find")
def find(
    q: Annotated[str | None, Parameter(query="q", allow_empty_value=True)] = None,
    next: Annotated[str | None, Parameter(query="next", allow_reserved=True)] = None,
) -> dict[str, Any]:
    return {"q": q, "next": next}


def test_allow_empty_value_and_allow_reserved_are_documented_and_read_as_any_value() -> None:
    """`allowEmptyValue`/`allowReserved` say how a client may send the value; the runtime
    reads `?q=` as the empty text and a percent-decoded query alike, with or without them."""
    app = App([find])
    parameters = {p["name"]: p for p in app.openapi()["paths"]["/find"]["get"]["parameters"]}
    assert parameters["q"]["allowEmptyValue"] is True and "allowReserved" not in parameters["q"]
    assert parameters["next"]["allowReserved"] is True
    assert "allowEmptyValue" not in parameters["next"]
    with TestClient(app) as client:
        answer = client.get("/find?q=&next=https://example.com/a?b=c")
        assert answer.json() == {"q": "", "next": "https://example.com/a?b=c"}
