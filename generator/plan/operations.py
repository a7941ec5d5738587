"""Decide operations.py, headers.py and the stubs of every handler module.

For each operation: the route decorator and its arguments, a type alias per parameter
(`Annotated[T, Parameter(...)]`) so handler signatures stay short, the body alias, the return
annotation, which response headers go on which layer, and what the stub's body does.
Operations that cannot be routed are reported here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from ..errors import SpecWarning
from ..ir import Api, Operation
from ..merge import NOT_ROUTED_MARKER
from ..render.pyexpr import Imports, docstring
from .decorators import decorator_call
from .headers import HeaderLayers, header_layers
from .parameters import signature, unique
from .responses import (
    return_annotation,
    returned_response,
    status_response,
    success_headers,
    wraps_value,
)
from .stubs import page_call
from .views import Call, HandlerStub, OperationsView, OperationView

__all__ = ["plan_operations"]


class _Planner:
    """The views of operations, callbacks and webhooks, with the imports they need."""

    def __init__(self, api: Api, warnings: list[SpecWarning]) -> None:
        self.api, self.warnings = api, warnings
        self.imports = Imports()  # of operations.py
        self.alias_names: set[str] = set()
        self.names = {op.python_name for op in api.operations + api.webhooks}
        self.views: list[OperationView] = []

    def handler(
        self, op: Operation, module: str, layers: HeaderLayers, imports: Imports
    ) -> HandlerStub:
        """The view of a routed (or shadowed) operation; the stub of its handler."""
        api = self.api
        aliases, params = signature(api, op, self.alias_names, self.imports, self.warnings)
        primary = status_response(op)
        returned = returned_response(op)
        returns, media_type = return_annotation(api, returned, imports)
        in_response = layers.any(op) and wraps_value(returned)
        if in_response:
            imports.add("specloom.runtime", "Response")
        callbacks = self.callbacks(op)
        own = layers.own(op, module)
        call = decorator_call(api, op, primary, media_type, own, self.imports, callbacks)
        title = f"{op.method.upper()} {op.path}"
        self.views.append(OperationView(op.python_name, title, aliases, call))
        page = page_call(api, op, imports)
        return HandlerStub(
            name=op.python_name,
            decorator="" if op.shadowed_by else "op." + op.python_name,
            params=params,
            alias_prefix="op.",
            returns=returns,
            in_response=in_response,
            doc=docstring(op.summary or op.description or title, "    "),
            note=page if isinstance(page, str) else "",
            page=None if isinstance(page, str) else page,
            marker=NOT_ROUTED_MARKER if op.shadowed_by else "",
        )

    def document(self, op: Operation) -> HandlerStub:
        """Add the views of a webhook or callback (its callbacks first); the function that
        documents it, beside its decorator in operations.py."""
        api, imports = self.api, self.imports
        aliases, params = signature(api, op, self.alias_names, imports, self.warnings)
        primary = status_response(op)
        headers = {h.name.lower(): h for h in success_headers(op)}
        returned = returned_response(op)
        returns, media_type = return_annotation(api, returned, imports)
        in_response = bool(headers) and wraps_value(returned)
        if in_response:
            imports.add("specloom.runtime", "Response")
        callbacks = self.callbacks(op)
        own = list(headers.values())
        call = decorator_call(api, op, primary, media_type, own, imports, callbacks)
        decorator = unique(f"{op.python_name}_{op.kind}", self.names)
        comment = f"{op.kind} {op.path}: {op.method.upper()}"
        stub = HandlerStub(
            name=op.python_name,
            decorator=decorator,
            params=params,
            alias_prefix="",
            returns=returns,
            in_response=in_response,
            doc=docstring(op.summary or op.description or comment, "    "),
            note=f"documentation only: the API sends this {op.kind}",
        )
        self.views.append(OperationView(decorator, comment, aliases, call, stub))
        return stub

    def callbacks(self, op: Operation) -> dict[str, dict[str, list[str]]]:
        """name -> expression -> functions, for the `callbacks=` of `op`'s decorator."""
        found: dict[str, dict[str, list[str]]] = {}
        for callback in op.callbacks:
            stub = self.document(callback)
            name = callback.callback_name or callback.python_name
            found.setdefault(name, {}).setdefault(callback.path, []).append(stub.name)
        return found


def _share_aliases(views: list[OperationView]) -> None:
    """An alias that says what an earlier one says (a parameter many operations share) names
    the earlier one: its `Annotated[...]` and marker are built once when the module is
    imported, and the app reads one object once for all of them."""
    first: dict[tuple[str, Call, bool], str] = {}
    for view in views:
        shared = []
        for alias in view.aliases:
            key = (alias.base, alias.marker, alias.or_none)
            earlier = first.setdefault(key, alias.name)
            shared.append(alias if earlier == alias.name else replace(alias, same_as=earlier))
        view.aliases = shared


def plan_operations(api: Api) -> OperationsView:
    """Every view of operations.py, headers.py and the handler modules, with the warnings."""
    warnings: list[SpecWarning] = []
    routable = [op for op in api.operations if op.kind == "operation" and op.routable]
    # reported where found: their handlers are written, unrouted and marked
    shadowed = [op for op in api.operations if op.shadowed_by is not None]
    stubbed = [
        op
        for op in api.operations
        if op.shadowed_by is not None or (op.kind == "operation" and op.routable)
    ]
    for op in api.operations:
        if op not in stubbed:
            warnings.append(SpecWarning(op.pointer, f"{op.method.upper()} {op.path} is not routed"))
    module_of = {tag.name: tag.module for tag in api.tags}
    header_imports = Imports()
    layers = header_layers(routable, shadowed, module_of, header_imports, warnings)
    planner = _Planner(api, warnings)
    handlers: dict[str, list[HandlerStub]] = defaultdict(list)
    handler_imports: dict[str, Imports] = defaultdict(Imports)
    for op in stubbed:
        module = module_of.get(op.tag, "default")
        imports = handler_imports[module]
        imports.add("..", "_generated")  # the module is listed even when it imports nothing
        handlers[module].append(planner.handler(op, module, layers, imports))
    webhooks: list[tuple[str, list[HandlerStub]]] = []
    for hook in api.webhooks:
        stub = planner.document(hook)
        if webhooks and webhooks[-1][0] == hook.path:
            webhooks[-1][1].append(stub)
        else:
            webhooks.append((hook.path, [stub]))
    rendered_imports = {}
    local_imports: dict[str, list[str]] = {}
    for module, imports in handler_imports.items():
        local_imports[module] = sorted(imports.names.pop("..", set()) - {"_generated"})
        rendered_imports[module] = imports.lines()
    _share_aliases(planner.views)
    return OperationsView(
        operations=planner.views,
        operation_imports=planner.imports.lines(),
        header_constants=layers.constants,
        header_imports=header_imports.lines(),
        handlers=dict(handlers),
        handler_imports=rendered_imports,
        handler_local_imports=local_imports,
        tag_headers=layers.tag_headers,
        app_headers=layers.app_headers,
        webhooks=webhooks,
        warnings=warnings,
    )
