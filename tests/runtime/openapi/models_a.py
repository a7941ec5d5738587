"""A `Pet` model, clashing by name with `models_b.Pet`."""

from __future__ import annotations

import msgspec


class Pet(msgspec.Struct):
    name: str
