"""Operation views: signatures, decorator arguments, header layers and their warnings."""

from __future__ import annotations

from collections.abc import Callable

from specloom.generator.ir import Api
from specloom.generator.plan.operations import plan_operations
from specloom.generator.plan.views import Arg, Call, ListOf, OperationsView, SignatureParam

SPEC = """
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      parameters:
        - {name: limit, in: query, schema: {type: integer, default: 20}}
        - {name: kind, in: query, required: true, schema: {type: string}}
        - {name: filter, in: query, schema: {type: object, properties: {a: {type: string}}}}
        - {name: size, in: query, schema: {type: integer, default: big}}
      responses:
        "200":
          description: ok
          headers:
            X-Rate: {schema: {type: integer}}
            "bad name": {schema: {type: string}}
          content: {application/json: {schema: {type: array, items: {type: string}}}}
    post:
      operationId: addPet
      tags: [pets]
      requestBody:
        content: {application/json: {schema: {type: object}}}
      responses:
        "201":
          description: made
          headers:
            X-Rate: {schema: {type: integer}}
"""


def test_a_signature_puts_arguments_with_defaults_last(build: Callable[..., Api]) -> None:
    ops = plan_operations(build(SPEC))
    stub = next(s for s in ops.handlers["pets"] if s.name == "list_pets")
    assert stub.params[0] == SignatureParam("kind", "ListPetsKind", None)
    assert SignatureParam("limit", "ListPetsLimit", "20") in stub.params
    assert SignatureParam("size", "ListPetsSize", "None") in stub.params  # its default is out
    assert stub.in_response  # the success response has headers
    aliases = {alias.name: alias for view in ops.operations for alias in view.aliases}
    assert aliases["ListPetsLimit"].marker == Call("Parameter", (Arg("query", "'limit'"),))
    assert aliases["AddPetBody"].or_none  # an optional body


def test_the_decorator_is_a_call_with_its_arguments(build: Callable[..., Api]) -> None:
    ops = plan_operations(build(SPEC))
    call = next(view.call for view in ops.operations if view.name == "add_pet")
    assert call.function == "post"
    assert call.args[0] == Arg("", "'/pets'")
    assert Arg("status_code", "201") in call.args
    assert all(arg.name != "response_headers" for arg in call.args)  # hoisted


def test_headers_every_operation_shares_go_on_the_app_layer(build: Callable[..., Api]) -> None:
    ops = plan_operations(build(SPEC))
    assert ops.app_headers == "APP_HEADERS"
    [(name, headers)] = ops.header_constants
    assert name == "APP_HEADERS" and isinstance(headers, ListOf)
    [header] = headers.items
    assert isinstance(header, Call) and Arg("name", "'X-Rate'") in header.args


def test_spec_warnings_come_from_the_plan(build: Callable[..., Api]) -> None:
    messages = [w.message for w in plan_operations(build(SPEC)).warnings]
    assert "response header 'bad name' is not a valid header name: left out" in messages
    assert any("parameter 'filter' is not a scalar" in m for m in messages)
    assert any("default 'big' of parameter 'size' does not fit" in m for m in messages)


DEFAULTS = """
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /pets/{grid}:
    get:
      operationId: findPets
      parameters:
        - {name: grid, in: path, required: true, schema: {type: array, items: {type: array}}}
        - {name: limit, in: query, schema: {type: integer, default: "100"}}
        - {name: sort, in: query, schema: {type: string, default: null}}
        - {name: note, in: query, schema: {type: string, nullable: true, default: null}}
        - {name: tags, in: query, schema: {type: array, items: {type: string, default: x}}}
      responses:
        "204": {description: done}
"""


def _markers(ops: OperationsView) -> dict[str, Call]:
    return {alias.name: alias.marker for view in ops.operations for alias in view.aliases}


def test_a_default_the_python_side_cannot_apply_is_documented_as_written(
    build: Callable[..., Api],
) -> None:
    ops = plan_operations(build(DEFAULTS))
    markers = _markers(ops)
    extra = Arg("schema_extra", "{'default': '100'}")
    assert markers["FindPetsLimit"] == Call("Parameter", (Arg("query", "'limit'"), extra))
    assert Arg("schema_extra", "{'default': None}") in markers["FindPetsSort"].args
    # a nullable parameter's null default is its absence: None says it
    assert markers["FindPetsNote"] == Call("Parameter", (Arg("query", "'note'"),))
    aliases = {alias.name: alias for view in ops.operations for alias in view.aliases}
    assert "Meta(extra_json_schema={'default': 'x'})" in aliases["FindPetsTags"].base
    messages = [(w.pointer, w.message) for w in ops.warnings]
    assert any(
        pointer.endswith("/parameters/1")
        and message.startswith("default '100' of parameter 'limit' does not fit")
        for pointer, message in messages
    )
    assert any(message.startswith("default null of parameter 'sort'") for _, message in messages)


def test_a_parameter_read_as_raw_text_documents_its_declared_type(
    build: Callable[..., Api],
) -> None:
    ops = plan_operations(build(DEFAULTS))
    aliases = {alias.name: alias for view in ops.operations for alias in view.aliases}
    grid = aliases["FindPetsGrid"]
    assert grid.base == "str"
    assert Arg("schema", "list[list[Any]]") in grid.marker.args
    assert any("'grid' is not a scalar" in w.message for w in ops.warnings)


PARAMETER_DOCS = """
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - name: q
          in: query
          description: the search
          schema: {type: string, maxLength: 9, description: words, examples: [red]}
        - name: since
          in: query
          schema: {type: string, format: date-time, description: a time}
      responses:
        "204": {description: done}
"""


def test_a_scalar_parameters_schema_docs_are_said_in_schema_extra(
    build: Callable[..., Api],
) -> None:
    """Each parameter's schema documents itself: in a `Meta` of its own it would be a
    distinct `Annotated` type to make at import; what checks the value stays in the `Meta`."""
    ops = plan_operations(build(PARAMETER_DOCS))
    aliases = {alias.name: alias for view in ops.operations for alias in view.aliases}
    markers = _markers(ops)
    assert aliases["ListItemsQ"].base == "Annotated[str, Meta(max_length=9)] | None"
    assert markers["ListItemsQ"].args[-1] == Arg(
        "schema_extra", "{'description': 'words', 'examples': ['red']}"
    )
    assert aliases["ListItemsSince"].base == "Annotated[datetime.datetime, Meta(tz=True)] | None"
    assert markers["ListItemsSince"].args[-1] == Arg("schema_extra", "{'description': 'a time'}")
