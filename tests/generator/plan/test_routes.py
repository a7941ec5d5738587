"""Routes: the names handler modules are imported as, the routers of the tag modules."""

from __future__ import annotations

from specloom.generator.plan.routes import handler_aliases
from specloom.generator.plan.views import HandlerStub


def _stub(name: str) -> HandlerStub:
    return HandlerStub(name, "op." + name, [], "op.", "None", False, '"""."""')


def test_handler_modules_are_imported_as_module_handlers_where_it_fits() -> None:
    long_name = "x" * 80
    aliases = handler_aliases({"pets": [_stub("list_pets")], "store": [_stub(long_name)]})
    assert aliases == {"pets": "pets_handlers", "store": "handlers_2"}
