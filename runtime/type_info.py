"""msgspec's type information and JSON schemas, each class read once per process.

`msgspec.inspect.type_info` starts over on every call: it reads the annotations of every class
the type reaches (evaluating them again when they are strings, as under `from __future__ import
annotations`). Start-up asks about every handler's parameters, body and return type, and the
OpenAPI document about every leaf type, so an app of a few hundred operations over a few hundred
models read the same models thousands of times (seconds of start-up, most of them in `compile`
of annotation strings). Here one translation is kept: a class is read once, and a type already
seen is answered from a dict.

The translator is msgspec's own (`msgspec.inspect._Translator`, the class behind
`multi_type_info`), used as `multi_type_info` uses it, so the answers are msgspec's; the schema
generator is msgspec's too (`schema_components`' steps, fed the kept answers). Where a msgspec
release lacks either, the public functions are used: the same answers, only slower.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

import msgspec
import msgspec.inspect

__all__ = ["multi_type_info", "schema_components", "type_info"]

_LOCK = threading.RLock()
_KNOWN: dict[Any, msgspec.inspect.Type] = {}  # annotation -> its answer
_STATE: dict[str, Any] = {}  # "translator": the kept msgspec translator


def type_info(annotation: Any) -> msgspec.inspect.Type:
    """`msgspec.inspect.type_info(annotation)`, the classes it reaches read once per process.

    Raises as msgspec does (TypeError, ValueError) for what msgspec cannot handle."""
    try:
        return _KNOWN[annotation]
    except KeyError:
        pass
    except TypeError:  # unhashable: answered, not kept
        return _translate(annotation)
    info = _KNOWN[annotation] = _translate(annotation)
    return info


def multi_type_info(annotations: Iterable[Any]) -> tuple[msgspec.inspect.Type, ...]:
    """`msgspec.inspect.multi_type_info`, from the kept answers."""
    return tuple(type_info(annotation) for annotation in annotations)


def _translate(annotation: Any) -> msgspec.inspect.Type:
    factory = getattr(msgspec.inspect, "_Translator", None)
    if factory is None:
        return msgspec.inspect.type_info(annotation)
    # what msgspec checks before it translates: a decoder refuses an unsupported type
    msgspec.msgpack.Decoder(annotation)
    with _LOCK:
        translator = _STATE.get("translator")
        if translator is None:
            translator = _STATE["translator"] = factory(())
        try:
            info: msgspec.inspect.Type = translator.translate(annotation)
        except BaseException:
            # a class read half-way stays in the translator's cache: start a new one
            _STATE.pop("translator", None)
            raise
    return info


def schema_components(
    annotations: Iterable[Any],
    *,
    schema_hook: Callable[[type], dict[str, Any]] | None = None,
    ref_template: str,
) -> tuple[tuple[dict[str, Any], ...], dict[str, Any]]:
    """`msgspec.json.schema_components`, over the kept type information."""
    annotations = tuple(annotations)
    try:
        from msgspec import _json_schema as steps

        collect = steps._collect_component_types
        build_names = steps._build_name_map
        generator_class = steps._SchemaGenerator
    except (ImportError, AttributeError):
        return msgspec.json.schema_components(
            annotations, schema_hook=schema_hook, ref_template=ref_template
        )
    infos = multi_type_info(annotations)
    component_types = collect(infos)
    name_map = build_names(component_types)
    generator = generator_class(name_map, schema_hook, ref_template)
    schemas = tuple(generator.to_schema(info) for info in infos)
    components = {
        name_map[cls]: generator.to_schema(info, False) for cls, info in component_types.items()
    }
    return schemas, components
