"""What the runtime answers on its own, documented on each operation it can come from.

`OpenAPIConfig(runtime_answers=True)` (what generated servers use) adds to each routed
operation the statuses the runtime itself may answer it with, where the operation documents
neither that status nor its range (`4XX`, `5XX`) nor a `default` response:

- 400, the input failed validation: the operation has parameters or a request body;
- 401 and 403, no credentials or refused ones: it has a security requirement that is not
  empty (an empty alternative lets every request through);
- 404, no route matches: it has path parameters (a value that leaves a segment empty or adds
  one matches no route);
- 406, no acceptable media type: it offers more than one response media type (the request's
  `Accept` picks one; with a single media type the runtime sends it whatever `Accept` says);
- 413 (the body is larger than the limit) and 415 (a content type the operation does not
  read): it has a request body;
- 501: its handler is a stub (`raise NotImplementedError`, `stubs.is_stub`).

405 (a method the path does not declare) and a 404 for a path no route serves come from no
operation, so OpenAPI has no place for them. Each added Response object is marked
`x-specloom-runtime: true` and its `application/json` content is the one error schema the
runtime sends, the component `SpecloomError` (marked too; `SpecloomError_2`... when the
name is taken), so a reader, and `specloom diff`, tells what the runtime adds from what the
spec says. Statuses the operation documents keep the declared response, and the runtime
answers them in the media type declared there (`runtime/error_media.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from specloom.marks import RUNTIME_MARK

from ..stubs import is_stub
from .headers import HeaderMap, simple_header
from .responses import ERROR_SCHEMA

if TYPE_CHECKING:
    from ..compile import CompiledHandler
    from ..security import SecurityScheme

__all__ = ["ERROR_COMPONENT", "RUNTIME_MARK", "add_runtime_answers", "runtime_statuses"]

ERROR_COMPONENT = "SpecloomError"
_DESCRIPTIONS = {
    400: "The input failed validation (answered by the runtime)",
    401: "Authentication required (answered by the runtime)",
    403: "The credentials were not accepted (answered by the runtime)",
    404: "No route matches the path (answered by the runtime)",
    406: "None of the offered media types is acceptable (answered by the runtime)",
    413: "The request body is too large (answered by the runtime)",
    415: "The request's content type is not read here (answered by the runtime)",
    501: "Not implemented yet: the handler is a stub (answered by the runtime)",
}


def _secured(compiled: CompiledHandler) -> bool:
    requirements = compiled.config.security or ()
    return bool(requirements) and all(requirements)


def runtime_statuses(compiled: CompiledHandler) -> list[int]:
    """The statuses the runtime may answer the operation with on its own (module docstring)."""
    statuses: list[int] = []
    has_body = compiled.plan.body is not None
    if compiled.plan.all_params or has_body:
        statuses.append(400)
    if _secured(compiled):
        statuses.extend((401, 403))
    if compiled.template.captured:
        statuses.append(404)
    if compiled.offered is not None:
        statuses.append(406)
    if has_body:
        statuses.extend((413, 415))
    if compiled.handler.fn is not None and is_stub(compiled.handler.fn):
        statuses.append(501)
    return statuses


def _challenged(compiled: CompiledHandler, schemes: Mapping[str, SecurityScheme]) -> bool:
    return any(
        (scheme := schemes.get(name)) is not None and scheme.challenge()
        for requirement in compiled.config.security or ()
        for name in requirement
    )


def _response(status: int, reference: str, challenge: bool) -> dict[str, Any]:
    response: dict[str, Any] = {"description": _DESCRIPTIONS[status]}
    if status == 401 and challenge:
        headers = HeaderMap()
        headers.set("WWW-Authenticate", simple_header("The accepted authentication schemes"))
        response["headers"] = headers.to_dict()
    response["content"] = {"application/json": {"schema": {"$ref": reference}}}
    response[RUNTIME_MARK] = True
    return response


def _documented(responses: Mapping[str, Any], status: int) -> bool:
    keys = {str(key).upper() for key in responses}
    return bool(keys & {str(status), f"{str(status)[0]}XX", "DEFAULT"})


def add_runtime_answers(
    paths: dict[str, dict[str, Any]],
    routes: Sequence[tuple[str, str, CompiledHandler]],
    schemes: Mapping[str, SecurityScheme],
    schemas: dict[str, Any],
) -> None:
    """Add the runtime's own answers to the routed operations of `paths`, and the error
    component to `schemas` when one is added."""
    name = ERROR_COMPONENT
    suffix = 1
    while name in schemas:
        suffix += 1
        name = f"{ERROR_COMPONENT}_{suffix}"
    reference = f"#/components/schemas/{name}"
    added = False
    for path, method, compiled in routes:
        operation = paths.get(path, {}).get(method.lower())
        if not isinstance(operation, dict):
            continue
        responses = operation.setdefault("responses", {})
        challenge = _challenged(compiled, schemes)
        for status in runtime_statuses(compiled):
            if not _documented(responses, status):
                responses[str(status)] = _response(status, reference, challenge)
                added = True
        operation["responses"] = dict(
            sorted(responses.items(), key=lambda item: (not item[0].isdigit(), item[0]))
        )
    if added:
        schemas[name] = {
            **ERROR_SCHEMA,
            "description": "An error the runtime answers with on its own",
            RUNTIME_MARK: True,
        }
