"""Build the IR (`Api`) from a spec document; `parse(path)` runs the whole front end."""

from __future__ import annotations

import heapq
import os
from collections.abc import Iterable
from typing import Any

import msgspec

from .alias_cycles import break_alias_cycles
from .base64_text import base64_parts
from .composition import settle_all_of
from .content import binary_text_in_documents, mark_restated_docs
from .errors import Report, SpecError, SpecWarning, join_pointer, show_pointer
from .ir import (
    Api,
    ApiKeyLocation,
    Discriminator,
    Model,
    ModelRef,
    OAuthFlow,
    Operation,
    SecurityKind,
    SecurityScheme,
    Tag,
    TypeRef,
)
from .loader import load_spec
from .naming import (
    RESERVED_FIELD,
    RESERVED_FUNCTION,
    assign_unique,
    capped_name,
    module_name,
    snake_name,
)
from .normalize import normalize_document
from .operations import OperationBuilder, route_key
from .schema_utils import external_docs
from .schemas import SchemaBuilder
from .servers import base_path_of, servers_of
from .sources import SourceMap
from .union_tags import tag_unions
from .unions import fit_unions, map_types
from .walk import HTTP_METHODS, as_dict, as_list, extensions_of

__all__ = ["build_ir", "parse"]

_HTTP_SCHEMES: dict[str, SecurityKind] = {"basic": "http_basic", "bearer": "http_bearer"}
_API_KEY_PLACES: dict[Any, ApiKeyLocation] = {
    "header": "header",
    "query": "query",
    "cookie": "cookie",
}


def parse(path: str | os.PathLike[str], *, source_name: str | None = None) -> Api:
    """Load, normalise and build the IR of the spec at `path` (`-`: stdin)."""
    loaded = load_spec(path, source_name=source_name)
    return build_ir(loaded.document, positions=loaded.source_map, warnings=loaded.warnings)


def build_ir(
    doc: dict[str, Any],
    *,
    positions: SourceMap | None = None,
    warnings: Iterable[SpecWarning] = (),
    mount_base_path: bool = True,
) -> Api:
    """The IR of `doc` (any supported version; it is normalised first, which is idempotent).

    `positions` maps pointers of `doc` to source lines: warnings and errors then carry them.
    `mount_base_path`: routes are served under the path of the servers' URLs (`/api/v3`), as
    OpenAPI means them; False serves them at the paths as written.
    """
    try:
        normalized = normalize_document(doc)
    except SpecError as exc:
        if positions is not None and exc.pointer is not None:
            where = positions.locate(join_pointer(exc.pointer, "$ref"))
            raise exc.located(where) from None
        raise
    located = [w.located(positions.locate(w.pointer)) if positions else w for w in warnings]
    # what normalising and building report is about the normalised document (2.0's
    # definitions are its components/schemas): placed in the document as written
    source_map = positions.relocated(normalized.moves) if positions is not None else None
    later = list(normalized.warnings)
    canonical = normalized.document
    report = Report()
    builder = _Builder(canonical, report, mount_base_path=mount_base_path)
    builder.schemas.ignored_siblings = normalized.ignored_siblings
    api = builder.build(_source_version(doc))
    later += report.finish()
    located += [source_map.place(w) for w in later] if source_map is not None else later
    return msgspec.structs.replace(
        api, warnings=tuple(dict.fromkeys(located)), moves=normalized.moves
    )


def _source_version(doc: dict[str, Any]) -> str:
    return str(doc.get("swagger") or doc.get("openapi") or "")


class _Builder:
    def __init__(self, doc: dict[str, Any], report: Report, *, mount_base_path: bool) -> None:
        self.doc, self.report, self.mount_base_path = doc, report, mount_base_path
        self.schemas = SchemaBuilder(doc, report)

    def build(self, source_version: str) -> Api:
        doc = self.doc
        info = as_dict(doc.get("info"))
        self.schemas.build_components()
        schemes = self.security_schemes()
        builder = OperationBuilder(doc, self.schemas, self.report, {s.name for s in schemes})
        operations = self.operations(builder, "paths", "operation")
        webhooks = self.operations(builder, "webhooks", "webhook")
        models = self.schemas.models
        tag_unions(models, self.report)
        settle_all_of(models, self.report)
        fit = fit_unions(models, self.report)
        for key in list(models):
            models[key] = fit(models[key], key)
        operations = [fit(op, op.pointer) for op in operations]
        webhooks = [fit(op, op.pointer) for op in webhooks]
        break_alias_cycles(models, self.report)
        binary_text_in_documents(models, operations + webhooks, self.report)
        base64_parts(models, operations + webhooks, self.report)
        marked = mark_restated_docs(models, operations + webhooks)  # one pass over the models
        operations, webhooks = marked[: len(operations)], marked[len(operations) :]
        names = assign_unique(
            (
                (key, capped_name(wanted), order)
                for key, (wanted, order) in self.schemas.wanted.items()
            ),
            separator="",
        )
        renamed = [_rename_model(models[key], names) for key in models]
        op_names = _operation_names(operations + webhooks)
        self.report_duplicate_ids(operations + webhooks)
        operations = [_rename_operation(op, names, op_names) for op in operations]
        operations = self.shadow_duplicates(operations)
        webhooks = [_rename_operation(op, names, op_names) for op in webhooks]
        return Api(
            title=_text(info, "title") or "API",
            version=str(info.get("version", "")) or "0.0.0",
            openapi=source_version,
            description=_text(info, "description"),
            summary=_text(info, "summary"),
            info={
                k: v
                for k, v in info.items()
                if k not in ("title", "version", "description", "summary")
            },
            servers=servers_of(doc.get("servers")),
            base_path=base_path_of(doc.get("servers"), self.report, mount=self.mount_base_path),
            tags=self.tags(operations),
            security_schemes=tuple(schemes),
            security=builder.global_security,
            operations=tuple(operations),
            webhooks=tuple(webhooks),
            models=tuple(_dependency_order(renamed)),
            external_docs=external_docs(doc),
            extensions=extensions_of(doc),
            path_docs=_path_docs(doc.get("paths")),
            root_tags=isinstance(doc.get("tags"), list),
            root_security=isinstance(doc.get("security"), list),
            component_extras=_component_extras(doc.get("components")),
            json_schema_dialect=_text(doc, "jsonSchemaDialect"),
        )

    def shadow_duplicates(self, operations: list[Operation]) -> list[Operation]:
        """One route per method and path: where the spec has two (`/boards/{id}` and
        `/boards/{idBoard}` are one path), the first in spec order is served, the others not."""
        first: dict[str, Operation] = {}
        result = []
        for op in operations:
            key = route_key(op.method, op.path)
            served = first.setdefault(key, op) if op.routable else op
            if served is not op:
                self.report.warn(
                    op.pointer,
                    f"{op.method.upper()} {op.path} is {op.method.upper()} {served.path} "
                    f"({show_pointer(served.pointer)}): paths that differ only in parameter names, "
                    f"a query string or a fragment are one path; {served.python_name} serves it, "
                    f"{op.python_name} is kept unrouted and marked",
                )
                op = msgspec.structs.replace(op, routable=False, shadowed_by=served.python_name)
            result.append(op)
        return result

    def report_duplicate_ids(self, operations: list[Operation]) -> None:
        first: dict[str, str] = {}
        for _, op in _all_operations(operations):
            if op.operation_id is None:
                continue
            if op.operation_id in first:
                message = (
                    f"operationId {op.operation_id!r} is also used by {first[op.operation_id]}"
                )
                self.report.warn(op.pointer, message + "; the handler name is suffixed")
            else:
                first[op.operation_id] = show_pointer(op.pointer)

    def operations(self, builder: OperationBuilder, section: str, kind: Any) -> list[Operation]:
        items = self.doc.get(section)
        if not isinstance(items, dict):
            return []
        found = []
        for path, item in items.items():
            pointer = join_pointer(f"/{section}", path)
            if not isinstance(item, dict):
                if not path.startswith("x-"):
                    self.report.warn(pointer, "a path item is not an object; ignored")
                continue
            for method in HTTP_METHODS:
                op = item.get(method)
                if op is None:
                    continue
                if not isinstance(op, dict):
                    self.report.warn(
                        join_pointer(pointer, method),
                        "an operation is not an object; it has no details",
                    )
                    op = {}
                built = builder.build(
                    op,
                    method=method,
                    path=path,
                    pointer=join_pointer(pointer, method),
                    kind=kind,
                    name_text=f"{method} {path}",
                )
                servers = servers_of(op.get("servers", item.get("servers")))
                found.append(msgspec.structs.replace(built, servers=servers))
        return found

    def security_schemes(self) -> list[SecurityScheme]:
        raw = self.doc.get("components", {}).get("securitySchemes")
        found: list[SecurityScheme] = []
        for name, scheme in raw.items() if isinstance(raw, dict) else ():
            pointer = join_pointer("/components/securitySchemes", name)
            if isinstance(scheme, dict) and "$ref" in scheme:
                scheme = _follow(self.doc, scheme)
            made = self.security_scheme(name, scheme, pointer) if isinstance(scheme, dict) else None
            if made is not None:
                found.append(made)
        names = assign_unique(
            (s.name, snake_name(s.name, RESERVED_FUNCTION), s.name) for s in found
        )
        return [msgspec.structs.replace(s, python_name=names[s.name]) for s in found]

    def security_scheme(
        self, name: str, scheme: dict[str, Any], pointer: str
    ) -> SecurityScheme | None:
        kind = scheme.get("type")
        common: dict[str, Any] = {
            "name": name,
            "python_name": name,
            "description": _text(scheme, "description"),
            "extensions": extensions_of(scheme),
        }
        if kind == "apiKey":
            where = _API_KEY_PLACES.get(scheme.get("in"))
            if where is None:
                message = f"apiKey location {scheme.get('in')!r} is not header/query/cookie"
                self.report.warn(pointer, message + "; header used")
            return SecurityScheme(
                kind="api_key",
                location=where or "header",
                parameter_name=_text(scheme, "name"),
                **common,
            )
        if kind == "http":
            http = str(scheme.get("scheme", "")).lower()
            return SecurityScheme(
                kind=_HTTP_SCHEMES.get(http, "http"),
                scheme=_text(scheme, "scheme"),
                bearer_format=_text(scheme, "bearerFormat"),
                **common,
            )
        if kind == "oauth2":
            flows = as_dict(scheme.get("flows"))
            return SecurityScheme(
                kind="oauth2",
                flows=tuple(_flow(k, f) for k, f in flows.items() if isinstance(f, dict)),
                **common,
            )
        if kind == "openIdConnect":
            return SecurityScheme(
                kind="open_id_connect",
                open_id_connect_url=_text(scheme, "openIdConnectUrl"),
                **common,
            )
        if kind == "mutualTLS":
            return SecurityScheme(kind="mutual_tls", **common)
        self.report.warn(pointer, f"unknown security scheme type {kind!r}; ignored")
        return None

    def tags(self, operations: list[Operation]) -> tuple[Tag, ...]:
        declared: dict[str, dict[str, Any]] = {}
        raw = self.doc.get("tags")
        for tag in as_list(raw):
            if isinstance(tag, dict) and isinstance(tag.get("name"), str):
                declared.setdefault(tag["name"], tag)
        named = set(declared)
        for op in operations:
            declared.setdefault(op.tag, {"name": op.tag})
        modules = assign_unique(
            (name, module_name(name, RESERVED_FIELD), name) for name in declared
        )
        return tuple(
            Tag(
                name=name,
                module=modules[name],
                description=_text(tag, "description"),
                external_docs=external_docs(tag),
                declared=name in named,
                extensions=extensions_of(tag),
            )
            for name, tag in declared.items()
        )


def _path_docs(paths: Any) -> dict[str, dict[str, Any]]:
    """The documentation of each path item (summary, description, x- extensions); a path item
    with no operation is listed too (`{}`), so the document declares the path as written."""
    found: dict[str, dict[str, Any]] = {}
    for path, item in paths.items() if isinstance(paths, dict) else ():
        if not isinstance(item, dict) or path.startswith("x-"):
            continue
        docs = {
            key: value
            for key, value in item.items()
            if (key in ("summary", "description") and isinstance(value, str))
            or key.startswith("x-")
        }
        if docs or not any(isinstance(item.get(method), dict) for method in HTTP_METHODS):
            found[path] = docs
    return found


def _component_extras(components: Any) -> dict[str, Any] | None:
    """The sections of `components` written as empty objects and its `x-` keys (`{}` for
    `components: {}`): what the document carries besides the models and schemes."""
    if not isinstance(components, dict):
        return None
    extras: dict[str, Any] = {
        key: value for key, value in components.items() if value == {} or key.startswith("x-")
    }
    return extras if extras or not components else None


def _follow(doc: dict[str, Any], node: dict[str, Any]) -> Any:
    from .loader import resolve_pointer, split_ref

    hops = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and hops < 32:
        node, hops = resolve_pointer(doc, split_ref(node["$ref"])[1]), hops + 1
    return node


def _flow(kind: str, flow: dict[str, Any]) -> OAuthFlow:
    scopes = as_dict(flow.get("scopes"))
    return OAuthFlow(
        kind=kind,
        scopes={str(k): str(v) for k, v in scopes.items()},
        authorization_url=_text(flow, "authorizationUrl"),
        token_url=_text(flow, "tokenUrl"),
        refresh_url=_text(flow, "refreshUrl"),
    )


def _text(node: dict[str, Any], key: str) -> str | None:
    value = node.get(key)
    return value if isinstance(value, str) else None


def _rename_types(node: Any, names: dict[str, str]) -> Any:
    def rename(type_: TypeRef) -> TypeRef:
        if isinstance(type_, ModelRef) and type_.name in names:
            return msgspec.structs.replace(type_, name=names[type_.name])
        return type_

    return map_types(node, rename)


def _rename_model(model: Model, names: dict[str, str]) -> Model:
    model = _rename_types(model, names)
    discriminator = model.discriminator
    if discriminator is not None:
        mapping = {value: names.get(key, key) for value, key in discriminator.mapping.items()}
        discriminator = Discriminator(property_name=discriminator.property_name, mapping=mapping)
    return msgspec.structs.replace(
        model,
        name=names[model.pointer],
        bases=tuple(names.get(base, base) for base in model.bases),
        all_of=tuple(names.get(part, part) for part in model.all_of),
        shared=names.get(model.shared, model.shared) if model.shared else None,
        discriminator=discriminator,
    )


def _all_operations(operations: list[Operation]) -> list[tuple[int, Operation]]:
    found: list[tuple[int, Operation]] = []
    for op in operations:
        found.append((0 if op.kind == "operation" else 1, op))
        found += [(2, callback) for _, callback in _all_operations(list(op.callbacks))]
    return found


def _operation_names(operations: list[Operation]) -> dict[str, str]:
    """Unique handler names; routed operations first, then webhooks, then callbacks."""
    return assign_unique(
        (op.pointer, op.python_name, f"{rank}{op.pointer}")
        for rank, op in _all_operations(operations)
    )


def _rename_operation(op: Operation, models: dict[str, str], ops: dict[str, str]) -> Operation:
    op = _rename_types(op, models)
    callbacks = tuple(_rename_operation(c, models, ops) for c in op.callbacks)
    return msgspec.structs.replace(op, python_name=ops[op.pointer], callbacks=callbacks)


def _dependency_order(models: list[Model]) -> list[Model]:
    """Models sorted so that bases and alias targets come first; ties by name."""
    by_name = {model.name: model for model in models}
    needs: dict[str, set[str]] = {}
    for model in models:
        refs: set[str] = set(model.bases)
        if model.kind in ("alias", "union"):

            def collect(type_: TypeRef, refs: set[str] = refs) -> TypeRef:
                if isinstance(type_, ModelRef):
                    refs.add(type_.name)
                return type_

            map_types((model.target, model.union_members), collect)
        needs[model.name] = {r for r in refs if r in by_name and r != model.name}
    users: dict[str, list[str]] = {name: [] for name in by_name}
    for name, required in needs.items():
        for other in required:
            users[other].append(name)
    ready = [name for name, required in needs.items() if not required]
    heapq.heapify(ready)
    ordered: list[Model] = []
    while ready:
        name = heapq.heappop(ready)
        ordered.append(by_name[name])
        for user in users[name]:
            needs[user].discard(name)
            if not needs[user]:
                heapq.heappush(ready, user)
    placed = {model.name for model in ordered}
    ordered += sorted((m for m in models if m.name not in placed), key=lambda m: m.name)
    return ordered
