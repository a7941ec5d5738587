from starlette.responses import JSONResponse

from specloom.runtime import get
from specloom.runtime.types import ASGIApp


@get("/")
def handler() -> ASGIApp:
    return JSONResponse(content={"hello": "world"})  # type: ignore
