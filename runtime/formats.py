"""Numeric formats (OpenAPI's `int32`, `int64`, `float`...): documented, and their range checked.

`format: int64` says a value is a signed 64-bit integer: 2**63 is not one. `number_format`
documents the format as the spec writes it and checks the range it implies without
documenting that range again, so the served schema keeps `format: int64` alone (no
`minimum`/`maximum` the spec did not write):

    Annotated[int, Meta(ge=1), number_format("int64", low=False)]

A side the spec bounds itself (`minimum: 1`) needs no implied bound: `low=False`.
"""

from __future__ import annotations

import msgspec

__all__ = ["FORMAT_RANGES", "IMPLIED_MARKER", "number_format"]

# bounds checked, not documented: the schema writer drops these keys where they hold these values
IMPLIED_MARKER = "x-specloom-implied"

_FLOAT_MAX = 3.4028234663852886e38  # IEEE 754 binary32's largest finite value
_DOUBLE_MAX = 1.7976931348623157e308  # binary64's: also keeps out inf and nan (never JSON)

# format -> (lowest, highest) value; None: a side msgspec cannot check (beyond int64), or none
FORMAT_RANGES: dict[str, tuple[int | float | None, int | float | None]] = {
    "int8": (-(2**7), 2**7 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint8": (0, 2**8 - 1),
    "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, None),
    "float": (-_FLOAT_MAX, _FLOAT_MAX),
    "double": (-_DOUBLE_MAX, _DOUBLE_MAX),
}


def number_format(fmt: str, *, low: bool = True, high: bool = True) -> msgspec.Meta:
    """A `Meta` documenting `format: fmt` and checking the range it implies (its low and/or
    high side), which the schema writer leaves to the format."""
    lowest, highest = FORMAT_RANGES[fmt]
    bounds: dict[str, int | float] = {}
    implied: dict[str, int | float] = {}
    if low and lowest is not None:
        bounds["ge"] = implied["minimum"] = lowest
    if high and highest is not None:
        bounds["le"] = implied["maximum"] = highest
    extra = {"format": fmt, IMPLIED_MARKER: implied} if implied else {"format": fmt}
    meta: msgspec.Meta = msgspec.Meta(**bounds, extra_json_schema=extra)  # type: ignore[call-overload]
    return meta
