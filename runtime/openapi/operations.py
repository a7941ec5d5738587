"""One compiled handler and HTTP method as an OpenAPI Operation object."""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..compile import CompiledHandler, compile_handler
from ..handlers import HTTPRouteHandler, NoOperationId
from ..layers import resolve_layers
from ..routing import PathParam, PathTemplate, parse_path
from ..signature import parse_signature
from .content import document_body
from .parameters import build_parameters, build_request_body
from .responses import build_responses
from .schema import SchemaRegistry

if TYPE_CHECKING:
    from ..security import SecurityScheme

__all__ = [
    "METHOD_ORDER",
    "build_callbacks",
    "build_operation",
    "compile_documentation_handler",
    "is_documented",
    "openapi_path",
    "operation_id",
]

METHOD_ORDER = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")
_TYPED_PARAM = re.compile(r"\{([^{}:]+):[^{}]*\}")


def openapi_path(template: PathTemplate) -> str:
    """The template in OpenAPI form: `/items/{id:int}` becomes `/items/{id}`; a query string
    or fragment it was declared with is kept."""
    path = template.path + ("/" if template.trailing_slash else "") + template.suffix
    if not template.typed:  # written in OpenAPI's form already
        return path
    return _TYPED_PARAM.sub(lambda match: "{" + match.group(1).strip() + "}", path)


def is_documented(compiled: CompiledHandler) -> bool:
    """Whether the handler appears in the document (`include_in_schema`, closest layer wins)."""
    return compiled.config.include_in_schema is not False


def operation_id(compiled: CompiledHandler, method: str) -> str | None:
    """The declared operationId (`""` too, as written), else the handler's name (made unique
    by the document); None for `operation_id=NO_OPERATION_ID` (the spec has none)."""
    handler = compiled.handler
    if isinstance(handler.operation_id, NoOperationId):
        return None
    if handler.operation_id is not None:
        return handler.operation_id
    return handler.name or f"{method.lower()}_{compiled.template.path}"


def _description(compiled: CompiledHandler, docstrings: bool) -> str | None:
    handler = compiled.handler
    if handler.description is not None:
        # "" says no description, not even the docstring; without docstrings it is written
        return handler.description if (handler.description or not docstrings) else None
    doc = getattr(handler.fn, "__doc__", None) if docstrings else None
    return inspect.cleandoc(doc) if doc else None


def compile_documentation_handler(
    handler: HTTPRouteHandler, schemes: dict[str, SecurityScheme]
) -> CompiledHandler:
    """A handler that only documents a request (a webhook or callback), compiled on its own."""
    config = resolve_layers([handler])
    template = parse_path(handler.paths[0], typed=handler.typed_params)
    # the request goes to a URL the API computes (`{$request.body#/url}`): the path
    # parameters it declares are documented as they are, whatever the handler's own path
    signature = parse_signature(
        handler.callable,
        path_params={},
        dependency_names=frozenset(config.dependencies or {}),
        namespace=config.signature_namespace or {},
        owner=handler.handler_name,
    )
    known = {param.name for param in template.params}
    extra = tuple(
        PathParam(spec.key, None, unsent=True)
        for spec in signature.params
        if spec.source == "path" and spec.key not in known
    )
    if extra:
        template = dataclasses.replace(template, params=template.params + extra)
    return compile_handler(handler, template, config, False, schemes)


def build_callbacks(
    callbacks: Mapping[str, Mapping[str, Any]],
    registry: SchemaRegistry,
    schemes: dict[str, SecurityScheme],
    automatic_responses: bool = True,
    docstrings: bool = True,
) -> dict[str, Any]:
    """The `callbacks` of an operation: name -> expression -> the documented requests."""
    result: dict[str, Any] = {}
    for name, expressions in callbacks.items():
        items: dict[str, Any] = {}
        for expression, declared in expressions.items():
            handlers = [declared] if isinstance(declared, HTTPRouteHandler) else list(declared)
            item: dict[str, Any] = {}
            for handler in handlers:
                compiled = compile_documentation_handler(handler, schemes)
                if not is_documented(compiled):
                    continue
                for method in METHOD_ORDER:
                    if method in handler.http_methods:
                        op_id = handler.operation_id
                        if isinstance(op_id, NoOperationId):
                            op_id = None
                        item[method.lower()] = build_operation(
                            compiled,
                            method,
                            op_id,
                            registry,
                            schemes,
                            automatic_responses,
                            docstrings,
                        )
            items[expression] = item
        result[name] = items
    return result


def build_operation(
    compiled: CompiledHandler,
    method: str,
    op_id: str | None,
    registry: SchemaRegistry,
    schemes: dict[str, SecurityScheme],
    automatic_responses: bool = True,
    docstrings: bool = True,
) -> dict[str, Any]:
    """The Operation object of `method` on a compiled handler."""
    handler = compiled.handler
    config = compiled.config
    operation: dict[str, Any] = {}
    if config.tags:
        operation["tags"] = list(config.tags)
    if handler.summary is not None:
        operation["summary"] = handler.summary
    description = _description(compiled, docstrings)
    if description is not None:
        operation["description"] = description
    if handler.external_docs:
        operation["externalDocs"] = dict(handler.external_docs)
    if op_id is not None:  # "" is an operationId as written
        operation["operationId"] = op_id
    parameters = build_parameters(compiled, registry)
    if parameters:
        operation["parameters"] = parameters
    body = build_request_body(compiled, registry)
    if body is not None and compiled.plan.body is not None:
        spec = compiled.plan.body.spec
        document_body(body, spec.kwarg, spec.annotation, registry)
        operation["requestBody"] = body
    operation["responses"] = build_responses(
        compiled, method, registry, schemes, automatic=automatic_responses
    )
    if handler.deprecated:
        operation["deprecated"] = True
    if config.security is not None:
        operation["security"] = [
            {name: list(scopes) for name, scopes in requirement.items()}
            for requirement in config.security
        ]
    if handler.callbacks:
        operation["callbacks"] = build_callbacks(
            handler.callbacks, registry, schemes, automatic_responses, docstrings
        )
    if handler.servers:
        operation["servers"] = [dict(server) for server in handler.servers]
    operation.update(handler.extensions or {})
    return operation
