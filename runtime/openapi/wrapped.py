"""`in_all_of(...)`: a use of a type documented as the `allOf` a spec wrote around it.

A document may write a property as an `allOf` whose one typed member is another schema, with
annotations beside it or in members of their own:

    parent:
      allOf: [{$ref: "#/components/schemas/Node"}]
      description: The node above this one.
      type: object

msgspec writes the use of a type as its schema with the field's metadata merged in (`{$ref:
..., description: ...}`); with the marker the registry writes it back as it was written:

    parent: Annotated[
        Node,
        Meta(description="The node above this one.", extra_json_schema={"type": "object"}),
        in_all_of(beside=("description", "type")),
    ]

The keywords named in `beside` stay beside the `allOf`; everything else the use's schema holds
(the `$ref`, a union's `anyOf`) is its typed member, between the annotation-only members
`before` and `after`, written as given. Decoding is unchanged: the type is the value's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

__all__ = ["WRAPPED_MARKER", "in_all_of", "unwrapped"]

WRAPPED_MARKER = "x-specloom-all-of"


def in_all_of(
    *,
    beside: Sequence[str] = (),
    before: Sequence[Mapping[str, Any]] = (),
    after: Sequence[Mapping[str, Any]] = (),
) -> msgspec.Meta:
    """`Annotated` metadata: the schema of this use is `allOf: [*before, <the type's schema>,
    *after]`, with the keywords named in `beside` (the use's docs) beside the allOf."""
    marker = {
        "beside": list(beside),
        "before": [dict(member) for member in before],
        "after": [dict(member) for member in after],
    }
    return msgspec.Meta(extra_json_schema={WRAPPED_MARKER: msgspec.to_builtins(marker)})


def unwrapped(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` (tidied, its marker still in it) as the allOf its marker says, or as it is."""
    marker = schema.pop(WRAPPED_MARKER, None)
    if not isinstance(marker, dict):
        return schema
    beside = {key: schema.pop(key) for key in marker.get("beside", ()) if key in schema}
    members = [*marker.get("before", ()), schema, *marker.get("after", ())]
    return {"allOf": members, **beside}
