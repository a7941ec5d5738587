"""Decide the routes module: one router per tag under one root router, the security schemes
(and the verifiers security.py gets for them), and the OpenAPI configuration."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from specloom.servers import base_path

from ..ir import Api, ExternalDocs, SecurityRequirement, SecurityScheme
from ..merge import NOT_ROUTED_MARKER
from ..render.pyexpr import Imports, docstring, literal, servers_data
from ..walk import extensions_of
from .views import Arg, Call, DictOf, HandlerStub, ListOf, OperationsView, Value

__all__ = ["RouterView", "RoutesView", "VerifierView", "handler_aliases", "plan_routes"]


@dataclass(frozen=True)
class RouterView:
    """`Router("/", [alias.handler, ...], response_headers=h.CONSTANT)` of one tag module."""

    handlers: tuple[str, ...]  # `alias.function`
    headers: str | None  # the constant in headers.py its router declares


@dataclass(frozen=True)
class VerifierView:
    """A verifier function security.py defines for a scheme."""

    name: str
    doc: str


@dataclass
class RoutesView:
    """Everything the routes template (and the security template) lays out."""

    imports: list[str]
    handler_modules: list[tuple[str, str]]  # (module, the name routes.py imports it as)
    routers: list[RouterView]
    base_path: str  # the root router's path: the servers' URL path, or "/"
    app_headers: str | None
    security: str | None  # the API's security requirements, for the root router
    schemes: list[tuple[str, Call]]  # (scheme name, SecurityScheme(...))
    openapi: list[Arg]  # of OpenAPIConfig(...)
    local_modules: list[str]  # `from . import models, operations`
    verifiers: list[VerifierView]


def handler_aliases(handlers: Mapping[str, Sequence[HandlerStub]]) -> dict[str, str]:
    """The name routes.py imports each handler module as: `<module>_handlers` where it fits.

    `alias.function,` may stand alone on a line five levels deep in ROUTE_HANDLERS, and
    `module as alias,` on one in the import: where either would pass 100 columns, the alias is
    `handlers_<n>` (n: the module's place in sorted order), so that no line needs a waiver.
    """
    aliases = {}
    for index, module in enumerate(sorted(handlers), start=1):
        alias = f"{module}_handlers"
        longest = max((len(stub.name) for stub in handlers[module]), default=0)
        if len(module) + len(alias) > 90 or len(alias) + longest > 78:
            alias = f"handlers_{index}"
        aliases[module] = alias
    return aliases


def plan_routes(api: Api, ops: OperationsView) -> RoutesView:
    """The routes module of `api`, whose operations `ops` decided."""
    imports = Imports()
    imports.add("specloom.runtime", "Router")
    imports.add("specloom.runtime.openapi", "OpenAPIConfig")
    imports.add("pathlib", "Path")
    imports.add("specloom.runtime.security", "SecurityScheme")
    imports.add("specloom.runtime.startup", "collection_paused")
    aliases = handler_aliases(ops.handlers)
    routers = [
        RouterView(
            tuple(
                aliases[module] + "." + stub.name for stub in ops.handlers[module] if stub.decorator
            ),
            ops.tag_headers.get(module),
        )
        for module in sorted(ops.handlers)
    ]
    # the operations whose path another one serves: documented, not routed
    unrouted = [
        Call("operations." + stub.name, (Arg("", aliases[module] + "." + stub.name),))
        for module in sorted(ops.handlers)
        for stub in ops.handlers[module]
        if not stub.decorator and stub.marker == NOT_ROUTED_MARKER
    ]
    schemes = [(s.name, _scheme_call(s, imports)) for s in api.security_schemes]
    verifiers = [VerifierView(_verifier(s), _verifier_doc(s)) for s in api.security_schemes]
    return RoutesView(
        imports=imports.lines(),
        handler_modules=sorted(aliases.items()),
        routers=routers,
        base_path=api.base_path or "/",
        app_headers=ops.app_headers,
        security=_security_literal(api.security) if api.security else None,
        schemes=schemes,
        openapi=_openapi_arguments(api, ops.webhooks, unrouted),
        # the named models (component_types), the webhooks' and unrouted operations
        local_modules=[
            *(["models"] if any(model.wire_name is not None for model in api.models) else []),
            *(["operations"] if ops.webhooks or unrouted else []),
        ],
        verifiers=verifiers,
    )


_SCHEME_TYPES = {
    "api_key": "apiKey",
    "http_basic": "http",
    "http_bearer": "http",
    "http": "http",
    "oauth2": "oauth2",
    "open_id_connect": "openIdConnect",
    "mutual_tls": "mutualTLS",
}


def _verifier(scheme: SecurityScheme) -> str:
    return "verify_" + scheme.python_name


def _scheme_call(scheme: SecurityScheme, imports: Imports) -> Call:
    """`SecurityScheme(...)` of one scheme, with its verifier."""
    imports.add("specloom.runtime.security", "SecurityScheme")
    kind = _SCHEME_TYPES[scheme.kind]
    arguments = [Arg("type", literal(kind))]
    if scheme.description is not None:
        arguments.append(Arg("description", literal(scheme.description)))
    if scheme.kind == "api_key":
        arguments.append(Arg("name", literal(scheme.parameter_name or "")))
        arguments.append(Arg("location", literal(scheme.location or "header")))
    if kind == "http":
        default = {"http_basic": "basic", "http_bearer": "bearer"}.get(scheme.kind, "bearer")
        arguments.append(Arg("scheme", literal(scheme.scheme or default)))
        if scheme.bearer_format is not None:  # an empty one is carried too
            arguments.append(Arg("bearer_format", literal(scheme.bearer_format)))
    if scheme.flows:
        flows: dict[str, Any] = {}
        for flow in scheme.flows:
            entry: dict[str, Any] = {}
            if flow.authorization_url is not None:  # as written, an empty one too
                entry["authorizationUrl"] = flow.authorization_url
            if flow.token_url is not None:
                entry["tokenUrl"] = flow.token_url
            if flow.refresh_url is not None:
                entry["refreshUrl"] = flow.refresh_url
            entry["scopes"] = dict(flow.scopes)
            flows[flow.kind] = entry
        arguments.append(Arg("flows", literal(flows)))
    if scheme.open_id_connect_url:
        arguments.append(Arg("open_id_connect_url", literal(scheme.open_id_connect_url)))
    if scheme.extensions:
        arguments.append(Arg("extensions", literal(scheme.extensions)))
    arguments.append(Arg("verifier", "security." + _verifier(scheme)))
    return Call("SecurityScheme", tuple(arguments))


def _verifier_doc(scheme: SecurityScheme) -> str:
    where = {
        "api_key": f"an API key in the {scheme.location} `{scheme.parameter_name}`",
        "http_basic": "HTTP basic credentials (`credentials.username`, `credentials.password`)",
        "http_bearer": "a bearer token (`credentials.value`)",
        "oauth2": "an OAuth2 access token (`credentials.value`; check `scopes`)",
        "open_id_connect": "an OpenID Connect token (`credentials.value`)",
    }.get(scheme.kind, "its credentials (`credentials.value`)")
    text = f"Verify `{scheme.name}`: {where}. Return True to let the request in."
    if scheme.description:
        text += f"\n\n{scheme.description}"
    return docstring(text, "    ")


def _openapi_arguments(
    api: Api, webhooks: list[tuple[str, list[HandlerStub]]], unrouted: list[Call]
) -> list[Arg]:
    """`OpenAPIConfig(...)`: the document's info, servers, tags, security and components."""

    # the spec documents its own error responses; what the runtime answers on its own where the
    # spec says nothing is documented beside them, marked as the runtime's (runtime_answers)
    arguments = [
        Arg("title", literal(api.title)),
        Arg("version", literal(api.version)),
        Arg("automatic_responses", "False"),
        Arg("runtime_answers", "True"),
        Arg("use_handler_docstrings", "False"),
        # the built document kept beside the generator's records, read back while the code
        # that builds it is unchanged (runtime/openapi/stored.py)
        Arg("document_cache", 'Path(__file__).parent.parent / ".specloom-cache"'),
    ]
    if api.summary is not None:  # as written, an empty one too
        arguments.append(Arg("summary", literal(api.summary)))
    if api.description is not None:
        arguments.append(Arg("description", literal(api.description)))
    info = api.info
    for key, name in (
        ("termsOfService", "terms_of_service"),
        ("contact", "contact"),
        ("license", "license"),
    ):
        if key in info:
            arguments.append(Arg(name, literal(info[key])))
    info_extensions = extensions_of(info)
    if info_extensions:
        arguments.append(Arg("info_extensions", literal(info_extensions)))
    if api.servers:
        arguments.append(Arg("servers", literal(servers_data(api.servers))))
        if not api.base_path and base_path(servers_data(api.servers)):
            # served at the paths as written (the base path ignored): documented as served
            arguments.append(Arg("relative_to_servers", "False"))
    tags = _declared_tags(api)
    if tags or api.root_tags:  # an empty root `tags: []` too
        arguments.append(Arg("tags", literal(tags)))
    if api.security or api.root_security:  # an empty `security: []` too
        arguments.append(Arg("security", _security_literal(api.security)))
    if api.external_docs is not None:
        arguments.append(Arg("external_docs", literal(_external_docs(api.external_docs))))
    if api.json_schema_dialect is not None:
        arguments.append(Arg("json_schema_dialect", literal(api.json_schema_dialect)))
    if api.extensions:
        arguments.append(Arg("extensions", literal(api.extensions)))
    if api.path_docs:
        arguments.append(Arg("path_docs", literal(api.path_docs)))
    if api.component_extras is not None:
        arguments.append(Arg("components", literal(api.component_extras)))
    named = sorted(model.name for model in api.models if model.wire_name is not None)
    if named:  # every named schema of the spec is documented, used or not
        arguments.append(Arg("component_types", ListOf(tuple("models." + n for n in named))))
    if webhooks:
        entries: list[tuple[str, Value]] = []
        for name, stubs in webhooks:
            handlers = tuple("operations." + stub.name for stub in stubs)
            entries.append((literal(name), handlers[0] if len(handlers) == 1 else ListOf(handlers)))
        arguments.append(Arg("webhooks", DictOf(tuple(entries))))
    if unrouted:
        arguments.append(Arg("unrouted", ListOf(tuple(unrouted))))
    return arguments


def _declared_tags(api: Api) -> list[dict[str, Any]]:
    """The tags the spec declares, as written."""
    tags = []
    for tag in api.tags:
        if not tag.declared:
            continue
        declared: dict[str, Any] = {"name": tag.name}
        if tag.description is not None:
            declared["description"] = tag.description
        if tag.external_docs is not None:
            declared["externalDocs"] = _external_docs(tag.external_docs)
        declared.update(tag.extensions)
        tags.append(declared)
    return tags


def _external_docs(docs: ExternalDocs) -> dict[str, str]:
    """An externalDocs object (documentation, carried as written)."""
    result = {"url": docs.url}
    if docs.description is not None:
        result["description"] = docs.description
    return result


def _security_literal(security: Sequence[Sequence[SecurityRequirement]]) -> str:
    return literal([{r.scheme: list(r.scopes) for r in alternative} for alternative in security])
