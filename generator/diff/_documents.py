"""The comparable form of a whole (normalised 3.1) document: paths, operations, parameters,
bodies, responses and components, each with the defaults and orders that mean nothing
dropped (see the list in the package's docstring); schemas go to `_schemas`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..walk import RUNTIME_MARK
from ._references import _Resolver
from ._schemas import _canonical_schema, _member_mappings
from ._sharing import _once_per_node, _sharing

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PARAMETER_DEFAULTS = {
    "required": False,
    "deprecated": False,
    "allowEmptyValue": False,
    "allowReserved": False,
}
_STYLE_DEFAULTS = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}
_IGNORED_HEADER_PARAMETERS = frozenset(("accept", "content-type", "authorization"))
_REUSED_COMPONENTS = frozenset(
    (
        "parameters",
        "responses",
        "requestBodies",
        "headers",
        "examples",
        "links",
        "callbacks",
        "pathItems",
    )
)


def _canonical_parameter(parameter: Mapping[str, Any]) -> dict[str, Any]:
    location = parameter.get("in", "")
    result: dict[str, Any] = {}
    for key, value in parameter.items():
        if key in _PARAMETER_DEFAULTS and value == _PARAMETER_DEFAULTS[key]:
            continue
        if key == "style" and value == _STYLE_DEFAULTS.get(location):
            continue
        if key == "explode" and value == (
            parameter.get("style", _STYLE_DEFAULTS.get(location)) == "form"
        ):
            continue
        if key == "content" and isinstance(value, Mapping):  # its schema is a schema too
            result[key] = _canonical_content(value)
            continue
        result[key] = _canonical_schema(value) if key == "schema" else _canonical(value)
    schema = result.get("schema")
    if isinstance(schema, dict) and location != "path" and result.get("required") is not True:
        result["schema"] = _null_is_absence(schema)
    return result


def _null_is_absence(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional parameter's `null` (in its type, enum or default) is the parameter left out:
    no serialization carries a null (RFC 6570 treats it as undefined)."""
    kinds = schema.get("type")
    if not isinstance(kinds, list) or "null" not in kinds or len(kinds) < 2:
        return schema
    result = {k: v for k, v in schema.items() if not (k == "default" and v is None)}
    rest = [kind for kind in kinds if kind != "null"]
    result["type"] = rest[0] if len(rest) == 1 else rest
    if isinstance(result.get("enum"), list):
        result["enum"] = [value for value in result["enum"] if value is not None]
    return result


def _canonical_content(content: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for media_type, media in content.items():
        media = dict(media)
        if "schema" in media:
            media["schema"] = _canonical_schema(media["schema"])
            if media["schema"] == {}:
                del media["schema"]  # the empty schema allows any content: what none says
        result[media_type.lower()] = _canonical(media, skip=("schema",))
    return result


def _canonical_headers(headers: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, header in headers.items():
        if name.lower() == "content-type":
            continue  # "SHALL be ignored" (Response Object, `headers`)
        header = {
            k: v
            for k, v in header.items()
            if not (k in _PARAMETER_DEFAULTS and v == _PARAMETER_DEFAULTS[k])
        }
        if header.get("style") == "simple":
            header.pop("style")
        if "schema" in header:
            header["schema"] = _canonical_schema(header["schema"])
        result[name.lower()] = _canonical(header, skip=("schema",))
    return result


def _canonical_operation(
    operation: Mapping[str, Any], path_parameters: list[Any]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    parameters = {
        f"{p.get('in')}:{p.get('name')}": _canonical_parameter(p)
        for p in [*path_parameters, *operation.get("parameters", [])]
        if isinstance(p, Mapping) and not _ignored_parameter(p)
    }
    if parameters:
        result["parameters"] = parameters
    for key, value in operation.items():
        if key == "parameters":
            continue
        if key == "deprecated" and value is False:
            continue
        if key == "requestBody":
            body = {k: v for k, v in value.items() if not (k == "required" and v is False)}
            if "content" in body:
                body["content"] = _canonical_content(body["content"])
            result[key] = _canonical(body, skip=("content",))
        elif key == "responses":
            responses: dict[str, Any] = {}
            for status, response in value.items():
                if str(status).startswith("x-"):  # an extension: compared as written
                    responses[str(status)] = response
                    continue
                if _runtime_added(response):
                    continue
                response = dict(response)
                if "content" in response:
                    response["content"] = _canonical_content(response["content"])
                if "headers" in response:
                    headers = _canonical_headers(response["headers"])
                    if headers or not response["headers"]:
                        response["headers"] = headers
                    else:  # only ignored headers: none
                        del response["headers"]
                responses[str(status).upper()] = _canonical(response, skip=("content", "headers"))
            result[key] = responses
        elif key == "callbacks" and isinstance(value, Mapping):
            result[key] = {
                name: _canonical_paths(items) if isinstance(items, Mapping) else items
                for name, items in value.items()
            }
        else:
            result[key] = _canonical(value)
    return result


def _runtime_added(value: Any) -> bool:
    """A response (or the error schema) a served document marks as the runtime's own answer
    (`x-specloom-runtime: true`, runtime/openapi/runtime_answers.py)."""
    return isinstance(value, Mapping) and value.get(RUNTIME_MARK) is True


def _ignored_parameter(parameter: Mapping[str, Any]) -> bool:
    name = parameter.get("name")
    return (
        parameter.get("in") == "header"
        and isinstance(name, str)
        and name.lower() in _IGNORED_HEADER_PARAMETERS
    )


def _canonical(value: Any, skip: Iterable[str] = ()) -> Any:
    skipped = set(skip)
    if skipped and isinstance(value, Mapping):
        return {k: (v if k in skipped else _canonical_value(v)) for k, v in value.items()}
    return _canonical_value(value)


@_once_per_node
def _canonical_value(value: Any) -> Any:
    # a string is itself: not called for one (the ABC's check of a Mapping is not cheap)
    if type(value) is dict or isinstance(value, Mapping):
        return {k: v if type(v) is str else _canonical_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [item if type(item) is str else _canonical_value(item) for item in value]
    return value


def _canonical_paths(paths: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for path, item in paths.items():
        if not isinstance(item, Mapping):
            continue
        shared = list(item.get("parameters", []))
        servers = item.get("servers")
        entry: dict[str, Any] = {}
        for key, value in item.items():
            if key in _HTTP_METHODS and isinstance(value, Mapping):
                if servers is not None and "servers" not in value:
                    value = {**value, "servers": servers}  # a path's servers are its operations'
                entry[key] = _canonical_operation(value, shared)
            elif key not in ("parameters", "servers"):
                entry[key] = _canonical(value)
        result[path] = entry
    return result


def _effective_security(document: dict[str, Any]) -> None:
    """Root `security` pushed into every operation that does not set its own."""
    root = document.pop("security", None)
    if root is None:
        return
    paths = document.get("paths")
    for item in paths.values() if isinstance(paths, Mapping) else ():
        if not isinstance(item, dict):
            continue
        for method in _HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict) and "security" not in operation:
                operation["security"] = root


def canonical_for_diff(normalized: Mapping[str, Any]) -> dict[str, Any]:
    """The comparable form of an already normalised (3.1) document."""
    with _sharing():
        explicit = _member_mappings(normalized)
        return _canonical_document(_Resolver(explicit).resolve(explicit))


def _canonical_document(resolved: dict[str, Any]) -> dict[str, Any]:
    _effective_security(resolved)
    result: dict[str, Any] = {}
    for key, value in resolved.items():
        if key in ("paths", "webhooks") and isinstance(value, Mapping):
            if value:  # no path at all says what leaving `paths` out says
                result[key] = _canonical_paths(value)
        elif key == "components" and isinstance(value, Mapping):
            components = {k: v for k, v in value.items() if k not in _REUSED_COMPONENTS}
            written = components.pop("schemas", None)
            kept = {}
            if isinstance(written, Mapping):
                kept = {n: s for n, s in written.items() if not _runtime_added(s)}
            if kept:  # none (`schemas: {}`, or the runtime's error schema alone) defines none
                components["schemas"] = {n: _canonical_schema(s) for n, s in kept.items()}
            if components:
                result[key] = _canonical(components, skip=("schemas",))
        elif key == "openapi":
            continue  # both sides are 3.1 after normalising
        else:
            result[key] = _canonical(value)
    return result
