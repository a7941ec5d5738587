"""`properties_between`: an object's minProperties/maxProperties, checked after each decode."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import msgspec

__all__ = ["BOUNDS", "properties_between"]

BOUNDS = "__specloom_properties__"  # on the check: (minimum, maximum), for the schema


def properties_between(
    minimum: int | None = None, maximum: int | None = None
) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
    """Decorate a Struct's `__post_init__`: how many of its fields may be set (not UNSET).

        @properties_between(1, 10)
        def __post_init__(self) -> None:
            \"\"\"From 1 to 10 properties.\"\"\"

    is an object's `minProperties: 1, maxProperties: 10`. msgspec runs `__post_init__` after
    every decode (a ValueError is a validation error at the object's path) and on
    construction; the check runs before the decorated body. The schema says so.
    """

    def decorate(post_init: Callable[[Any], None]) -> Callable[[Any], None]:
        @functools.wraps(post_init)
        def check(self: Any) -> None:
            count = sum(
                getattr(self, name) is not msgspec.UNSET for name in type(self).__struct_fields__
            )
            if self.__struct_config__.tag_field is not None:
                count += 1  # the tag is a property on the wire
            if minimum is not None and count < minimum:
                raise ValueError(f"Object has {count} properties, expected at least {minimum}")
            if maximum is not None and count > maximum:
                raise ValueError(f"Object has {count} properties, expected at most {maximum}")
            post_init(self)

        setattr(check, BOUNDS, (minimum, maximum))
        return check

    return decorate
