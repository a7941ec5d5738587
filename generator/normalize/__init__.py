"""Normalise Swagger 2.0, OpenAPI 3.0 and 3.1 documents to one canonical OpenAPI 3.1 form.

This is the only place that knows older versions: everything downstream (the IR builder,
`specloom diff`) reads the canonical form. The canonical form is a fixpoint: normalising it
again changes nothing. What it fixes (each with, in brackets, the module that does it):

- Swagger 2.0: definitions/parameters/responses/securityDefinitions move to `components`;
  body and formData parameters become a `requestBody` (one content entry per `consumes`);
  response schemas get one content entry per `produces`; host/basePath/schemes -> servers;
  `collectionFormat` -> style/explode; `type: file` -> binary string; a definition name
  OpenAPI 3 refuses as a component key (letters, digits, `.`, `-`, `_`) is renamed by
  `naming.component_keys`, its `$ref`s with it, and reported. [`_swagger2`]
- 3.0 schemas: `nullable`/`x-nullable` -> `"null"` in `type` (or `anyOf [..., {type: null}]`);
  boolean exclusiveMinimum/Maximum -> numbers; `example` -> `examples: [...]`. [`_canonical`]
- 2.0 and 3.0: the keys beside a schema's `$ref` are dropped (Reference Object: "any
  properties added SHALL be ignored"), with one warning; 3.1 applies them. [`_canonical`]
- All: path-item `$ref`s inlined; path-level parameters merged into each operation;
  defaults that mean "absent" dropped (`required: false`, `deprecated: false`, default
  style/explode...); every `$ref` checked. [`_canonical`]
"""

from __future__ import annotations

from typing import Any

from ..errors import SpecError, SpecWarning
from ..walk import detect_version
from ._canonical import _Canonical
from ._result import Normalized, _copy
from ._swagger2 import _Swagger2

__all__ = ["Normalized", "normalize_document", "normalize_spec"]


def normalize_spec(
    doc: dict[str, Any],
    *,
    warnings: list[SpecWarning] | None = None,
    extensions_as_written: bool = False,
) -> dict[str, Any]:
    """The canonical OpenAPI 3.1 form of `doc` (not modified); idempotent and deterministic.

    `extensions_as_written` (the judge's reading): `x-nullable` stays the extension it is, and
    a schema's `example` beside `examples` is kept, instead of being read the way the generator
    reads them. A 2.0 parameter's `x-example` is an extension for both (kept as written)."""
    result = normalize_document(doc, extensions_as_written=extensions_as_written)
    if warnings is not None:
        warnings.extend(result.warnings)
    return result.document


def normalize_document(
    doc: dict[str, Any], *, extensions_as_written: bool = False, owned: bool = False
) -> Normalized:
    """Like `normalize_spec`, keeping the moves (for source positions) and the warnings.

    `owned`: `doc` is the caller's own deep copy, with string keys, which nothing else holds
    (what copying would make): it is rewritten in place instead of copied again."""
    version = detect_version(doc)
    if not version:
        raise SpecError("not an OpenAPI 2.0/3.x document", pointer="")
    try:
        copied = doc if owned else _copy(doc)
        result = Normalized(copied, extensions_as_written=extensions_as_written)
        result.ref_siblings_ignored = version in ("2.0", "3.0")
        if version == "2.0":
            result.document = _Swagger2(result.document, result).convert()
        _Canonical(result).run()
    except RecursionError:
        raise SpecError("the document is nested too deeply", pointer="") from None
    return result
