"""Build the OpenAPI 3.1 document of an app from its compiled handlers; cache it per app."""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import msgspec

from specloom.collector import collection_paused, return_freed_memory
from specloom.servers import base_path, relative_path

from ..compile import CompiledHandler
from .config import OpenAPIConfig
from .operations import (
    METHOD_ORDER,
    build_operation,
    compile_documentation_handler,
    is_documented,
    openapi_path,
    operation_id,
)
from .runtime_answers import add_runtime_answers
from .schema import SchemaRegistry
from .stored import COMPONENTS, StoredKeys, load, store

if TYPE_CHECKING:
    from ..security import SecurityScheme

__all__ = ["DocumentedApp", "build_document", "cached_document", "encoded_document"]


class DocumentedApp(Protocol):
    """What the document is built from: an `App` (named structurally, as the app imports this)."""

    @property
    def openapi_config(self) -> OpenAPIConfig | None: ...

    @property
    def compiled_handlers(self) -> Sequence[CompiledHandler]: ...

    @property
    def security_schemes(self) -> Mapping[str, SecurityScheme]: ...


_Entry = tuple[str, str, CompiledHandler]
_Kept = tuple["str | os.PathLike[str]", str]  # where the schemas are stored, and their key
_documents: weakref.WeakKeyDictionary[DocumentedApp, dict[str, Any]] = weakref.WeakKeyDictionary()
_encoded: weakref.WeakKeyDictionary[DocumentedApp, dict[str, bytes]] = weakref.WeakKeyDictionary()


def _entries(compiled_handlers: Sequence[CompiledHandler], base: str = "") -> list[_Entry]:
    """The documented (path, method, handler) of each route, its path relative to `base`."""
    entries: list[_Entry] = []
    for compiled in compiled_handlers:
        if not is_documented(compiled):
            continue
        path = relative_path(openapi_path(compiled.template), base)
        for method in METHOD_ORDER:
            if method in compiled.handler.http_methods:
                entries.append((path, method, compiled))
    return entries


def _unique_ids(entries: list[_Entry]) -> list[str | None]:
    """operationIds made unique deterministically: `_<method>`, then `_<path>`, then a number
    (None, no operationId, and an empty one stay as they are)."""
    candidates = [operation_id(compiled, method) for _, method, compiled in entries]
    result = list(candidates)
    places: dict[str, list[int]] = {}  # each operationId -> where it is, in order
    for i, candidate in enumerate(candidates):
        if candidate:  # no operationId, or an empty one: nothing to make unique
            places.setdefault(candidate, []).append(i)
    for candidate, indexes in places.items():
        if len(indexes) < 2:
            continue
        if len({entries[i][1] for i in indexes}) > 1:
            for i in indexes:
                result[i] = f"{candidate}_{entries[i][1].lower()}"
        group = [result[i] for i in indexes]
        for i in indexes:
            if group.count(result[i]) > 1:
                slug = re.sub(r"[^A-Za-z0-9]+", "_", entries[i][0]).strip("_") or "root"
                result[i] = f"{result[i]}_{slug}"
    seen: set[str] = set()
    for i, name in enumerate(result):
        if not name:
            continue
        unique, number = name, 2
        while unique in seen:
            unique, number = f"{name}_{number}", number + 1
        seen.add(unique)
        result[i] = unique
    return result


def _operations(
    entries: list[_Entry],
    registry: SchemaRegistry,
    schemes: dict[str, SecurityScheme],
    automatic_responses: bool = True,
    docstrings: bool = True,
) -> dict[str, dict[str, Any]]:
    items: dict[str, dict[str, Any]] = {}
    for (path, method, compiled), op_id in zip(entries, _unique_ids(entries), strict=True):
        operation = build_operation(
            compiled,
            method,
            op_id,
            registry,
            schemes,
            automatic_responses=automatic_responses,
            docstrings=docstrings,
        )
        items.setdefault(path, {})[method.lower()] = operation
    return items


def _unrouted_entries(config: OpenAPIConfig, schemes: dict[str, SecurityScheme]) -> list[_Entry]:
    """The operations documented without a route, under their own paths."""
    compiled = [compile_documentation_handler(h, schemes) for h in config.unrouted]
    return _entries(compiled)


def _webhook_entries(config: OpenAPIConfig, schemes: dict[str, SecurityScheme]) -> list[_Entry]:
    entries: list[_Entry] = []
    for name, handler in config.webhook_handlers():
        compiled = compile_documentation_handler(handler, schemes)
        entries.extend((name, method, c) for _, method, c in _entries([compiled]))
    return entries


def _info(config: OpenAPIConfig) -> dict[str, Any]:
    info: dict[str, Any] = {"title": config.title}
    # what is given is documented, an empty string or object too
    if config.summary is not None:
        info["summary"] = config.summary
    if config.description is not None:
        info["description"] = config.description
    if config.terms_of_service is not None:
        info["termsOfService"] = config.terms_of_service
    if config.contact is not None:
        info["contact"] = dict(config.contact)
    if config.license is not None:
        info["license"] = dict(config.license)
    info["version"] = config.version
    info.update(config.info_extensions or {})
    return info


def build_document(app: DocumentedApp) -> dict[str, Any]:
    """The OpenAPI document of `app`, derived from its compiled handlers."""
    # plain data with no shared objects (a YAML dump would otherwise emit anchors)
    plain: dict[str, Any] = msgspec.json.decode(_encoded_document(app))
    return plain


def _encoded_document(app: DocumentedApp, kept: _Kept | None = None) -> bytes:
    """The document of `app` as JSON: its plain data decoded from these bytes is the document
    (encoded once, decoded once: a large app's document is megabytes).

    `kept` (folder, components key): the schemas are read from there when they were stored
    under that key (stored.py), else generated and stored there."""
    config = app.openapi_config or OpenAPIConfig()
    schemes: dict[str, SecurityScheme] = dict(getattr(app, "security_schemes", None) or {})
    registry = SchemaRegistry()
    automatic, docstrings = config.automatic_responses, config.use_handler_docstrings
    # routes mounted under the servers' base path are documented relative to it, as OpenAPI
    # appends a path to its server's URL; documentation-only operations are written so already
    base = base_path(config.servers) if config.relative_to_servers else ""
    routes = _entries(app.compiled_handlers, base)
    entries = routes + _unrouted_entries(config, schemes)
    paths = _operations(entries, registry, schemes, automatic, docstrings)
    webhooks = _operations(
        _webhook_entries(config, schemes), registry, schemes, automatic, docstrings
    )
    document: dict[str, Any] = {"openapi": config.openapi_version, "info": _info(config)}
    if config.json_schema_dialect is not None:
        document["jsonSchemaDialect"] = config.json_schema_dialect
    if config.servers is not None:
        document["servers"] = [dict(server) for server in config.servers]
    for path, docs in (config.path_docs or {}).items():
        item = paths.setdefault(path, {})
        paths[path] = {**docs, **item}  # documentation first, as a Path Item writes it
    document["paths"] = paths
    if webhooks:
        document["webhooks"] = webhooks
    components: dict[str, Any] = {}
    for declared in config.component_types:
        registry.declare(declared)
    schemas = _kept_schemas(registry, kept)
    if config.runtime_answers:
        add_runtime_answers(paths, routes, schemes, schemas)
    if schemas:
        components["schemas"] = dict(sorted(schemas.items()))
    if schemes:
        components["securitySchemes"] = {n: s.to_openapi() for n, s in schemes.items()}
    for section, values in (config.components or {}).items():
        if section.startswith("x-"):
            components[section] = values  # an extension: any value, as given
        else:
            components.setdefault(section, {}).update(values)
    if components or config.components is not None:  # `components: {}` as given too
        document["components"] = components
    if config.security is not None:
        document["security"] = [
            {name: list(scopes) for name, scopes in requirement.items()}
            for requirement in config.security
        ]
    if config.tags is not None:  # an empty list too
        document["tags"] = [{"name": t} if isinstance(t, str) else dict(t) for t in config.tags]
    if config.external_docs is not None:
        document["externalDocs"] = dict(config.external_docs)
    document.update(config.extensions or {})
    return msgspec.json.encode(document)


def _kept_schemas(registry: SchemaRegistry, kept: _Kept | None) -> dict[str, Any]:
    """The registry's schemas: restored from the stored ones of the same key, else generated
    (and stored under it)."""
    if kept is None:
        return registry.finalize()
    folder, key = kept
    body = load(folder, key, COMPONENTS)
    schemas = registry.restore(body) if body is not None else None
    if schemas is None:
        schemas = registry.finalize()
        try:
            finalized = registry.finalized()
        except (TypeError, ValueError, msgspec.EncodeError):
            return schemas  # a schema JSON cannot hold (a hook's value): nothing to store
        store(folder, key, finalized, COMPONENTS)
    return schemas


def _stored_or_built(app: DocumentedApp) -> bytes:
    """The JSON document: read from the config's `document_cache` when it was stored there by
    the same code (stored.py), else built (and stored there)."""
    config = app.openapi_config
    folder = config.document_cache if config is not None else None
    if config is None or folder is None:
        return _encoded_document(app)
    schemes = dict(getattr(app, "security_schemes", None) or {})
    keys = StoredKeys(app.compiled_handlers, config, schemes)
    key = keys.document()
    body = load(folder, key) if key is not None else None
    if body is None:
        # the code changed: most often a handler's body only, which the schemas (most of the
        # work) are not derived from; they are kept under a key of their own
        schemas_key = keys.components()
        body = _encoded_document(app, (folder, schemas_key) if schemas_key else None)
        if key is not None:
            store(folder, key, body)
    return body


def _cached(app: DocumentedApp) -> dict[str, Any]:
    document = _documents.get(app)
    if document is None:
        document = _documents[app] = msgspec.json.decode(encoded_document(app, "json"))
    return document


def cached_document(app: DocumentedApp) -> dict[str, Any]:
    """A copy of the app's document, built on first use and then kept: decoded from its JSON
    encoding (kept too), which makes a copy several times faster than `copy.deepcopy`."""
    encoded = encoded_document(app, "json")
    with collection_paused():  # a large document is hundreds of thousands of containers
        copied: dict[str, Any] = msgspec.json.decode(encoded)
    return copied


def encoded_document(app: DocumentedApp, kind: str) -> bytes:
    """The document as JSON or YAML bytes, encoded once per app."""
    cache = _encoded.setdefault(app, {})
    body = cache.get(kind)
    if body is None:
        if kind == "yaml":
            import yaml

            document = _cached(app)
            body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True).encode("utf-8")
        else:
            # the build makes millions of short-lived containers (a large app's schemas) beside
            # the app's own long-lived ones, which the collector would walk again and again
            with collection_paused():
                body = _stored_or_built(app)
        cache[kind] = body
        # what the build (or the read) made and dropped is tens of MiB of a large app's heap
        return_freed_memory()
    return body
