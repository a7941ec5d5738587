"""Swagger 2.0 to the OpenAPI 3.x structure: the only code that knows 2.0.

definitions/parameters/responses/securityDefinitions move to `components`; body and formData
parameters become a `requestBody` (one content entry per `consumes`); response schemas get
one content entry per `produces`; host/basePath/schemes -> servers; `collectionFormat` ->
style/explode; `type: file` -> binary string; a definition name OpenAPI 3 refuses as a
component key is renamed by `naming.component_keys`, with a warning. Every move is recorded
(new pointer -> old) so positions and `$ref`s follow it.
"""

from __future__ import annotations

from typing import Any

from ..errors import SpecWarning, escape_pointer, join_pointer
from ..loader import is_missing, pointer_ref, resolve_pointer, split_ref
from ..naming import component_keys
from ..walk import HTTP_METHODS, as_dict, as_list, extensions_of, walk_document
from ._result import Normalized

_PARAM_SCHEMA_KEYS = (
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
)
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_OAUTH_FLOWS = {
    "implicit": "implicit",
    "password": "password",
    "application": "clientCredentials",
    "accessCode": "authorizationCode",
}


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


class _Swagger2:
    """Convert a Swagger 2.0 document (already a private copy) to OpenAPI 3.x structure."""

    def __init__(self, src: dict[str, Any], result: Normalized) -> None:
        self.src, self.result = src, result
        self.moves = result.moves
        self.consumes = _strings(src.get("consumes")) or ["application/json"]
        self.produces = _strings(src.get("produces")) or ["application/json"]
        params = src.get("parameters")
        self.global_params: dict[str, Any] = as_dict(params)
        self.schema_keys: dict[str, str] = {}  # definition name -> its new component key

    def warn(self, pointer: str, message: str) -> None:
        self.result.warnings.append(SpecWarning(pointer, message))

    def convert(self) -> dict[str, Any]:
        src = self.src
        out: dict[str, Any] = {"openapi": "3.1.0", "info": src.get("info") or {}}
        servers = self.servers()
        if servers:
            out["servers"] = servers
        for key in ("tags", "security", "externalDocs"):
            if key in src:
                out[key] = src[key]
        out.update(extensions_of(src))
        components = self.components()
        paths = src.get("paths")
        if isinstance(paths, dict):
            out["paths"] = {
                path: self.path_item(item, join_pointer("/paths", path))
                for path, item in paths.items()
            }
        if components:
            out["components"] = components
        self.rewrite_refs(out)
        return out

    def servers(self) -> list[dict[str, Any]]:
        host, base = self.src.get("host"), self.src.get("basePath") or ""
        if not isinstance(base, str):
            base = ""
        if isinstance(host, str) and host:
            schemes = _strings(self.src.get("schemes")) or ["https"]
            return [{"url": f"{scheme}://{host}{base}"} for scheme in schemes]
        return [{"url": base}] if base else []

    def components(self) -> dict[str, Any]:
        src, components = self.src, {}
        if isinstance(src.get("definitions"), dict):
            components["schemas"] = self.schemas(src["definitions"])
        parameters: dict[str, Any] = {}
        bodies: dict[str, Any] = {}
        for name, param in self.global_params.items():
            old = join_pointer("/parameters", name)
            if not isinstance(param, dict):
                continue
            if param.get("in") == "body":
                new = join_pointer("/components/requestBodies", name)
                bodies[name] = self.body(param, self.consumes, new, old)
            elif param.get("in") != "formData":  # formData is merged into each operation
                new = join_pointer("/components/parameters", name)
                parameters[name] = self.parameter(param, new, old)
        if parameters:
            components["parameters"] = parameters
        if bodies:
            components["requestBodies"] = bodies
        if isinstance(src.get("responses"), dict):
            components["responses"] = {
                name: self.response(
                    response,
                    self.produces,
                    join_pointer("/components/responses", name),
                    join_pointer("/responses", name),
                )
                for name, response in src["responses"].items()
                if isinstance(response, dict)
            }
        if isinstance(src.get("securityDefinitions"), dict):
            components["securitySchemes"] = {
                name: self.security_scheme(scheme)
                for name, scheme in src["securityDefinitions"].items()
                if isinstance(scheme, dict)
            }
            self.moves["/components/securitySchemes"] = "/securityDefinitions"
        return components

    def schemas(self, definitions: dict[str, Any]) -> dict[str, Any]:
        """The definitions as component schemas, each under a key OpenAPI 3 allows (Components
        Object: "MUST use keys that match the regular expression: ^[a-zA-Z0-9\\.\\-_]+$";
        2.0 allowed any name, so the upgrade must rename): `naming.component_keys`."""
        self.moves["/components/schemas"] = "/definitions"
        self.schema_keys = component_keys(definitions)
        for old, new in self.schema_keys.items():
            self.moves[join_pointer("/components/schemas", new)] = join_pointer("/definitions", old)
            self.warn(
                join_pointer("/definitions", old),
                f"component name {old!r} is not one OpenAPI 3 allows (letters, digits, '.', "
                f"'-', '_'): served as {new!r}",
            )
        return {self.schema_keys.get(name, name): value for name, value in definitions.items()}

    def security_scheme(self, scheme: dict[str, Any]) -> dict[str, Any]:
        kind = scheme.get("type")
        out: dict[str, Any] = {}
        if kind == "basic":
            out = {"type": "http", "scheme": "basic"}
        elif kind == "apiKey":
            out = {"type": "apiKey", "name": scheme.get("name"), "in": scheme.get("in")}
        elif kind == "oauth2":
            flow: dict[str, Any] = {"scopes": scheme.get("scopes") or {}}
            for key in ("authorizationUrl", "tokenUrl"):
                if key in scheme:
                    flow[key] = scheme[key]
            name = _OAUTH_FLOWS.get(str(scheme.get("flow")), "implicit")
            out = {"type": "oauth2", "flows": {name: flow}}
        else:
            out = {"type": kind}
        if "description" in scheme:
            out["description"] = scheme["description"]
        out.update(extensions_of(scheme))
        return out

    def resolve(self, param: Any) -> Any:
        """A parameter, following a `#/parameters/...` reference."""
        if isinstance(param, dict) and isinstance(param.get("$ref"), str):
            _, fragment = split_ref(param["$ref"])
            target = resolve_pointer(self.src, fragment)
            return None if is_missing(target) else target
        return param

    def path_item(self, item: Any, pointer: str) -> Any:
        if not isinstance(item, dict) or "$ref" in item:
            return item
        out = {key: value for key, value in item.items() if key not in HTTP_METHODS}
        inherited = out.pop("parameters", None)
        shared = [
            (param, f"{pointer}/parameters/{i}") for i, param in enumerate(as_list(inherited))
        ]
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                op_pointer = join_pointer(pointer, method)
                out[method] = self.operation(operation, shared, op_pointer)
        return out

    def operation(
        self, op: dict[str, Any], shared: list[tuple[Any, str]], pointer: str
    ) -> dict[str, Any]:
        skip = ("parameters", "responses", "consumes", "produces", "schemes")
        out = {key: value for key, value in op.items() if key not in skip}
        own = op.get("parameters")
        listed = shared + [
            (param, f"{pointer}/parameters/{i}") for i, param in enumerate(as_list(own))
        ]
        merged: dict[Any, tuple[Any, str]] = {}
        for param, old in listed:  # an operation's parameter overrides the path item's
            resolved = self.resolve(param)
            key = (resolved.get("name"), resolved.get("in")) if isinstance(resolved, dict) else old
            merged.pop(key, None)
            merged[key] = (param, old)
        consumes = _strings(op.get("consumes")) or self.consumes
        produces = _strings(op.get("produces")) or self.produces
        params: list[Any] = []
        form: list[tuple[dict[str, Any], str]] = []
        for param, old in merged.values():
            if not isinstance(param, dict):
                self.warn(old, "a parameter is not an object; ignored")
                continue
            resolved = self.resolve(param)
            where = resolved.get("in") if isinstance(resolved, dict) else None
            if where == "body":
                body_pointer = join_pointer(pointer, "requestBody")
                if "$ref" in param:
                    name = param["$ref"].rsplit("/", 1)[-1]
                    out["requestBody"] = {"$ref": f"#/components/requestBodies/{name}"}
                else:
                    out["requestBody"] = self.body(param, consumes, body_pointer, old)
            elif where == "formData":
                form.append((resolved, old))
            else:
                new = f"{pointer}/parameters/{len(params)}"
                params.append(param if "$ref" in param else self.parameter(param, new, old))
                self.moves[new] = old
        if form:
            if "requestBody" in out:
                self.warn(pointer, "both body and formData parameters; formData ignored")
            else:
                out["requestBody"] = self.form_body(form, consumes, pointer)
        if params:
            out["parameters"] = params
        responses = op.get("responses")
        if isinstance(responses, dict):
            out["responses"] = {
                str(status): (
                    response  # an extension of the Responses object, as written
                    if str(status).startswith("x-")
                    else self.response(
                        response,
                        produces,
                        join_pointer(pointer, "responses", status),
                        join_pointer(pointer, "responses", status),
                    )
                )
                for status, response in responses.items()
                if isinstance(response, dict) or str(status).startswith("x-")
            }
        return out

    def parameter(self, param: dict[str, Any], new: str, old: str) -> dict[str, Any]:
        out = {key: value for key, value in param.items() if key not in _PARAM_SCHEMA_KEYS}
        out.pop("collectionFormat", None)
        out["schema"] = self.param_schema(param)
        self.moves[new] = old
        self.moves[join_pointer(new, "schema")] = old
        if param.get("type") == "array":
            style = self.collection_style(param, new)
            if style is not None:
                out["style"], out["explode"] = style
        return out

    def param_schema(self, param: dict[str, Any]) -> dict[str, Any]:
        schema = {key: param[key] for key in _PARAM_SCHEMA_KEYS if key in param}
        if isinstance(schema.get("items"), dict):
            items = dict(schema["items"])
            items.pop("collectionFormat", None)
            schema["items"] = items
        return schema

    def collection_style(self, param: dict[str, Any], pointer: str) -> tuple[str, bool] | None:
        fmt = param.get("collectionFormat", "csv")
        where = param.get("in")
        if fmt == "multi":
            return ("form", True)
        if fmt == "ssv":
            return ("spaceDelimited", False)
        if fmt == "pipes":
            return ("pipeDelimited", False)
        if fmt != "csv":
            self.warn(pointer, f"collectionFormat {fmt!r} has no OpenAPI 3 style; read as csv")
        return ("form", False) if where in ("query", "cookie") else ("simple", False)

    def body(
        self, param: dict[str, Any], consumes: list[str], new: str, old: str
    ) -> dict[str, Any]:
        schema = as_dict(param.get("schema"))
        content = {}
        for media_type in consumes:
            content[media_type] = {"schema": schema}
            self.moves[join_pointer(new, "content", media_type, "schema")] = f"{old}/schema"
        out: dict[str, Any] = {"content": content}
        if "description" in param:
            out["description"] = param["description"]
        if param.get("required") is True:
            out["required"] = True
        out.update(extensions_of(param))
        self.moves[new] = old
        return out

    def form_body(
        self, form: list[tuple[dict[str, Any], str]], consumes: list[str], pointer: str
    ) -> dict[str, Any]:
        has_file = any(param.get("type") == "file" for param, _ in form)
        media_types = [media_type for media_type in consumes if media_type in _FORM_TYPES]
        if has_file and "multipart/form-data" not in media_types:
            media_types = ["multipart/form-data"]
        if not media_types:
            media_types = ["application/x-www-form-urlencoded"]
        properties, required = {}, []
        body_pointer = join_pointer(pointer, "requestBody")
        for param, old in form:
            name = str(param.get("name", ""))
            schema = self.param_schema(param)
            if "description" in param:
                schema["description"] = param["description"]
            properties[name] = schema
            if param.get("required") is True:
                required.append(name)
            for media_type in media_types:
                prop = join_pointer(body_pointer, "content", media_type, "schema", "properties")
                self.moves[join_pointer(prop, name)] = old
        form_schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            form_schema["required"] = required
        out: dict[str, Any] = {"content": {mt: {"schema": form_schema} for mt in media_types}}
        if required:
            out["required"] = True
        return out

    def response(
        self, response: dict[str, Any], produces: list[str], new: str, old: str
    ) -> dict[str, Any]:
        if "$ref" in response:
            return response
        out: dict[str, Any] = {"description": response.get("description", "")}
        schema = response.get("schema")
        examples = response.get("examples")
        content: dict[str, Any] = {}
        if isinstance(schema, dict):
            for media_type in produces:
                content[media_type] = {"schema": schema}
                self.moves[join_pointer(new, "content", media_type, "schema")] = f"{old}/schema"
        if isinstance(examples, dict):
            for media_type, example in examples.items():
                content.setdefault(media_type, {})["example"] = example
        if content:
            out["content"] = content
        headers = response.get("headers")
        if isinstance(headers, dict):
            out["headers"] = {
                name: self.header(header)
                for name, header in headers.items()
                if isinstance(header, dict)
            }
        out.update(extensions_of(response))
        self.moves[new] = old
        return out

    def header(self, header: dict[str, Any]) -> dict[str, Any]:
        out = {key: value for key, value in header.items() if key not in _PARAM_SCHEMA_KEYS}
        out.pop("collectionFormat", None)
        out["schema"] = self.param_schema(header)
        return out

    def rewrite_refs(self, doc: dict[str, Any]) -> None:
        """Point 2.0 `$ref`s (`#/definitions/...`) at their 3.x places."""
        moved_from: dict[str, str] = {}
        for new_place, old_place in self.moves.items():
            moved_from.setdefault(old_place, new_place)  # the value itself, not its schema
        prefixes = {
            "/definitions/": "/components/schemas/",
            "/parameters/": "/components/parameters/",
            "/responses/": "/components/responses/",
        }
        for _pointer, node, _kind in walk_document(doc, "3.1"):
            ref = node.get("$ref")
            if not isinstance(ref, str) or not ref.startswith("#"):
                continue
            fragment = split_ref(ref)[1]
            for old, new in prefixes.items():
                if fragment.startswith(old):
                    name = fragment[len(old) :].split("/", 1)[0]
                    target, rest = new, fragment[len(old) :]
                    if old == "/parameters/" and self._is_body(name):
                        target = "/components/requestBodies/"
                    if old == "/definitions/" and _unescaped(name) in self.schema_keys:
                        rest = (
                            escape_pointer(self.schema_keys[_unescaped(name)]) + rest[len(name) :]
                        )
                    node["$ref"] = pointer_ref(target + rest)
                    break
            else:
                moved = _moved(fragment, moved_from)
                if moved is not None:
                    node["$ref"] = pointer_ref(moved)

    def _is_body(self, escaped: str) -> bool:
        param = self.global_params.get(_unescaped(escaped))
        return isinstance(param, dict) and param.get("in") == "body"


def _moved(pointer: str, moved_from: dict[str, str]) -> str | None:
    """Where `pointer` is now: under the new place of its longest moved prefix (a `$ref` may
    point inside a moved value, such as a 2.0 response's schema), or None."""
    prefix = pointer
    while prefix:
        if prefix in moved_from:
            return moved_from[prefix] + pointer[len(prefix) :]
        prefix = prefix.rpartition("/")[0]
    return None


def _unescaped(segment: str) -> str:
    """A JSON pointer segment as the key it names (RFC 6901 section 4)."""
    return segment.replace("~1", "/").replace("~0", "~")
