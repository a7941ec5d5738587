"""The responses of an operation: what the handler's response plan sends, then the declared extras.

The success status, media type and headers come from the same `ResponsePlan` and
`HandlerConfig` the compiled handler sends with, and each response container is documented
by the rule its class applies on the wire.
"""

from __future__ import annotations

import inspect
import types
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

from ..exceptions import HTTPException
from ..response import File, Redirect, Response, ServerSentEvent, Stream, Template
from ..response.base import body_allowed
from ..response.base import is_json_media_type as is_json
from ..response.file import declared_media_type
from ..response.redirect import DEFAULT_REDIRECT_STATUS, REDIRECT_STATUS_CODES
from ..signature import unwrap_annotated
from .content import BINARY, content_schema, declared_content, document_content
from .headers import HeaderMap, header_object, layered_headers, simple_header
from .parameters import example_map, plain
from .schema import SchemaRegistry
from .spec import NO_EXAMPLE, ResponseSpec

if TYPE_CHECKING:
    from ..compile import CompiledHandler
    from ..security import SecurityScheme

__all__ = ["ERROR_SCHEMA", "build_responses", "status_phrase"]

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["status_code", "detail"],
    "properties": {
        "status_code": {"type": "integer"},
        "detail": {"type": "string"},
        "extra": {"type": ["array", "object"]},
    },
}
_CONTAINERS: tuple[tuple[type[Any], str], ...] = (
    (Redirect, "redirect"),
    (File, "file"),
    (ServerSentEvent, "sse"),
    (Template, "template"),
    (Stream, "stream"),
)


def status_phrase(status: int | str) -> str:
    """The reason phrase of a status code (the default description of a response)."""
    if isinstance(status, str):  # `default` or a range such as `4XX`
        return "Any other response" if status == "default" else f"{status} responses"
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Status {status}"


@dataclass
class _Outcome:
    """One documented way a handler answers: status, body (None: empty) and headers."""

    status: int
    media_type: str | None = None
    schema: dict[str, Any] | None = None
    headers: HeaderMap = field(default_factory=HeaderMap)
    key: Any = None  # what the body is (its annotation or kind): equal keys share one schema


def _response_class(member: Any) -> type[Any] | None:
    base, _ = unwrap_annotated(member)
    cls = base if isinstance(base, type) else get_origin(base)
    return cls if isinstance(cls, type) and issubclass(cls, Response) else None


def _members(annotation: Any) -> list[Any]:
    """A return union that mixes response containers is documented member by member."""
    base, _ = unwrap_annotated(annotation)
    origin = get_origin(base)
    if origin is Union or origin is types.UnionType:
        members = list(get_args(base))
        if any(_response_class(member) is not None for member in members):
            return members
    return [annotation]


def _classify(member: Any) -> tuple[str, Any]:
    """(kind, content type): kind is data, none, any or a container kind."""
    if member is inspect.Signature.empty:
        return "any", Any
    base, _ = unwrap_annotated(member)
    if base is None or base is type(None):
        return "none", None
    cls = _response_class(member)
    if cls is None:
        return "data", member
    for container, kind in _CONTAINERS:
        if issubclass(cls, container):
            return kind, None
    args = get_args(base)
    content = args[0] if args else Any
    if content is None or content is type(None):
        return "none", None
    return "data", content


def _declared_media_type(compiled: CompiledHandler) -> str | None:
    """The handler's media type if its decorator set one (the containers' own rule)."""
    return declared_media_type(compiled.response_plan)


def _outcomes(
    compiled: CompiledHandler,
    kind: str,
    content: Any,
    registry: SchemaRegistry,
    automatic: bool = True,
) -> list[_Outcome]:
    """What one return kind sends: by the same rules its response class applies.

    `automatic=False` leaves out what a kind adds on its own (a Redirect's Location, a File's
    validators and 206/304/416 answers, an event stream's no-cache headers): the handler's
    declarations say what is documented.
    """
    plan = compiled.response_plan
    status = plan.status_code
    if kind == "redirect":
        status = status if status in REDIRECT_STATUS_CODES else DEFAULT_REDIRECT_STATUS
        outcome = _Outcome(status)
        if automatic:
            outcome.headers.set(
                "Location", simple_header("Where the client is redirected", required=True)
            )
        return [outcome]
    if not body_allowed(status):
        return [_Outcome(status)]
    if kind == "none":  # None is no content: an empty body without a content-type
        return [_Outcome(status)]
    if kind == "file":
        if not automatic:
            media_type = _declared_media_type(compiled) or "*/*"
            return [_Outcome(status, media_type, dict(BINARY), key="file")]
        return _file_outcomes(compiled, status)
    if kind == "sse":
        outcome = _Outcome(status, "text/event-stream", {"type": "string"})
        if not automatic:
            return [outcome]
        outcome.headers.set(
            "Cache-Control", simple_header("`no-cache` unless the response sets one")
        )
        outcome.headers.set("X-Accel-Buffering", simple_header("`no`: proxies must not buffer"))
        return [outcome]
    if kind == "stream":
        return [_Outcome(status, plan.media_type, dict(BINARY))]
    if kind == "template":
        media_type = _declared_media_type(compiled) or Template.default_media_type
        return [_Outcome(status, media_type, {"type": "string"})]
    schema = content_schema(content, registry)
    offered = compiled.offered or (plan.media_type,)  # negotiated: the same value in each
    return [
        _Outcome(
            status,
            media_type,
            _sent_schema(compiled, content, media_type, schema, registry),
            key=content,
        )
        for media_type in offered
    ]


def _sent_schema(
    compiled: CompiledHandler,
    content: Any,
    media_type: str,
    schema: dict[str, Any],
    registry: SchemaRegistry,
) -> dict[str, Any]:
    """`bytes` under a declared JSON media type are sent as base64 text (the plan's rule):
    msgspec's own schema of them; any other content: `schema`."""
    base, _ = unwrap_annotated(content)
    if base is bytes and compiled.handler.media_types is not None and is_json(media_type):
        return registry.schema(content)
    return schema


def _file_outcomes(compiled: CompiledHandler, status: int) -> list[_Outcome]:
    # without a declared media type the wire guesses one from the file name: any type
    media_type = _declared_media_type(compiled) or "*/*"
    validators = HeaderMap()  # what the file sends with every status
    validators.set("Last-Modified", simple_header("When the file was last modified"))
    validators.set("ETag", simple_header("The entity tag of the file"))
    whole = _Outcome(status, media_type, dict(BINARY), validators.copy(), key="file")
    whole.headers.set("Content-Disposition", simple_header("`attachment; filename=...`"))
    whole.headers.set("Content-Length", simple_header(schema={"type": "integer"}))
    whole.headers.set("Accept-Ranges", simple_header("`bytes`: single byte ranges are served"))
    if status != 200:
        return [whole]
    partial = _Outcome(206, media_type, dict(BINARY), whole.headers.copy(), key="file")
    partial.headers.set("Content-Range", simple_header("The byte range sent", required=True))
    unsatisfiable = _Outcome(416, headers=validators.copy())
    unsatisfiable.headers.set("Content-Range", simple_header("`bytes */<size>`", required=True))
    return [whole, partial, _Outcome(304, headers=validators.copy()), unsatisfiable]


def _success(
    compiled: CompiledHandler, method: str, registry: SchemaRegistry, automatic: bool = True
) -> list[_Outcome]:
    outcomes: list[_Outcome] = []
    for member in _members(compiled.plan.handler.return_annotation):
        kind, content = _classify(member)
        outcomes.extend(_outcomes(compiled, kind, content, registry, automatic))
    plan = compiled.response_plan
    conditional = getattr(compiled, "conditional", False)
    if automatic and conditional and plan.status_code == 200 and method in ("GET", "HEAD"):
        outcomes.append(_Outcome(304))  # a layered validator matched the request
    layered = layered_headers(compiled.config, registry)
    for outcome in outcomes:
        merged = layered.copy()  # layered headers go out with every success-path response
        for name, own in outcome.headers.items():
            declared = merged.get(name)
            if declared is None:
                merged.set(name, own)
            else:  # a declaration documents the container's header more closely
                required = own.get("required") or declared.get("required")
                merged.set(name, {**own, **declared, **({"required": True} if required else {})})
        outcome.headers = merged
        if method == "HEAD":
            outcome.media_type = outcome.schema = None
    return outcomes


def _error(description: str, extra: HeaderMap | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description}
    if extra is not None and extra.to_dict():
        response["headers"] = extra.to_dict()
    response["content"] = {"application/json": {"schema": dict(ERROR_SCHEMA)}}
    return response


def _security_responses(
    compiled: CompiledHandler, schemes: dict[str, SecurityScheme]
) -> dict[int, dict[str, Any]]:
    requirements = compiled.config.security or ()
    if not requirements or any(not requirement for requirement in requirements):
        return {}
    challenges = [
        scheme.challenge()
        for requirement in requirements
        for name in requirement
        if (scheme := schemes.get(name)) is not None
    ]
    headers = HeaderMap()
    if any(challenges):
        headers.set("WWW-Authenticate", simple_header("The accepted authentication schemes"))
    return {
        401: _error("Authentication required", headers),
        403: _error("The credentials were not accepted"),
    }


def _spec_response(
    spec: ResponseSpec, status: int | str, registry: SchemaRegistry
) -> dict[str, Any]:
    description = spec.description if spec.description is not None else status_phrase(status)
    response: dict[str, Any] = {"description": description}
    headers = HeaderMap()
    for header in spec.headers or ():
        headers.set(header.name, header_object(header, registry))
    if headers.to_dict() or spec.headers is not None:  # `headers=[]`: `headers: {}`, as given
        response["headers"] = headers.to_dict()
    if spec.content is not None:  # documented as declared, whatever the status
        response["content"] = declared_content(spec.content, registry)
    elif spec.data_container is not None and (isinstance(status, str) or body_allowed(status)):
        entry: dict[str, Any] = {"schema": content_schema(spec.data_container, registry)}
        entry.update(_spec_examples(spec))
        response["content"] = {str(spec.media_type): entry}
    if spec.links:
        response["links"] = plain(dict(spec.links))
    response.update(spec.extensions)
    return response


def _raw(outcome: _Outcome) -> bool:
    """Whether the outcome's body is text or octets (a str, bytes, a file, a stream), or of
    any type: what they hold is what a declaration says."""
    if outcome.key is None or outcome.key == "file":
        return True
    base, _ = unwrap_annotated(outcome.key)
    return base in (str, bytes) or base is Any


def _add_schema_docs(entry: dict[str, Any], documented: dict[str, Any], spec: ResponseSpec) -> None:
    """The declared type's description and title on the sent content's inline schema."""
    declared = documented.get("content", {}).get(str(spec.media_type), {}).get("schema", {})
    schema = entry.get("schema")
    if not isinstance(schema, dict) or "$ref" in schema or "$ref" in declared:
        return
    docs = {key: declared[key] for key in ("title", "description") if key in declared}
    if docs:
        entry["schema"] = {**schema, **{k: v for k, v in docs.items() if k not in schema}}


def _spec_examples(spec: ResponseSpec) -> dict[str, Any]:
    examples: dict[str, Any] = {}
    if spec.example is not NO_EXAMPLE:
        examples["example"] = plain(spec.example)
    if spec.examples is not None:  # `examples: {}` as written
        examples["examples"] = example_map(spec.examples)
    return examples


def _outcomes_response(outcomes: list[_Outcome]) -> dict[str, Any]:
    """One status's response; return kinds sharing a media type have their schemas in oneOf."""
    response: dict[str, Any] = {"description": status_phrase(outcomes[0].status)}
    headers = HeaderMap()
    bodies: dict[str, dict[Any, dict[str, Any]]] = {}
    for outcome in reversed(outcomes):  # the first kind's header wins
        headers.update(outcome.headers)
    for outcome in outcomes:
        if outcome.media_type is not None and outcome.schema is not None:
            keyed = bodies.setdefault(outcome.media_type, {})
            keyed.setdefault(_hashable(outcome.key), outcome.schema)
    if headers.to_dict():
        response["headers"] = headers.to_dict()
    if bodies:
        response["content"] = {
            media_type: {
                "schema": next(iter(s.values())) if len(s) == 1 else {"oneOf": [*s.values()]}
            }
            for media_type, s in bodies.items()
        }
    return response


def _hashable(key: Any) -> Any:
    try:
        hash(key)
    except TypeError:
        return repr(key)
    return key


def build_responses(
    compiled: CompiledHandler,
    method: str,
    registry: SchemaRegistry,
    schemes: dict[str, SecurityScheme],
    automatic: bool = True,
) -> dict[str, Any]:
    """The operation's `responses`: success outcomes, input and security errors, declared extras.

    With `automatic=False` the 400/401/403 answers the runtime gives on its own, and what
    Redirect, File, event streams and conditional requests add on their own, are left to what
    the handler declares (a spec-first server documents what its spec says).
    """
    handler = compiled.handler
    responses: dict[int | str, dict[str, Any]] = {}
    grouped: dict[int, list[_Outcome]] = {}
    for outcome in _success(compiled, method, registry, automatic):
        grouped.setdefault(outcome.status, []).append(outcome)
    if not handler.success_in_schema:  # its spec documents no success response
        grouped.pop(compiled.response_plan.status_code, None)
    for status, outcomes in grouped.items():
        responses[status] = _outcomes_response(outcomes)
        if (
            status == compiled.response_plan.status_code
            and handler.response_description is not None
        ):
            responses[status]["description"] = handler.response_description
    if automatic and (compiled.plan.all_params or compiled.plan.body is not None):
        responses.setdefault(400, _error("Bad request: the input failed validation"))
    for status, response in _security_responses(compiled, schemes).items() if automatic else ():
        responses.setdefault(status, response)
    raised: dict[int, list[str]] = {}
    for exc in handler.raises or ():
        status = exc.status_code if issubclass(exc, HTTPException) else 500
        raised.setdefault(status, []).append(exc.__name__)
    for status, names in raised.items():
        description = f"{status_phrase(status)} (raises {', '.join(names)})"
        responses.setdefault(status, _error(description))["description"] = description
    members = _members(compiled.plan.handler.return_annotation)
    streams = all(_classify(member)[0] == "stream" for member in members)
    extensions: dict[str, Any] = {}
    for key, declared in (handler.responses or {}).items():
        if isinstance(key, str) and key.startswith("x-"):
            extensions[key] = plain(declared)  # an `x-` key of the Responses object, as given
            continue
        spec = declared if isinstance(declared, ResponseSpec) else ResponseSpec(declared)
        documented = _spec_response(spec, key, registry)
        existing = responses.get(key)
        if existing is not None and key == compiled.response_plan.status_code:
            # the success response stays what the plan sends; the spec adds documentation
            existing["description"] = documented["description"]
            if "headers" in documented:
                existing.setdefault("headers", {}).update(documented["headers"])
            existing.update(
                {k: v for k, v in documented.items() if k.startswith("x-") or k == "links"}
            )
            if spec.content is not None:
                raw = {o.media_type for o in grouped.get(key, []) if _raw(o)}
                document_content(existing, documented.get("content", {}), raw)
                continue
            content = existing.get("content", {})
            entry = content.get(str(spec.media_type))
            if entry is None and len(content) == 1:
                entry = next(iter(content.values()))
            if entry is not None:
                entry.update(_spec_examples(spec))
                if streams:  # bytes on the wire: what they hold is what the handler declares
                    declared = documented.get("content", {}).get(str(spec.media_type))
                    if declared is not None:
                        entry["schema"] = declared["schema"]
                else:
                    _add_schema_docs(entry, documented, spec)
        else:
            responses[key] = documented
    # exact codes in order, then ranges (`4XX`) and `default`
    ordered = sorted(responses, key=lambda status: (isinstance(status, str), str(status)))
    return {**{str(status): responses[status] for status in ordered}, **extensions}
