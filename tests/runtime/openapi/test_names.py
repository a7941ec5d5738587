"""Component renames and inlining: the copies an inlined schema gives each of its uses."""

from __future__ import annotations

import datetime

from specloom.runtime.openapi import names


def test_an_inlined_schema_is_copied_for_each_use() -> None:
    when = datetime.date(2026, 1, 2)
    schema = {"type": "object", "properties": {"a": {"enum": [1, 2.5, "x", None, True]}}}
    schema["examples"] = [{"at": when}]
    copied = names._copied(schema)
    assert copied == schema
    assert copied is not schema
    assert copied["properties"]["a"] is not schema["properties"]["a"]
    assert copied["properties"]["a"]["enum"] is not schema["properties"]["a"]["enum"]
    assert copied["examples"][0] is not schema["examples"][0]
    assert copied["examples"][0]["at"] == when
