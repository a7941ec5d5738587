"""Response views: which responses need `content={...}`, the handler's returned response, and
the decorator's `success_in_schema=False` where the spec documents no success response."""

from __future__ import annotations

from collections.abc import Callable

from specloom.generator.ir import Api, Operation
from specloom.generator.plan.operations import plan_operations
from specloom.generator.plan.responses import (
    returned_response,
    sent_media_types,
    status_response,
    written_otherwise,
)
from specloom.generator.plan.views import Arg, Call, DictOf

SPEC = """
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /a:
    get:
      operationId: negotiated
      responses:
        "200":
          description: ok
          content:
            application/json: {schema: {$ref: "#/components/schemas/A"}}
            application/xml: {schema: {$ref: "#/components/schemas/A"}}
    put:
      operationId: documentedToo
      responses:
        "200":
          description: ok
          content:
            application/json: {schema: {$ref: "#/components/schemas/A"}}
            text/csv: {schema: {$ref: "#/components/schemas/A"}}
    post:
      operationId: onlyRange
      responses:
        2XX:
          description: ok
          content: {application/json: {schema: {type: array, items: {type: string}}}}
        default: {description: error, content: {text/plain: {}}}
    delete:
      operationId: emptyContent
      responses:
        "204": {description: gone, content: {}}
components:
  schemas:
    A: {type: object, xml: {name: a}, properties: {b: {type: string}}}
"""


def _op(api: Api, name: str) -> Operation:
    return next(op for op in api.operations if op.python_name == name)


def test_only_what_the_handler_does_not_send_as_written_needs_content(
    build: Callable[..., Api],
) -> None:
    api = build(SPEC)
    negotiated = _op(api, "negotiated")
    success = status_response(negotiated)
    sent = sent_media_types(negotiated, success)
    assert sent == ["application/json", "application/xml"]
    assert success is not None and not written_otherwise(success, sent)
    documented = _op(api, "documented_too")
    success = status_response(documented)
    assert success is not None
    assert written_otherwise(success, sent_media_types(documented, success))  # text/csv
    empty = status_response(_op(api, "empty_content"))
    assert empty is not None and written_otherwise(empty, [])  # `content: {}` is kept


def test_a_range_types_the_handler_and_no_success_response_is_invented(
    build: Callable[..., Api],
) -> None:
    api = build(SPEC)
    only_range = _op(api, "only_range")
    assert status_response(only_range) is None
    returned = returned_response(only_range)
    assert returned is not None and returned.status == "2XX"
    ops = plan_operations(api)
    call = next(view.call for view in ops.operations if view.name == "only_range")
    assert Arg("success_in_schema", "False") in call.args
    responses = next(arg.value for arg in call.args if arg.name == "responses")
    assert isinstance(responses, DictOf)
    default = dict(responses.items)["'default'"]
    assert (
        isinstance(default, Call)
        and Arg("content", DictOf((("'text/plain'", Call("ContentSpec")),))) in default.args
    )
    stub = next(s for s in ops.handlers["default"] if s.name == "only_range")
    assert stub.returns == "list[str]"
