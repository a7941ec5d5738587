"""Comparing two documents: both normalised, made canonical, then walked side by side."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._difference import Difference, _classify, escape_pointer
from ._documents import canonical_for_diff
from ._references import _ignore_reference_siblings
from ._sharing import _sharing


class _Comparison:
    """Differences between two canonical documents. Inlined references share their subtrees,
    so a pair of subtrees found equal once is not walked again."""

    def __init__(self) -> None:
        self.out: list[Difference] = []
        self._equal: set[tuple[int, int]] = set()  # both documents outlive the walk

    def compare(self, old: Any, new: Any, pointer: str) -> None:
        key = (id(old), id(new))
        if key in self._equal:
            return
        before = len(self.out)
        self._walk(old, new, pointer)
        if len(self.out) == before and isinstance(old, dict | list):
            self._equal.add(key)

    def _walk(self, old: Any, new: Any, pointer: str) -> None:
        if isinstance(old, Mapping) and isinstance(new, Mapping):
            for key in old:
                child = f"{pointer}/{escape_pointer(str(key))}"
                if key in new:
                    self.compare(old[key], new[key], child)
                else:
                    self.out.append(Difference(child, "removed", old=old[key]))
            for key in new:
                if key not in old:
                    child = f"{pointer}/{escape_pointer(str(key))}"
                    self.out.append(Difference(child, "added", new=new[key]))
            return
        if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
            for index, (a, b) in enumerate(zip(old, new, strict=True)):
                self.compare(a, b, f"{pointer}/{index}")
            return
        # 3 and 3.0 are the same number in JSON; True and 1 are not the same value
        if isinstance(old, bool) != isinstance(new, bool) or old != new:
            self.out.append(Difference(pointer, "changed", old=old, new=new))


def diff_documents(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Difference]:
    """Differences between two already normalised documents, breaking ones flagged."""
    with _sharing():
        a, b = canonical_for_diff(old), canonical_for_diff(new)
    comparison = _Comparison()
    comparison.compare(a, b, "")
    return [_classify(d) for d in comparison.out]


def diff_specs(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    normalize: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> list[Difference]:
    """Normalise two loaded documents (2.0, 3.0 or 3.1) and compare them."""
    if normalize is None:
        from ..normalize import normalize_spec

        def normalize(doc: dict[str, Any]) -> dict[str, Any]:
            return normalize_spec(doc, extensions_as_written=True)

    return diff_documents(normalize(_as_written(old)), normalize(_as_written(new)))


def _as_written(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The document as its version reads it: before 3.1, `$ref` siblings are ignored."""
    from ..walk import detect_version

    if detect_version(dict(doc)) in ("2.0", "3.0"):
        return dict(_ignore_reference_siblings(doc))
    return dict(doc)
