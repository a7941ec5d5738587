"""`CompressionConfig`: gzip (standard library) or Brotli (when the `brotli` package is there)."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["CompressionConfig"]


@dataclass
class CompressionConfig:
    """Response compression, as Litestar's `CompressionConfig`.

    Bodies shorter than `minimum_size` bytes are sent as they are. `backend="brotli"` needs the
    `brotli` package; with `brotli_gzip_fallback`, clients that accept gzip only get gzip.
    `exclude` (path patterns) and `exclude_opt_key` leave routes uncompressed.
    """

    backend: Literal["gzip", "brotli"] = "gzip"
    minimum_size: int = 500
    gzip_compress_level: int = 9
    brotli_quality: int = 5
    brotli_mode: Literal["generic", "text", "font"] = "text"
    brotli_lgwin: int = 22
    brotli_lgblock: int = 0
    brotli_gzip_fallback: bool = True
    exclude: str | Sequence[str] | None = None
    exclude_opt_key: str | None = None

    def __post_init__(self) -> None:
        if self.backend not in ("gzip", "brotli"):
            raise ValueError(f"unknown compression backend {self.backend!r} (gzip or brotli)")
        if not 0 <= self.gzip_compress_level <= 9:
            raise ValueError("gzip_compress_level must be from 0 to 9")
        if self.minimum_size < 0:
            raise ValueError("minimum_size must not be negative")
        if self.backend == "brotli":
            try:
                importlib.import_module("brotli")
            except ImportError as exc:
                raise ValueError("backend='brotli' needs the brotli package") from exc
