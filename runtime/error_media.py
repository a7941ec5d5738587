"""The media type of an operation's error answers, as its declared responses say.

The runtime answers some requests on its own (400 for invalid input, 401/403 from security,
406, 413, 415, 501 from a stub) and turns an `HTTPException` a handler raises into an error
body. Where the operation documents that status (exactly, else its range such as `4XX`, else
`default`) with a JSON media type, the error is sent in it: the first JSON media type
declared, so `application/problem+json` when that is what the spec says. Under a problem
media type (`application/problem+json`, RFC 9457) the body is a problem details object
(`type`, `title`, `status`, `detail`, and `extra` as an extension member); under any other
JSON media type it is the runtime's own error object (`status_code`, `detail`, `extra`),
unless the declared type of the body refuses it: then the body is made to the declared
shape (`fit_error`: an integer field gets the status, a string field the detail, `title` the
reason phrase) when that passes the type, else the runtime's object is sent as it is.
Undocumented statuses are answered `application/json`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import msgspec
import msgspec.inspect as mi

__all__ = ["ErrorMedia", "error_body", "error_media"]

JSON = "application/json"


@dataclass(frozen=True)
class ErrorMedia:
    """Which media type each error status is sent in (statuses, ranges, `default`)."""

    by_key: Mapping[str, tuple[str, Any]]  # key -> (media type, declared type or None)

    def declared(self, status: int) -> tuple[str, Any]:
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            found = self.by_key.get(key)
            if found is not None:
                return found
        return JSON, None

    def media_type(self, status: int) -> str:
        return self.declared(status)[0]


def is_problem(media_type: str) -> bool:
    return media_type.split(";")[0].strip().lower().endswith("problem+json")


def _is_json(media_type: str) -> bool:
    essence = media_type.split(";")[0].strip().lower()
    return essence == JSON or essence.endswith("+json")


def _declared_media_types(spec: Any) -> list[tuple[str, Any]]:
    content = getattr(spec, "content", None)
    if content is not None:
        return [
            (str(media_type), getattr(declared, "data_container", declared))
            for media_type, declared in content.items()
        ]
    if getattr(spec, "data_container", None) is not None:
        return [(str(spec.media_type), spec.data_container)]
    return []


def error_media(responses: Mapping[Any, Any] | None) -> ErrorMedia | None:
    """The declared JSON media types of the error statuses of `responses` (a handler's
    `responses=`), None when none of them declares anything but `application/json`."""
    by_key: dict[str, tuple[str, Any]] = {}
    for key, spec in (responses or {}).items():
        status = str(key).upper() if isinstance(key, str) else str(key)
        if status != "DEFAULT" and status[0] not in "45":
            continue
        chosen = next((m for m in _declared_media_types(spec) if _is_json(m[0])), None)
        if chosen is not None:
            by_key["default" if status == "DEFAULT" else status] = chosen
    if not by_key:
        return None
    return ErrorMedia(by_key)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Status {status}"


def error_body(
    declared: tuple[str, Any], status: int, detail: Any, extra: Any, has_extra: bool
) -> dict[str, Any]:
    """The error object sent under the declared media type, of the declared type if any."""
    media_type, container = declared
    if is_problem(media_type):
        problem: dict[str, Any] = {"type": "about:blank", "title": _phrase(status)}
        problem["status"] = status
        problem["detail"] = detail
        if has_extra:
            problem["extra"] = extra
        return problem
    content: dict[str, Any] = {"status_code": status, "detail": detail}
    if has_extra:
        content["extra"] = extra
    if container is None or _passes(content, container):
        return content
    told = _told(detail, extra) if has_extra else str(detail)
    fitted = fit_error(container, status, told)
    if fitted is not None and told not in fitted.values():
        # no string field to say it in: the runtime's own members beside the declared ones,
        # where the type admits other members (an object schema does unless it says not)
        fitted = {**content, **fitted}
        fitted.pop("status_code", None)
    return fitted if fitted is not None and _passes(fitted, container) else content


def _told(detail: Any, extra: Any) -> str:
    """The detail with what `extra` says (the parameter or field each error names), for a
    declared error type that has only a string to say it in: nothing the client needs is lost
    (`Validation failed for GET /pets: query limit: Expected `int`, got `str``)."""
    if not isinstance(extra, list) or not extra:
        return str(detail)
    said = []
    for entry in extra:
        if isinstance(entry, dict):
            where = " ".join(str(entry[key]) for key in ("source", "key") if entry.get(key))
            message = entry.get("message", "")
            said.append(f"{where}: {message}" if where else str(message))
        else:
            said.append(str(entry))
    return f"{detail}: " + "; ".join(said)


def _passes(value: dict[str, Any], container: Any) -> bool:
    try:
        msgspec.convert(value, container, strict=False)
    except (msgspec.ValidationError, TypeError):
        return False
    return True


def fit_error(container: Any, status: int, detail: Any) -> dict[str, Any] | None:
    """The error as an object of the declared struct type: each integer field the status,
    each string field the detail (`title`: the reason phrase); None for another type."""
    try:
        info = mi.type_info(container)
    except (TypeError, ValueError):
        return None
    while isinstance(info, mi.Metadata):
        info = info.type
    if not isinstance(info, mi.StructType | mi.TypedDictType | mi.DataclassType):
        return None
    fitted: dict[str, Any] = {}
    for field in info.fields:
        kind = field.type
        while isinstance(kind, mi.Metadata):
            kind = kind.type
        if isinstance(kind, mi.IntType):
            fitted[field.encode_name] = status
        elif isinstance(kind, mi.StrType):
            title = field.encode_name.lower() == "title"
            fitted[field.encode_name] = _phrase(status) if title else str(detail)
    return fitted
