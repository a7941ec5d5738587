"""Response validation: what a handler answers is checked against what its operation documents.

Off by default; on with `App(validate_responses=True)` (or `"log"`), `"strict"`, or
`SPECLOOM_VALIDATE_RESPONSES` (1, true, yes, on, log; strict) read when the app is built;
`specloom dev` turns it on. It is decided once, at construction: when on, each documented
route's compiled handler is served through a `ValidatedRoute` (`response_route`; its function
wrapped to say that it was reached); when off nothing is wrapped and the request path is unchanged.

The operation is read from the app's own document (`App.openapi()`, built from the handlers'
declarations), once per handler and method, on its first request. A response the handler
answered (returned, or raised as an HTTP error) is checked for:

- status: documented exactly, by its range (`4XX`) or by `default`;
- media type: the `content-type` sent is one the response documents (or within a documented
  range such as `text/*`); a body where none is documented, or none where one is;
- headers: every documented header with `required: true` is sent, and a documented header's
  primitive value keeps its schema (type, enum, pattern, bounds);
- body: a JSON body (not a stream: a response whose body comes in more than one message is
  checked for its status, media type and headers only) against what the response declares.
  First by the declared type (the handler's return type at its status, a `ResponseSpec`'s
  `data_container` at its own): msgspec decodes the body as that type, in C, and a body it
  accepts fits (the schema is the one the type declares). A body it refuses, or one without a
  declared type, is checked against the media type's schema in the document by the checker
  mock mode uses for its examples (`mock_check.mismatch`), which says where; when that checker
  finds nothing wrong (a type msgspec cannot decode alone, such as one a `type_encoders` entry
  writes), the body fits.

Each mismatch is logged (WARNING, logger `specloom.runtime.validation`) with the operation
(method, path, operationId), the JSON pointer into the document (`#/paths/~1pets/get/
responses/200/content/application~1json/schema`) and, for a body, the JSON pointer into it
(`/items/0/name`); the record carries it as `record.response_mismatch` (a `Mismatch`). In
strict mode the response is replaced by a 500 JSON error whose body gives the reasons only when
the app is in debug mode (a response that is already a 5xx is logged and sent as it is).

Not checked: answers the runtime gives before the handler is reached (a request that does not
validate, a guard's refusal, 406), a `NotImplementedError` (a stub not written yet: 501), and a
304 (the runtime's answer to a conditional request, RFC 9110 section 15.4.5).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from .compile import response_content_type
from .mock import documented_operation
from .mock_check import fits, mismatch
from .mock_values import MockValues
from .openapi.document import cached_document
from .openapi.operations import is_documented
from .response.base import body_allowed, is_json_media_type
from .response_route import ValidatedRoute, mark_reached

if TYPE_CHECKING:
    from .compile import CompiledHandler
    from .openapi.document import DocumentedApp

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "Decoder",
    "Documented",
    "Mismatch",
    "ResponseValidator",
    "declared_decoders",
    "logger",
    "validation_mode",
]

ENVIRONMENT_VARIABLE = "SPECLOOM_VALIDATE_RESPONSES"
logger = logging.getLogger("specloom.runtime.validation")
Mode = Literal["log", "strict"]
_ON = ("1", "true", "yes", "on", "log")
# what OpenAPI says a response's `headers` cannot describe (Content-Type is the content's)
_IGNORED_HEADERS = frozenset(("content-type",))


def validation_mode(option: bool | str | None) -> Mode | None:
    """The `validate_responses` option (True or "log": log; "strict"), else
    `SPECLOOM_VALIDATE_RESPONSES` read now; None: off."""
    if option is None:
        option = os.environ.get(ENVIRONMENT_VARIABLE, "")
    if option is True:
        return "log"
    if option is False:
        return None
    word = option.strip().lower()
    if word == "strict":
        return "strict"
    if word in _ON:
        return "log"
    if word in ("", "0", "false", "no", "off"):
        return None
    raise ValueError(f"validate_responses: {option!r} is none of True, False, 'log', 'strict'")


class Mismatch(msgspec.Struct, frozen=True):
    """One way a response differs from its documentation."""

    kind: str  # status, media type, header, body
    message: str
    spec: str  # the JSON pointer (URI fragment) into the app's document
    body: str | None = None  # the JSON pointer into the body (a body mismatch)


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


class Documented:
    """The responses of one operation as the document has them, with their pointers."""

    __slots__ = ("label", "pointer", "responses")

    def __init__(self, label: str, pointer: str, responses: dict[str, Mapping[str, Any]]) -> None:
        self.label = label
        self.pointer = pointer  # #/paths/~1pets/get/responses
        self.responses = responses

    def key(self, status: int) -> str | None:
        """The documented response that covers `status`: exact, its range, else `default`."""
        text = str(status)
        for key in (text, f"{text[0]}XX", f"{text[0]}xx", "default"):
            if key in self.responses:
                return key
        return None


class ResponseValidator:
    """The response checks of one app (see the module)."""

    def __init__(self, app: DocumentedApp, mode: Mode, debug: bool) -> None:
        self.app = app
        self.strict = mode == "strict"
        self.debug = debug
        self._values: MockValues | None = None

    @property
    def values(self) -> MockValues:
        if self._values is None:
            self._values = MockValues(cached_document(self.app))
        return self._values

    def route(self, compiled: CompiledHandler) -> Any:
        """`compiled` served through its checks (itself when it is not documented)."""
        if not is_documented(compiled):
            return compiled
        mark_reached(compiled)
        return ValidatedRoute(self, compiled, declared_decoders(compiled))

    def documented(self, compiled: CompiledHandler, method: str) -> Documented | None:
        values = self.values
        found = documented_operation(self.app, values.document, compiled, method)
        if found is None:
            return None
        path, name, operation = found
        label = f"{name.upper()} {path}"
        if operation.get("operationId") is not None:
            label += f" ({operation['operationId']})"
        responses = values.responses(operation)
        pointer = f"#/paths/{_escape(path)}/{name}/responses"
        return Documented(label, pointer, responses)

    def check(
        self,
        documented: Documented,
        status: int,
        raw: list[tuple[bytes, bytes]],
        body: Any,
        decoders: Mapping[str, Decoder] | None = None,
    ) -> list[Mismatch]:
        """The mismatches of one response; `body` None: a stream or a HEAD (not checked);
        `decoders`: the declared types' decoders by documented status (the fast check)."""
        key = documented.key(status)
        if key is None:
            listed = ", ".join(documented.responses) or "none"
            message = f"status {status} is not documented (documented: {listed})"
            return [Mismatch("status", message, documented.pointer)]
        response = documented.responses[key]
        pointer = f"{documented.pointer}/{_escape(key)}"
        headers = {name.decode("latin-1").lower(): value for name, value in raw}
        found = self._headers(response, headers, pointer)
        content = response.get("content")
        content = content if isinstance(content, Mapping) else {}
        sent = headers.get("content-type", b"").decode("latin-1")
        decoder = decoders.get(key) if decoders else None
        found.extend(self._content(content, sent, status, body, f"{pointer}/content", decoder))
        return found

    def _headers(
        self, response: Mapping[str, Any], sent: Mapping[str, bytes], pointer: str
    ) -> list[Mismatch]:
        found: list[Mismatch] = []
        declared = response.get("headers")
        for name, header in (declared if isinstance(declared, Mapping) else {}).items():
            header = self.values.resolve(header)
            if name.lower() in _IGNORED_HEADERS or not isinstance(header, Mapping):
                continue
            at = f"{pointer}/headers/{_escape(name)}"
            value = sent.get(name.lower())
            if value is None:
                if header.get("required") is True:
                    found.append(Mismatch("header", f"the required header {name} is missing", at))
                continue
            schema = self.values.resolve(header.get("schema"))
            if isinstance(schema, Mapping) and not _header_fits(value.decode("latin-1"), schema):
                message = f"the header {name}: {value.decode('latin-1')!r} does not fit its schema"
                found.append(Mismatch("header", message, f"{at}/schema"))
        return found

    def _content(
        self,
        content: Mapping[str, Any],
        sent: str,
        status: int,
        body: Any,
        pointer: str,
        decoder: Decoder | None = None,
    ) -> list[Mismatch]:
        if not content:
            if body:
                message = f"a body ({len(body)} bytes) is sent where none is documented"
                return [Mismatch("media type", message, pointer.rpartition("/")[0])]
            return []
        if body == b"" and body_allowed(status):
            return [Mismatch("media type", "no body is sent where one is documented", pointer)]
        if not sent:
            return []
        media_key = _documented_media_type(content, sent)
        if media_key is None:
            listed = ", ".join(content)
            message = f"the media type {sent} is not documented (documented: {listed})"
            return [Mismatch("media type", message, pointer)]
        entry = self.values.resolve(content[media_key])
        schema = entry.get("schema") if isinstance(entry, Mapping) else None
        if not body or schema is None or not is_json_media_type(sent):
            return []
        at = f"{pointer}/{_escape(media_key)}/schema"
        if decoder is not None:
            try:
                decoder.decode(body)
                return []  # the declared type accepts it: it fits
            except (msgspec.DecodeError, TypeError, ValueError):
                pass  # the schema says where, or that it fits after all
        try:
            value = msgspec.json.decode(body)
        except msgspec.DecodeError as exc:
            return [Mismatch("body", f"the body is not JSON ({exc})", at, "")]
        reason = mismatch(value, schema, self.values.resolve)
        if reason is None:
            return []
        where, _, why = reason.partition(": ")
        where = "" if where == "/" else where
        return [
            Mismatch(
                "body", f"the body does not fit its schema at {where or '/'}: {why}", at, where
            )
        ]

    def report(self, documented: Documented, status: int, found: list[Mismatch]) -> None:
        for item in found:
            body = "" if item.body is None else f", body {item.body or '/'}"
            logger.warning(
                "response validation: %s answered %s: %s (spec %s%s)",
                documented.label,
                status,
                item.message,
                item.spec,
                body,
                extra={"response_mismatch": item, "operation": documented.label},
            )

    def replacement(self, found: list[Mismatch]) -> tuple[list[tuple[bytes, bytes]], bytes]:
        """The strict mode's 500 (headers, body): the reasons in debug mode only."""
        content: dict[str, Any] = {"status_code": 500, "detail": "Internal Server Error"}
        if self.debug:
            content["detail"] = "the response does not match its documentation"
            content["extra"] = [msgspec.structs.asdict(item) for item in found]
        body = msgspec.json.encode(content)
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        return headers, body


def _documented_media_type(content: Mapping[str, Any], sent: str) -> str | None:
    """The documented media type (or range) that the sent `content-type` is, else None."""
    base = sent.partition(";")[0].strip().lower()
    ranges: list[str] = []
    for key in content:
        documented = key.partition(";")[0].strip().lower()
        if documented == base:
            return key
        if documented == "*/*" or (documented.endswith("/*") and base.startswith(documented[:-1])):
            ranges.append(key)
    return ranges[0] if ranges else None


def _header_fits(text: str, schema: Mapping[str, Any]) -> bool:
    """Whether a header's value (simple style) keeps a primitive schema; others are not
    checked."""
    kind = schema.get("type")
    value: Any = text
    if kind in ("integer", "number"):
        try:
            value = int(text) if kind == "integer" else float(text)
        except ValueError:
            return False
    elif kind == "boolean":
        if text not in ("true", "false"):
            return False
        value = text == "true"
    elif kind not in ("string", None):
        return True
    return fits(value, schema)


Decoder = msgspec.json.Decoder[Any]


def declared_decoders(compiled: CompiledHandler) -> dict[str, Decoder]:
    """A JSON decoder of each response body type the handler declares, by status: its return
    type at its own status, a `ResponseSpec`'s `data_container` at its key; a type msgspec
    cannot decode alone (Any, a response container, a class only an encoder knows) has none."""
    handler = compiled.handler
    declared: dict[str, Any] = {}
    for key, spec in (handler.responses or {}).items():
        container = getattr(spec, "data_container", None)
        media_type = str(getattr(spec, "media_type", "application/json"))
        if container is not None and spec.content is None and is_json_media_type(media_type):
            declared[str(key)] = container
    if is_json_media_type(compiled.response_plan.media_type) and compiled.offered is None:
        declared[str(handler.status_code)] = response_content_type(
            compiled.plan.handler.return_annotation
        )
    decoders: dict[str, Decoder] = {}
    for key, kind in declared.items():
        if kind in (Any, None, type(None)) or (isinstance(kind, type) and kind in (bytes, str)):
            continue
        try:
            decoders[key] = msgspec.json.Decoder(kind)
        except (TypeError, ValueError):
            continue
    return decoders
