"""Configuration of the built-in middleware: `cors`, `compression` and `allowed_hosts`."""

from .allowed_hosts import AllowedHostsConfig
from .compression import CompressionConfig
from .cors import CORSConfig

__all__ = ["AllowedHostsConfig", "CORSConfig", "CompressionConfig"]
