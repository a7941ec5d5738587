"""Response headers, hoisted: a header every operation of the app (or of a tag's router)
declares alike is declared once, on that layer (a constant in headers.py); the others stay on
each operation's decorator."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import SpecWarning
from ..ir import HeaderSpec, Operation
from ..render.pyexpr import Imports
from .parameters import unique
from .responses import declarable, header_call, success_headers
from .views import Call, ListOf

__all__ = ["HeaderLayers", "header_layers"]

_Declared = dict[str, tuple[HeaderSpec, Call]]  # lower-cased name -> (header, declaration)


@dataclass
class HeaderLayers:
    """Where each success-response header is declared."""

    declared: dict[str, _Declared]  # operation (python name) -> its headers
    app_common: dict[str, Call]
    tag_common: dict[str, dict[str, Call]]  # tag module -> headers its router declares
    constants: list[tuple[str, ListOf]] = field(default_factory=list)
    tag_headers: dict[str, str] = field(default_factory=dict)  # module -> constant
    app_headers: str | None = None

    def own(self, op: Operation, module: str) -> list[HeaderSpec]:
        """The headers `op`'s decorator declares (no layer above declares them; an unrouted
        operation is documented on its own, under no router, so it declares all of them)."""
        routed = op.shadowed_by is None
        hoisted = {*self.app_common, *self.tag_common.get(module, {})} if routed else set()
        return [h for key, (h, _) in self.declared[op.python_name].items() if key not in hoisted]

    def any(self, op: Operation) -> bool:
        """Whether `op`'s success response has headers (its handler returns a Response)."""
        return bool(self.declared[op.python_name])


def header_layers(
    routable: Sequence[Operation],
    shadowed: Sequence[Operation],
    module_of: dict[str, str],
    imports: Imports,
    warnings: list[SpecWarning],
) -> HeaderLayers:
    """Hoist headers to the highest layer every operation below it shares; report response
    headers that cannot be declared, once each. `imports`: those of headers.py."""
    for op in routable:
        for response in op.responses:
            declarable(response.headers, op.pointer, warnings)
    scratch = Imports()  # declarations here only compare headers; imports are added on use
    declared = {
        op.python_name: {h.name.lower(): (h, header_call(h, scratch)) for h in success_headers(op)}
        for op in [*routable, *shadowed]
    }

    def common(ops: Sequence[Operation]) -> dict[str, Call]:
        """Plain headers all `ops` share (typed Cache-Control/ETag stay on each operation)."""
        if not ops:
            return {}
        first = {
            k: v[1]
            for k, v in declared[ops[0].python_name].items()
            if v[1].function == "ResponseHeader"
        }
        for op in ops[1:]:
            mine = {k: v[1] for k, v in declared[op.python_name].items()}
            first = {k: v for k, v in first.items() if mine.get(k) == v}
        return first

    app_common = common(routable) if len(routable) > 1 else {}
    by_tag: dict[str, list[Operation]] = {}
    for op in routable:
        by_tag.setdefault(module_of.get(op.tag, "default"), []).append(op)
    tag_common = {
        module: (
            {k: v for k, v in common(ops).items() if k not in app_common} if len(ops) > 1 else {}
        )
        for module, ops in by_tag.items()
    }
    layers = HeaderLayers(declared, app_common, tag_common)
    taken: set[str] = set()
    if app_common:
        layers.app_headers = _constant(
            layers, "APP_HEADERS", routable[0], app_common, taken, imports
        )
    for module, headers in sorted(tag_common.items()):
        if headers:
            name = module.upper() + "_HEADERS"
            first = by_tag[module][0]
            layers.tag_headers[module] = _constant(layers, name, first, headers, taken, imports)
    return layers


def _constant(
    layers: HeaderLayers,
    name: str,
    first: Operation,
    headers: dict[str, Call],
    taken: set[str],
    imports: Imports,
) -> str:
    """Add the constant declaring `headers` (as `first` declares them); its name."""
    for key in headers:
        header_call(layers.declared[first.python_name][key][0], imports)
    constant = unique(name, taken)
    layers.constants.append((constant, ListOf(tuple(headers.values()))))
    return constant
