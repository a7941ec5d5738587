"""Comparing two documents: both normalised, made canonical, then walked side by side."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from specloom.collector import collection_paused

from ._difference import Difference, _classify, escape_pointer
from ._documents import canonical_for_diff
from ._order import same
from ._references import _copied_as_written, _ignore_reference_siblings
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
                if key == "allOf" and _schema_list(old[key]) and _schema_list(new.get(key)):
                    self._members(old[key], new[key], child)
                elif key in new:
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

    def _members(self, old: list[Any], new: list[Any], pointer: str) -> None:
        """allOf members, each compared with its best match on the other side (an instance is
        valid when it is valid against every member, whatever their order: core 10.2.1.1)."""
        pairs, extra = _paired(old, new)
        for i, j in pairs:
            self.compare(old[i], new[j], f"{pointer}/{i}")
        for i in sorted(set(range(len(old))) - {i for i, _ in pairs}):
            self.out.append(Difference(f"{pointer}/{i}", "removed", old=old[i]))
        for j in extra:
            self.out.append(Difference(f"{pointer}/{j}", "added", new=new[j]))


def _schema_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, Mapping) for item in value)


def _likeness(one: Mapping[str, Any], other: Mapping[str, Any]) -> tuple[int, int, int, int]:
    """How alike two members are: equal, then their equal keywords, shared property names,
    shared keywords."""
    equal = sum(1 for key in one if key in other and same(one[key], other[key]))
    names = set(one.get("properties") or ()) & set(other.get("properties") or ())
    return int(same(one, other)), equal, len(names), len(set(one) & set(other))


def _paired(old: list[Any], new: list[Any]) -> tuple[list[tuple[int, int]], list[int]]:
    """Members paired best match first (equal ones first of all); the new ones left over."""
    scores = sorted(
        ((_likeness(a, b), i, j) for i, a in enumerate(old) for j, b in enumerate(new)),
        key=lambda item: (tuple(-n for n in item[0]), item[1], item[2]),
    )
    pairs: list[tuple[int, int]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    for likeness, i, j in scores:
        if i in used_old or j in used_new or not any(likeness):
            continue
        pairs.append((i, j))
        used_old.add(i)
        used_new.add(j)
    return sorted(pairs), [j for j in range(len(new)) if j not in used_new]


def diff_documents(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Difference]:
    """Differences between two already normalised documents, breaking ones flagged."""
    with collection_paused(), _sharing():
        a, b = canonical_for_diff(old), canonical_for_diff(new)
        comparison = _Comparison()
        comparison.compare(a, b, "")
    return [_classify(d) for d in comparison.out]


def diff_specs(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    normalize: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> list[Difference]:
    """Normalise two loaded documents (2.0, 3.0 or 3.1) and compare them (the collector
    paused: the copies live until the end, acyclic; `specloom.collector`)."""
    with collection_paused():
        if normalize is None:
            return diff_documents(_normalized(old), _normalized(new))
        return diff_documents(normalize(_as_written(old)), normalize(_as_written(new)))


def _normalized(doc: Mapping[str, Any]) -> dict[str, Any]:
    """`normalize_spec(_as_written(doc), extensions_as_written=True)`; before 3.1 the copy
    that drops the keys beside `$ref`s is the one normalising rewrites (not copied twice)."""
    from ..normalize import normalize_document, normalize_spec
    from ..walk import detect_version

    if detect_version(dict(doc)) not in ("2.0", "3.0"):
        return normalize_spec(dict(doc), extensions_as_written=True)
    owned = dict(_copied_as_written(doc))
    return normalize_document(owned, extensions_as_written=True, owned=True).document


def _as_written(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The document as its version reads it: before 3.1, `$ref` siblings are ignored."""
    from ..walk import detect_version

    if detect_version(dict(doc)) in ("2.0", "3.0"):
        return dict(_ignore_reference_siblings(doc))
    return dict(doc)
