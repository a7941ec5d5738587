"""Mock mode: a handler that is not written yet answers from what its operation documents.

Off by default; on with `App(mock=True)`, or `SPECLOOM_MOCK=1` in the environment when the app
is built (`specloom dev --mock` sets it). It is decided once, at construction: when on, each
compiled handler's function is wrapped so that a `NotImplementedError` it raises (a generated
stub's body, or a paginator not written yet) returns a `MockAnswer`, an ASGI callable the
compiled handler sends as it sends any ASGI app a handler returns. A written handler is served
as usual, so a server moves from mock to real one operation at a time; when off nothing is
wrapped and the request path is unchanged.

The answer comes from the operation as the app documents it (`App.openapi()`, built from the
handlers' declarations, so nothing is parsed again):

- status: the lowest documented 2xx (else a 2XX range, `default`, the lowest documented);
  `Prefer: code=N` picks another documented one (an exact code or its range); an undocumented
  one is a 400 JSON error that lists the documented codes;
- body: the media type's first example that fits its schema (one that does not is a spec
  defect: logged once, not sent), else a value made from its schema (`mock_values`): the same
  value every time, a new one with `Prefer: dynamic=true` (which skips the examples);
  `Prefer: example=NAME` sends the named one of its `examples` as written (in the chosen
  response or, without `code`, the first response that has it);
- media type: the one the `Accept` header prefers among the documented ones (else JSON first);
  JSON is encoded as JSON, text as it is, binary content is a placeholder;
- headers: every documented response header, from its example or its schema; `x-specloom-mock`
  says where the body came from (`example`, `example=NAME`, `schema`, `empty`).
"""

from __future__ import annotations

import functools
import os
import random
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import msgspec

from specloom.servers import base_path, relative_path

from .datastructures.accept import Accept
from .errors import logger
from .mock_values import MockValues
from .openapi.document import cached_document
from .openapi.operations import openapi_path
from .response.base import ASGIResponse, body_allowed, is_json_media_type
from .types import Receive, Scope, Send

if TYPE_CHECKING:
    from .compile import CompiledHandler
    from .openapi.document import DocumentedApp

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "MockAnswer",
    "MockServer",
    "documented_operation",
    "mock_enabled",
    "parse_prefer",
]

ENVIRONMENT_VARIABLE = "SPECLOOM_MOCK"
_TRUE = ("1", "true", "yes", "on")
# what the body and the connection decide, never a documented value
_SKIPPED_HEADERS = frozenset(
    (
        "content-type",
        "content-length",
        "content-encoding",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "trailer",
        "upgrade",
    )
)
_BINARY_PLACEHOLDER = b"specloom mock: binary content"


def mock_enabled(option: bool | None) -> bool:
    """The `mock` option, else `SPECLOOM_MOCK` (1, true, yes, on) read now."""
    if option is not None:
        return option
    return os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower() in _TRUE


def parse_prefer(scope: Scope) -> dict[str, str]:
    """The request's `Prefer` preferences (RFC 7240) as name -> value, lower-case names."""
    found: dict[str, str] = {}
    for name, raw in scope["headers"]:
        if name != b"prefer":
            continue
        for part in raw.decode("latin-1").replace(";", ",").split(","):
            key, _, value = part.partition("=")
            key = key.strip().lower()
            if key and key not in found:
                found[key] = value.strip().strip('"')
    return found


class _Problem(Exception):
    """A `Prefer` the operation cannot answer: a 400 JSON error saying why."""


class MockServer:
    """The mock answers of one app, made from its document (read on the first answer)."""

    def __init__(self, app: DocumentedApp) -> None:
        self.app = app
        self._document: dict[str, Any] | None = None
        self._values: MockValues | None = None

    @property
    def values(self) -> MockValues:
        if self._values is None:
            self._document = cached_document(self.app)
            self._values = MockValues(self._document)
        return self._values

    def serve(self, compiled: CompiledHandler) -> None:
        """Wrap the compiled handler's function: NotImplementedError answers from the spec."""
        fn = compiled.fn
        answer = MockAnswer(self, compiled)
        wrapped: Callable[..., Any]
        if compiled.is_async:

            @functools.wraps(fn)
            async def wrapped(*args: Any, **kwargs: Any) -> Any:
                try:
                    return await fn(*args, **kwargs)
                except NotImplementedError:
                    return answer

        else:

            @functools.wraps(fn)
            def wrapped(*args: Any, **kwargs: Any) -> Any:
                try:
                    return fn(*args, **kwargs)
                except NotImplementedError:
                    return answer

        compiled.fn = wrapped

    def operation(self, compiled: CompiledHandler, method: str) -> dict[str, Any] | None:
        """The documented Operation of the handler for `method` (HEAD: its GET), or None."""
        found = documented_operation(self.app, self.values.document, compiled, method)
        return found[2] if found is not None else None


def documented_operation(
    app: DocumentedApp, document: Mapping[str, Any], compiled: CompiledHandler, method: str
) -> tuple[str, str, dict[str, Any]] | None:
    """(path key, method key, Operation) of the handler for `method` in the app's document
    (HEAD: its GET when it documents no HEAD), or None when it is not documented."""
    config = getattr(app, "openapi_config", None)
    relative = config is None or config.relative_to_servers
    base = base_path(config.servers if config is not None else None) if relative else ""
    path = relative_path(openapi_path(compiled.template), base)
    item = document.get("paths", {}).get(path)
    if not isinstance(item, Mapping):
        return None
    for name in (method.lower(), "get") if method == "HEAD" else (method.lower(),):
        operation = item.get(name)
        if isinstance(operation, dict):
            return path, name, operation
    return None


class MockAnswer:
    """The ASGI answer of one handler from its documented responses (see the module)."""

    __slots__ = ("compiled", "server", "warned")

    def __init__(self, server: MockServer, compiled: CompiledHandler) -> None:
        self.server = server
        self.compiled = compiled
        self.warned: set[str] = set()

    def warn(self, message: str) -> None:
        """Log a spec defect once per handler (an example that contradicts its schema)."""
        if message not in self.warned:
            self.warned.add(message)
            logger.warning("mock: %s: %s", self.compiled.handler.handler_name, message)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            response = self.respond(scope)
        except _Problem as problem:
            response = _json_error(400, str(problem))
        await response(scope, receive, send)

    def respond(self, scope: Scope) -> ASGIResponse:
        method = scope["method"]
        operation = self.server.operation(self.compiled, method)
        if operation is None:
            return _json_error(501, "Not Implemented (the operation is not documented)", 501)
        values = self.server.values
        prefer = parse_prefer(scope)
        responses = values.responses(operation)
        status, key = _choose(responses, prefer.get("code"), prefer.get("example"), values)
        response: Mapping[str, Any] = responses.get(key, {}) if key is not None else {}
        dynamic = prefer.get("dynamic", "").lower() == "true"
        seed = f"{method} {self.compiled.template.path} {status}"
        rng = random.Random() if dynamic else random.Random(seed)
        headers = _headers(response, values, rng, not dynamic)
        body, source = b"", "empty"
        content = response.get("content")
        if isinstance(content, Mapping) and content and body_allowed(status):
            media_type = _media_type(content, scope)
            entry = values.resolve(content[media_type])
            entry = entry if isinstance(entry, Mapping) else {}
            value, source = _body_value(
                entry, prefer.get("example"), dynamic, values, rng, self.warn
            )
            sent_type, body = _encode(media_type, values.resolve(entry.get("schema")), value)
            headers.append((b"content-type", sent_type.encode("latin-1")))
        if method == "HEAD":
            body = b""
        headers.append((b"content-length", str(len(body)).encode()))
        headers.append((b"x-specloom-mock", source.encode("latin-1")))
        return ASGIResponse(status, headers, body)


def _json_error(status: int, detail: str, code: int | None = None) -> ASGIResponse:
    body = msgspec.json.encode({"status_code": code or status, "detail": detail})
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    return ASGIResponse(status, raw, body)


def _status_order(key: str) -> tuple[int, int, str]:
    """Exact 2xx, the 2XX range, `default`, then the other codes, then the other ranges."""
    if key.isdigit():
        return (0 if key.startswith("2") else 3, int(key), key)
    if key.upper() == "2XX":
        return (1, 200, key)
    if key == "default":
        return (2, 200, key)
    return (4, 0, key)


def _choose(
    responses: Mapping[str, Any], code: str | None, example: str | None, values: MockValues
) -> tuple[int, str | None]:
    """The status to send and the key of its response (None: nothing is documented)."""
    if code is not None:
        if not code.isdigit() or not 100 <= int(code) <= 599:
            raise _Problem(f"Prefer: code={code} is not a status code")
        for key in (code, f"{code[0]}XX", f"{code[0]}xx"):
            if key in responses:
                return int(code), key
        documented = ", ".join(sorted(responses, key=_status_order)) or "none"
        raise _Problem(
            f"Prefer: code={code}: the operation documents no such response "
            f"(documented: {documented})"
        )
    ordered = sorted(responses, key=_status_order)
    if example is not None:  # the first response that has the named example
        for key in ordered:
            if _has_example(responses[key], example, values):
                return _status_of(key), key
    if not ordered:
        return 200, None
    return _status_of(ordered[0]), ordered[0]


def _status_of(key: str) -> int:
    if key.isdigit():
        return int(key)
    return int(key[0]) * 100 if key[0].isdigit() else 200


def _has_example(response: Mapping[str, Any], name: str, values: MockValues) -> bool:
    content = response.get("content")
    if not isinstance(content, Mapping):
        return False
    for entry in content.values():
        examples = values.resolve(entry).get("examples") if isinstance(entry, Mapping) else None
        if isinstance(examples, Mapping) and name in examples:
            return True
    return False


def _media_type(content: Mapping[str, Any], scope: Scope) -> str:
    """The documented media type the request accepts best; without a choice, JSON first."""
    offered = sorted(content, key=lambda media_type: not is_json_media_type(media_type))
    header = next((v for k, v in scope["headers"] if k == b"accept"), None)
    if header is not None:  # ties go to the order offered: JSON first
        chosen = Accept(header.decode("latin-1")).best_match(offered)
        if chosen is not None:
            return chosen
    return offered[0]


def _body_value(
    entry: Mapping[str, Any],
    name: str | None,
    dynamic: bool,
    values: MockValues,
    rng: random.Random,
    warn: Callable[[str], None],
) -> tuple[Any, str]:
    """(the body's value, where it came from); an example is sent by default only if it fits
    the schema (a named one always), else the value is made from the schema."""
    examples = entry.get("examples")
    examples = examples if isinstance(examples, Mapping) else {}
    if name is not None:
        if name not in examples:
            names = ", ".join(examples) or "none"
            raise _Problem(f"Prefer: example={name}: no such example (documented: {names})")
        chosen = values.resolve(examples[name])
        if isinstance(chosen, Mapping) and "value" in chosen:
            return chosen["value"], f"example={name}"
        raise _Problem(f"Prefer: example={name} has no value (an externalValue is not fetched)")
    if not dynamic:  # the first documented example that fits the schema
        candidates: list[tuple[str, Any]] = []
        if "example" in entry:
            candidates.append(("example", entry["example"]))
        for example_name, example in examples.items():
            example = values.resolve(example)
            if isinstance(example, Mapping) and "value" in example:
                candidates.append((f"example={example_name}", example["value"]))
        for source, value in candidates:
            reason = values.mismatch(value, entry.get("schema", True))
            if reason is None:
                return value, source
            warn(f"the {source} does not fit its schema at {reason}: not sent by default")
    return values.value(entry.get("schema", {}), rng, fixed=not dynamic), "schema"


def _is_binary(schema: Any) -> bool:
    if not isinstance(schema, Mapping):
        return False
    return schema.get("format") == "binary" or "contentMediaType" in schema


def _encode(media_type: str, schema: Any, value: Any) -> tuple[str, bytes]:
    """(the content-type sent, the body): JSON as JSON, text as text, binary a placeholder."""
    base = media_type.partition(";")[0].strip().lower()
    if "*" in base:  # a range: what the schema says the body is
        text = isinstance(schema, Mapping) and schema.get("type") == "string"
        base = media_type = "application/octet-stream" if text else "application/json"
    if is_json_media_type(base):
        return media_type, msgspec.json.encode(value)
    if _is_binary(schema) or not (base.startswith("text/") or _textual(base, schema)):
        if isinstance(value, str) and not _is_binary(schema):
            return media_type, value.encode("utf-8")
        return media_type, _BINARY_PLACEHOLDER
    text = value if isinstance(value, str) else msgspec.json.encode(value).decode("utf-8")
    charset = "" if "charset=" in media_type else "; charset=utf-8"
    return media_type + charset, text.encode("utf-8")


def _textual(base: str, schema: Any) -> bool:
    """XML, forms, YAML and other structured text, or content whose schema is a string."""
    if any(word in base for word in ("xml", "yaml", "csv", "x-www-form-urlencoded", "html")):
        return True
    return isinstance(schema, Mapping) and schema.get("type") == "string"


def _headers(
    response: Mapping[str, Any], values: MockValues, rng: random.Random, fixed: bool
) -> list[tuple[bytes, bytes]]:
    """Every documented header of the response, valued from its example or its schema."""
    raw: list[tuple[bytes, bytes]] = []
    declared = response.get("headers")
    for name, header in (declared if isinstance(declared, Mapping) else {}).items():
        if name.lower() in _SKIPPED_HEADERS:
            continue
        header = values.resolve(header)
        if not isinstance(header, Mapping):
            continue
        value = _header_value(header, values, rng, fixed)
        raw.append((name.lower().encode("latin-1"), _simple(value).encode("latin-1", "replace")))
    return raw


def _header_value(
    header: Mapping[str, Any], values: MockValues, rng: random.Random, fixed: bool
) -> Any:
    if fixed and "example" in header:
        return header["example"]
    examples = header.get("examples")
    if fixed and isinstance(examples, Mapping):
        for example in examples.values():
            example = values.resolve(example)
            if isinstance(example, Mapping) and "value" in example:
                return example["value"]
    schema = header.get("schema")
    if schema is None and isinstance(header.get("content"), Mapping) and header["content"]:
        entry = values.resolve(next(iter(header["content"].values())))
        value = values.value(entry.get("schema", {}), rng, fixed)
        return msgspec.json.encode(value).decode("utf-8")
    return values.value(schema if schema is not None else {"type": "string"}, rng, fixed)


def _simple(value: Any) -> str:
    """A header value in OpenAPI's `simple` style (arrays and objects comma separated)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(_simple(item) for item in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{_simple(v)}" for k, v in value.items())
    return str(value)
