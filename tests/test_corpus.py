"""The corpus slice CI runs: no document may lose ground against the committed figures.

`benchmarks/corpus.py --slice ci --lint` runs the 14 public documents and every tenth
APIs.guru document through every step (generate, import, one request per operation,
`app.openapi()`, diff, component names, ruff, mypy). `benchmarks/results/corpus-ci.json` holds
the figures of the last accepted run; a step that passed there and fails now, or more
round-trip differences or lost names than there, fails this test. Better figures pass: commit
the new report (`python3 benchmarks/corpus.py --slice ci --lint --name corpus-ci`) to keep them.

Differences `benchmarks/corpus_allowed.json` lists (spec defects, per document and class) are
not counted against a document, and an entry of that list that allows more than the run finds
(a stale one) fails.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "benchmarks" / "results" / "corpus-ci.json"


def _corpus_module(path: str = "corpus.py") -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "specloom_" + Path(path).stem, REPO / "benchmarks" / path
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _not_allowed(diff: dict[str, Any]) -> int | None:
    count = diff.get("count")
    return None if count is None else int(count) - int(diff.get("allowed", 0))


def _off_names(result: dict[str, Any]) -> int:
    names = result.get("names", {})
    return int(names.get("missing_count", 0)) + int(names.get("added_count", 0))


def regressions(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What got worse, document by document."""
    found: list[str] = []
    for doc_id, old in before.items():
        new = after.get(doc_id)
        if new is None:
            found.append(f"{doc_id}: not run")
            continue
        for step, value in old.items():
            if isinstance(value, dict) and value.get("ok") and not new.get(step, {}).get("ok"):
                detail = new.get(step, {}).get("error") or new.get(step, {}).get("first") or ""
                found.append(f"{doc_id}: {step} passed, now fails {str(detail)[:300]}")
        old_count, new_count = _not_allowed(old.get("diff", {})), _not_allowed(new.get("diff", {}))
        if old_count is not None and (new_count is None or new_count > old_count):
            found.append(f"{doc_id}: {old_count} round-trip differences, now {new_count}")
        found += [
            f"{doc_id}: stale allow-list entry {e}" for e in new.get("diff", {}).get("stale", [])
        ]
        if "names" in old and _off_names(new) > _off_names(old):
            found.append(f"{doc_id}: {_off_names(old)} component names off, now {_off_names(new)}")
    return found


def test_regressions_are_named() -> None:
    before = {"a": {"import": {"ok": True}, "diff": {"ok": False, "count": 2}}}
    assert regressions(before, {"a": {"import": {"ok": True}, "diff": {"count": 2}}}) == []
    worse = regressions(
        before, {"a": {"import": {"ok": False, "error": "E"}, "diff": {"count": 3}}}
    )
    assert worse == ["a: import passed, now fails E", "a: 2 round-trip differences, now 3"]
    defects = {"a": {"import": {"ok": True}, "diff": {"count": 5, "allowed": 3, "stale": []}}}
    assert regressions(before, defects) == []  # 2 not allowed, as before
    stale = {"a": {"import": {"ok": True}, "diff": {"count": 1, "allowed": 1, "stale": ["c: 2"]}}}
    assert regressions(before, stale) == ["a: stale allow-list entry c: 2"]


def test_allowed_differences_are_counted_and_stale_entries_found() -> None:
    corpus = _corpus_module()
    entry = {"count": 2, "kind": "spec-defect", "why": "w"}
    allowed = {"a": {"x": entry, "y": entry}, "b": {"x": entry}}
    results = {
        "a": {"diff": {"count": 5, "classes": {"x": 3, "y": 2}}},
        "b": {"diff": {"count": 1, "classes": {"x": 1}}},
        "c": {"diff": {"count": 0, "classes": {}}},
    }
    corpus.apply_allowed(results, allowed)
    assert (results["a"]["diff"]["allowed"], results["a"]["diff"]["stale"]) == (4, [])
    assert results["b"]["diff"]["stale"] == ["x: 2 allowed, 1 found"]
    assert [corpus.defects_only(r) for r in results.values()] == [False, True, False]
    assert corpus.totals(results, lint=False)["diff_defects_only"] == 1


def test_names_renamed_as_openapi_3_requires_are_counted_apart() -> None:
    probe = _corpus_module("bench/corpus_probe.py")
    given = {"swagger": "2.0", "definitions": {"A[B]": {}, "A_B_": {}, "C": {}, "D": {}}}
    served = {"openapi": "3.1.0", "components": {"schemas": {"A_B__2": {}, "A_B_": {}, "C": {}}}}
    found = probe.names_check(given, served)
    assert (found["ok"], found["renamed"], found["missing"], found["added_count"]) == (
        False,
        {"A[B]": "A_B__2"},
        ["D"],
        0,
    )
    as_3x = {"openapi": "3.0.3", "components": {"schemas": {"A[B]": {}}}}
    found = probe.names_check(as_3x, {"components": {"schemas": {"A_B_": {}}}})
    assert (found["renamed_count"], found["missing"], found["added"]) == (0, ["A[B]"], ["A_B_"])


def test_the_allow_list_holds_spec_defects_of_corpus_documents() -> None:
    """Each entry is a spec defect with its reason, for a document of the corpus."""
    corpus = _corpus_module()
    allowed = corpus.load_allowed()
    for entries in allowed.values():
        for entry in entries.values():
            assert entry["kind"] == "spec-defect" and entry["why"] and entry["count"] > 0
    specs = corpus.shared_specs()
    if specs is not None:
        assert set(allowed) <= {doc_id for doc_id, _ in corpus.documents(specs)}


def test_the_corpus_slice_does_not_regress(tmp_path: Path) -> None:
    corpus = _corpus_module()
    specs = corpus.shared_specs()
    if specs is None:
        pytest.skip("the shared spec corpus is not here: set SPECLOOM_SPECS to ../shared/specs")
    selected = corpus.ci_slice(corpus.documents(specs))
    results = corpus.run_corpus(selected, jobs=2, timeout=300.0, lint=True, python=sys.executable)
    report = corpus.build_report(
        results, command="tests/test_corpus.py", jobs=2, timeout=300.0, lint=True, wall=0.0
    )
    (tmp_path / "corpus-ci.md").write_text(corpus.markdown(report))
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))["documents"]
    assert set(baseline) == {doc_id for doc_id, _ in selected}, "the slice changed: rebaseline"
    worse = regressions(baseline, results)
    # every generated package is clean: ruff (the project's rules and ruff's defaults), black
    # and mypy --strict, whatever the baseline says
    worse += [
        f"{doc_id}: {step} fails {str(result.get(step, {}).get('first', ''))[:300]}"
        for doc_id, result in results.items()
        for step in corpus.LINT_STEPS
        if not result.get(step, {}).get("ok")
    ]
    assert (
        not worse
    ), f"{len(worse)} regressions (report: {tmp_path / 'corpus-ci.md'}):\n" + "\n".join(worse)
