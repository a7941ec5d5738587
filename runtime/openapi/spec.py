"""`ResponseSpec`: an extra documented response (`responses={404: ResponseSpec(...)}`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..datastructures import ResponseHeader
from ..enums import MediaType
from ..exceptions import ImproperlyConfiguredException

__all__ = ["ResponseSpec"]


@dataclass(frozen=True)
class ResponseSpec:
    """A response the handler may send besides its success response.

    `data_container` is the body's type (None: no body); `examples` maps an example name to a
    value or to an OpenAPI Example object; `extensions` are `x-` keys of the Response object.
    """

    data_container: Any = None
    description: str | None = None
    media_type: MediaType | str = MediaType.JSON
    headers: Sequence[ResponseHeader] = ()
    examples: Mapping[str, Any] | None = None
    extensions: Mapping[str, Any] = field(default_factory=dict)
    generate_examples: bool = False  # accepted for Litestar compatibility; no examples are made

    def __post_init__(self) -> None:
        bad = [key for key in self.extensions if not key.startswith("x-")]
        if bad:
            raise ImproperlyConfiguredException(f"extension keys must start with 'x-': {bad}")
