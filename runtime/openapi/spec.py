"""`ResponseSpec`: an extra documented response (`responses={404: ResponseSpec(...)}`), and
`ContentSpec`: one media type of its content when it has several (`content={...}`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from ..datastructures import ResponseHeader
from ..enums import MediaType
from ..exceptions import ImproperlyConfiguredException, require_extension_keys

__all__ = ["NO_EXAMPLE", "ContentSpec", "ResponseSpec"]

NO_EXAMPLE: Any = msgspec.UNSET  # `example` not given (None is a value)


@dataclass(frozen=True)
class ContentSpec:
    """One media type of a documented response's or body's `content`: the type of the body
    sent in it (None: the media type is documented without a schema), its examples (an empty
    map is documented as `examples: {}`) and its `encoding` (Encoding objects by property
    name, documentation)."""

    data_container: Any = None
    examples: Mapping[str, Any] | None = None
    example: Any = NO_EXAMPLE
    encoding: Mapping[str, Any] | None = None
    extensions: Mapping[str, Any] | None = None  # `x-` keys of the Media Type object, as written

    def __post_init__(self) -> None:
        require_extension_keys(self.extensions or {})


@dataclass(frozen=True)
class ResponseSpec:
    """A response the handler may send besides its success response.

    `data_container` is the body's type (None: no body); `examples` maps an example name to a
    value or to an OpenAPI Example object (`example`: one value, OpenAPI's other spelling);
    `extensions` are `x-` keys of the Response object and `links` its Link objects, both
    documentation. At the handler's own success status, a ResponseSpec adds documentation only
    (description, headers, examples, links, extensions).

    A key of a handler's `responses=` that starts with `x-` is no status: it is an extension of
    the operation's Responses object, its value documented as given (not a ResponseSpec).
    """

    data_container: Any = None
    description: str | None = None
    media_type: MediaType | str = MediaType.JSON
    headers: Sequence[ResponseHeader] | None = None  # an empty sequence documents `headers: {}`
    examples: Mapping[str, Any] | None = None
    example: Any = NO_EXAMPLE
    extensions: Mapping[str, Any] = field(default_factory=dict)
    links: Mapping[str, Any] | None = None  # OpenAPI Link objects by name (documentation)
    generate_examples: bool = False  # accepted for Litestar compatibility; no examples are made
    content: Mapping[str, Any] | None = None  # media type -> type or ContentSpec

    def __post_init__(self) -> None:
        if self.content is not None and self.data_container is not None:
            raise ImproperlyConfiguredException(
                "a ResponseSpec documents its body by data_container or by content, not both"
            )
        require_extension_keys(self.extensions)
