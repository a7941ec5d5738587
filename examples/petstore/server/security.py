"""Verifiers of the API's security schemes.

This file is yours: specloom creates it and afterwards only appends verifiers for new schemes.
Each verifier decides whether the credentials a request presents are acceptable; every one
denies until you implement it, so an unfinished server stays closed.
"""

import hmac
import os
from collections.abc import Sequence
from typing import Any

from specloom.runtime import Request
from specloom.runtime.security import Credentials

__all__: list[str] = ["verify_api_key"]

DEFAULT_API_KEY = "dev-key"  # for trying the example out; set PETSTORE_API_KEY anywhere else


async def verify_api_key(
    request: Request[Any, Any], credentials: Credentials, scopes: Sequence[str]
) -> bool:
    """Verify `apiKey`: an API key in the header `X-API-Key`. Return True to let the request
    in.

    The store's API key (`PETSTORE_API_KEY`, `dev-key` by default).
    """
    expected = os.environ.get("PETSTORE_API_KEY", DEFAULT_API_KEY)
    return hmac.compare_digest(credentials.value.encode(), expected.encode())
