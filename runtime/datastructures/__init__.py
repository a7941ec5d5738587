"""Data structures of the public API: headers, cookies, multi-dicts, content negotiation, URL."""

from specloom.runtime.datastructures.accept import Accept
from specloom.runtime.datastructures.cache_control import CacheControlHeader
from specloom.runtime.datastructures.cookie import Cookie
from specloom.runtime.datastructures.etag import ETag
from specloom.runtime.datastructures.headers import Headers
from specloom.runtime.datastructures.multi_dict import ImmutableMultiDict, MultiDict
from specloom.runtime.datastructures.response_header import (
    ResponseHeader,
    normalize_response_headers,
)
from specloom.runtime.datastructures.url import URL

__all__ = [
    "URL",
    "Accept",
    "CacheControlHeader",
    "Cookie",
    "ETag",
    "Headers",
    "ImmutableMultiDict",
    "MultiDict",
    "ResponseHeader",
    "normalize_response_headers",
]
