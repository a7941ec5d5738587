"""msgspec-based encoding and decoding: one reused encoder per distinct configuration."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from pathlib import PurePath
from typing import Any
from uuid import UUID

import msgspec

__all__ = [
    "TypeEncodersMap",
    "decode_json",
    "decode_msgpack",
    "default_serializer",
    "encode_json",
    "encode_msgpack",
    "get_json_encoder",
    "get_msgpack_encoder",
]

TypeEncodersMap = Mapping[Any, Callable[[Any], Any]]


def _is_pydantic_model(value: Any) -> bool:
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(value, pydantic.BaseModel)


def default_serializer(value: Any, type_encoders: TypeEncodersMap | None = None) -> Any:
    """Turn a value msgspec cannot encode natively into one it can; raise TypeError otherwise."""
    if type_encoders:
        for base in type(value).__mro__:
            encoder = type_encoders.get(base)
            if encoder is not None:
                return encoder(value)
    if _is_pydantic_model(value):
        return value.model_dump(mode="json")
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, set | frozenset):
        return list(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    dict_method = getattr(value, "dict", None)
    if callable(dict_method):  # MultiDict-like containers
        return dict_method()
    if isinstance(value, datetime | date | time | UUID):  # pragma: no cover - msgspec handles these
        return value.isoformat() if not isinstance(value, UUID) else str(value)
    raise TypeError(f"Unsupported type: {type(value).__name__!r}")


def _freeze(type_encoders: TypeEncodersMap | None) -> tuple[tuple[Any, Callable[[Any], Any]], ...]:
    return tuple(type_encoders.items()) if type_encoders else ()


@lru_cache(maxsize=256)
def _json_encoder(frozen: tuple[tuple[Any, Callable[[Any], Any]], ...]) -> msgspec.json.Encoder:
    encoders = dict(frozen)
    return msgspec.json.Encoder(
        enc_hook=lambda value: default_serializer(value, encoders), decimal_format="number"
    )


@lru_cache(maxsize=256)
def _msgpack_encoder(
    frozen: tuple[tuple[Any, Callable[[Any], Any]], ...],
) -> msgspec.msgpack.Encoder:
    encoders = dict(frozen)
    return msgspec.msgpack.Encoder(enc_hook=lambda value: default_serializer(value, encoders))


def get_json_encoder(type_encoders: TypeEncodersMap | None = None) -> msgspec.json.Encoder:
    """The shared JSON encoder for this set of type encoders (built once, then reused)."""
    return _json_encoder(_freeze(type_encoders))


def get_msgpack_encoder(type_encoders: TypeEncodersMap | None = None) -> msgspec.msgpack.Encoder:
    """The shared MessagePack encoder for this set of type encoders."""
    return _msgpack_encoder(_freeze(type_encoders))


def encode_json(value: Any, type_encoders: TypeEncodersMap | None = None) -> bytes:
    """Encode a value as JSON bytes."""
    return get_json_encoder(type_encoders).encode(value)


def encode_msgpack(value: Any, type_encoders: TypeEncodersMap | None = None) -> bytes:
    """Encode a value as MessagePack bytes."""
    return get_msgpack_encoder(type_encoders).encode(value)


def decode_json(value: str | bytes, target_type: Any = Any) -> Any:
    """Decode JSON into `target_type` (validated by msgspec)."""
    return msgspec.json.decode(value, type=target_type, strict=False)


def decode_msgpack(value: bytes, target_type: Any = Any) -> Any:
    """Decode MessagePack into `target_type` (validated by msgspec)."""
    return msgspec.msgpack.decode(value, type=target_type, strict=False)
