"""The 1,000 model classes of `app_models` (msgspec Structs, shared by the frameworks that
take them): each holds scalars, a list and an optional reference to the one before it, so they
form one graph as a large spec's models do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from apps.data import BIG_MODELS


def _models() -> list[type[msgspec.Struct]]:
    models: list[type[msgspec.Struct]] = []
    for i in range(BIG_MODELS):
        fields: list[Any] = [("id", int), ("name", str), ("score", float), ("tags", list[str])]
        if models:
            fields.append(("parent", models[-1] | None, None))
        models.append(msgspec.defstruct(f"Model{i}", fields))
    return models


MODELS = _models()


def model_item(i: int, item_id: int) -> msgspec.Struct:
    """The body of `GET /m{i}/{item_id}`: an instance of model `i`."""
    return MODELS[i](id=item_id, name=f"m{i}", score=0.5, tags=["a"])


def model_routes(get: Callable[..., Any]) -> list[Any]:
    """`GET /m{i}/{item_id}` for every model, each returning model `i` (its declared return
    type), decorated by the framework's `get`."""

    def route(i: int) -> Any:
        async def model_route(item_id: int) -> Any:
            return model_item(i, item_id)

        model_route.__annotations__["return"] = MODELS[i]
        return get(f"/m{i}/{{item_id:int}}", name=f"model_{i}")(model_route)

    return [route(i) for i in range(len(MODELS))]
