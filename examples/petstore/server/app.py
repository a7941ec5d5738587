"""The application: serve it with `uvicorn examples.petstore.server.app:app` (repository root).

This file is yours: specloom creates it once and never rewrites it. Routes, documentation
and security schemes come from `_generated/routes.py`, so new operations are routed without
changes here; add dependencies, middleware-like hooks, lifespan and state as you need.

Settings: `PETSTORE_DB` (an sqlite file; default: in memory, seeded with five pets) and
`PETSTORE_API_KEY` (the `X-API-Key` that writes need; default `dev-key`).
"""

from specloom.runtime import App
from specloom.runtime.di import Provide

from ._generated.routes import OPENAPI_CONFIG, ROUTE_HANDLERS, SECURITY_SCHEMES
from .store import Store


def create_app(store: Store | None = None) -> App:
    """The pet store on `store` (default: the one `PETSTORE_DB` names)."""
    store = store if store is not None else Store.from_env()
    return App(
        route_handlers=ROUTE_HANDLERS,
        openapi_config=OPENAPI_CONFIG,
        security_schemes=SECURITY_SCHEMES,
        dependencies={"store": Provide(lambda: store, use_cache=True)},
        on_shutdown=[store.close],
    )


app = create_app()
