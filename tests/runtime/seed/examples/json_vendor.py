from typing import Any

import specloom.runtime.status_codes
from specloom.runtime import App, get


@get(
    "/resources",
    status_code=specloom.runtime.status_codes.HTTP_418_IM_A_TEAPOT,
    media_type="application/vnd.example.resource+json",
)
async def retrieve_resource() -> dict[str, Any]:
    return {
        "title": "Server thinks it is a teapot",
        "type": "Server delusion",
        "status": specloom.runtime.status_codes.HTTP_418_IM_A_TEAPOT,
    }


app = App(route_handlers=[retrieve_resource])
