from typing import Dict  # noqa: UP035

from specloom.runtime import MediaType, get


@get(path="/health-check", media_type=MediaType.MESSAGEPACK)
def health_check() -> Dict[str, str]:  # noqa: UP006
    return {"hello": "world"}
