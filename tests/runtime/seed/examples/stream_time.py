from asyncio import sleep
from datetime import datetime
from collections.abc import AsyncGenerator

from specloom.runtime import App, get
from specloom.runtime.response import Stream
from specloom.runtime.serialization import encode_json


async def my_generator() -> AsyncGenerator[bytes, None]:
    while True:
        await sleep(0.01)
        yield encode_json({"current_time": datetime.now()})


@get(path="/time")
def stream_time() -> Stream:
    return Stream(my_generator())


app = App(route_handlers=[stream_time])
