"""A second `Pet` model, clashing by name with `models_a.Pet`."""

from __future__ import annotations

import msgspec


class Pet(msgspec.Struct):
    legs: int
