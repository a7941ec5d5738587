"""`Redirect`: a 3xx response with a `location` header and no body."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from ..datastructures import ImmutableMultiDict
from ..exceptions import ImproperlyConfiguredException
from .base import ASGIResponse, Response, ResponsePlan

if TYPE_CHECKING:
    from ..background_tasks import BackgroundTask, BackgroundTasks
    from ..datastructures import Cookie

__all__ = ["REDIRECT_STATUS_CODES", "Redirect", "encode_location"]

REDIRECT_STATUS_CODES = frozenset({301, 302, 303, 307, 308})
DEFAULT_REDIRECT_STATUS = 302
# RFC 3986 reserved characters and "%" (already-encoded octets) stay as they are.
_LOCATION_SAFE = ":/?#[]@!$&'()*+,;=%~"

QueryParams = Mapping[str, Any] | Iterable[tuple[str, Any]]


def _query_pairs(query_params: QueryParams) -> list[tuple[str, Any]]:
    if isinstance(query_params, ImmutableMultiDict):
        return query_params.multi_items()
    if isinstance(query_params, Mapping):
        pairs: list[tuple[str, Any]] = []
        for key, value in query_params.items():
            if isinstance(value, list | tuple):
                pairs.extend((key, item) for item in value)
            else:
                pairs.append((key, value))
        return pairs
    return list(query_params)


def encode_location(path: str, query_params: QueryParams | None = None) -> str:
    """The `location` value: non-ASCII, spaces and line breaks percent-encoded, query appended."""
    location, hash_mark, fragment = path.partition("#")
    if query_params:
        query = urlencode(_query_pairs(query_params))
        if query:
            location += ("&" if "?" in location else "?") + query
    return quote(location + hash_mark + fragment, safe=_LOCATION_SAFE)


class Redirect(Response[None]):
    """A redirect to `path`, with `query_params` appended; answered with an empty body.

    Status: this response's, else the handler's if it is a redirect status, else 302 (a GET
    handler's default 200 is not a redirect). Only 301, 302, 303, 307 and 308 are allowed.
    """

    def __init__(
        self,
        path: str,
        *,
        status_code: int | None = None,
        query_params: QueryParams | None = None,
        headers: Mapping[str, str] | None = None,
        cookies: Sequence[Cookie] | None = None,
        background: BackgroundTask | BackgroundTasks | None = None,
        encoding: str = "utf-8",
    ) -> None:
        if status_code is not None and status_code not in REDIRECT_STATUS_CODES:
            raise ImproperlyConfiguredException(
                f"{status_code} is not a redirect status; use one of "
                f"{', '.join(map(str, sorted(REDIRECT_STATUS_CODES)))}"
            )
        super().__init__(
            None,
            status_code=status_code,
            background=background,
            headers=headers,
            cookies=cookies,
            encoding=encoding,
        )
        self.path = path
        self.query_params = query_params
        self.headers["location"] = encode_location(path, query_params)

    def to_asgi_response(self, plan: ResponsePlan) -> ASGIResponse:
        status = self.status_code
        if status is None:
            status = (
                plan.status_code
                if plan.status_code in REDIRECT_STATUS_CODES
                else DEFAULT_REDIRECT_STATUS
            )
        headers = [
            (name, value)
            for name, value in self.encoded_headers(plan)
            if name not in (b"content-type", b"content-length")
        ]
        headers.append((b"content-length", b"0"))
        return ASGIResponse(status, headers, b"", self.background)
