"""benchmarks/bench/gencorpus.py: which corpus documents run, each one's outcome, the summary
against the 0.5x target. Pure functions only: nothing here runs a tool or times anything."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"


@pytest.fixture(scope="module")
def gc() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from bench import gencorpus

        return gencorpus
    finally:
        sys.path.remove(str(BENCHMARKS))


def _run(gc: ModuleType, tool: str, label: str, cpu: float, code: int = 0, **kw: Any) -> Any:
    from bench.generate import Run
    from bench.rusage import ChildRun

    result = ChildRun(code, cpu * 1.1, cpu, 50.0, kw.pop("timed_out", False))
    return Run("k", tool, label, kw.pop("rep", 1), result, 3, 100, kw.pop("error", ""))


FOUND = [
    (f"public/p{i}.yaml" if i < 2 else f"apisguru/APIs/a{i}.yaml", Path(f"/s/{i}"))
    for i in range(10)
]


def test_select_every_offset_limit_keep_corpus_indexes(gc: ModuleType) -> None:
    assert [i for i, _, _ in gc.select(FOUND, every=3)] == [0, 3, 6, 9]
    assert [i for i, _, _ in gc.select(FOUND, every=3, offset=1)] == [1, 4, 7]
    assert [i for i, _, _ in gc.select(FOUND, every=2, limit=2)] == [0, 2]
    assert len(gc.select(FOUND)) == 10
    chosen = gc.select(FOUND, only=["apisguru/"], every=4)
    assert [(i, doc_id) for i, doc_id, _ in chosen] == [
        (2, "apisguru/APIs/a2.yaml"),
        (6, "apisguru/APIs/a6.yaml"),
    ]
    with pytest.raises(ValueError):
        gc.select(FOUND, every=0)


def test_package_key_is_an_identifier_named_after_the_document(gc: ModuleType) -> None:
    key = gc.package_key(42, "apisguru/APIs/bbc.co.uk/1.0.0/swagger.yaml")
    assert key.isidentifier() and key.startswith("c042_bbc_co_uk_1_0_0")
    assert len(gc.package_key(7, "public/" + "x-" * 100)) <= 45


def test_outcome_ratio_on_the_original_file(gc: ModuleType) -> None:
    from bench.generate import DMC, ORIGINAL, SPECLOOM

    runs = [_run(gc, DMC, ORIGINAL, 4.0, rep=r) for r in (1, 2, 3)] + [
        _run(gc, SPECLOOM, ORIGINAL, cpu, rep=r) for r, cpu in ((1, 9.0), (2, 1.0), (3, 1.2))
    ]
    doc = gc.outcome(runs)
    assert (doc["specloom"], doc["dmc"], doc["dmc_input"]) == ("ok", "ok", ORIGINAL)
    assert doc["ratio_cpu"] == pytest.approx(1.2 / 4.0, abs=1e-3)  # medians
    assert doc["tools"][f"{SPECLOOM}/{ORIGINAL}"]["runs"] == 3


def test_outcome_uses_the_conversion_when_dmc_fails_on_the_file(gc: ModuleType) -> None:
    from bench.generate import CONVERTED, DMC, ORIGINAL, SPECLOOM

    runs = [
        _run(gc, DMC, ORIGINAL, 1.0, code=1, error="yaml error"),
        _run(gc, DMC, CONVERTED, 2.0),
        _run(gc, SPECLOOM, ORIGINAL, 3.0),
        _run(gc, SPECLOOM, CONVERTED, 0.5),
    ]
    doc = gc.outcome(runs)
    assert (doc["dmc"], doc["dmc_input"], doc["ratio_cpu"]) == ("ok", CONVERTED, 0.25)


def test_outcome_and_reasons_without_models(gc: ModuleType) -> None:
    from bench.generate import DMC, ORIGINAL, SPECLOOM

    none = gc.outcome(
        [
            _run(gc, DMC, ORIGINAL, 1.0, code=2, error="x | Models not found in the input data"),
            _run(gc, SPECLOOM, ORIGINAL, 1.0),
        ]
    )
    assert none["dmc"] == "failed" and "ratio_cpu" not in none
    assert gc.dmc_failure_reason(none).startswith("no models found")
    assert gc.dmc_failure_reason({**none, "version": "Swagger 2.0"}).startswith("Swagger 2.0")
    slow = gc.outcome(
        [
            _run(gc, DMC, ORIGINAL, 300.0, code=-9, timed_out=True, error="timed out after 300 s"),
            _run(gc, SPECLOOM, ORIGINAL, 1.0, code=1, error="boom"),
        ]
    )
    assert (slow["dmc"], slow["specloom"]) == ("timeout", "failed")
    assert gc.dmc_failure_reason(slow) == "timed out"


def test_percentile_is_nearest_rank(gc: ModuleType) -> None:
    values = [float(v) for v in range(1, 11)]
    assert gc.percentile(values, 0.9) == 9.0
    assert gc.percentile(values, 0.5) == 5.0
    assert gc.percentile([3.0], 0.9) == 3.0
    assert gc.percentile(list(reversed(values)), 1.0) == 10.0


def _doc(ratio: float | None, **kw: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"specloom": "ok", "dmc": "ok", "dmc_input": "original", "tools": {}}
    if ratio is None:
        doc.update(dmc="failed", dmc_input=None, version="Swagger 2.0")
    else:
        doc.update(ratio_cpu=ratio, ratio_wall=ratio * 2)
    return {**doc, **kw}


def test_summarise_counts_the_target_and_orders_the_worst(gc: ModuleType) -> None:
    docs = {f"d{i}": _doc(r) for i, r in enumerate([0.2, 0.5, 0.9, 0.3, 1.4, None])}
    docs["d6"] = _doc(None, specloom="timeout")
    s = gc.summarise(docs)
    assert (s["documents"], s["both_ran"], s["met_cpu"], s["met_wall"]) == (7, 5, 3, 1)
    assert s["ratio_cpu"] == {"min": 0.2, "median": 0.5, "p90": 1.4, "max": 1.4}
    assert s["worst"][:3] == ["d4", "d2", "d1"]
    assert s["status"]["dmc"] == {"ok": 5, "failed": 2, "timeout": 0}
    assert s["status"]["specloom"]["timeout"] == 1 and list(s["specloom_failures"]) == ["d6"]
    assert s["dmc_failures"] == {"Swagger 2.0 (its openapi input reads OpenAPI 3 only)": 2}
    assert gc.summarise({})["both_ran"] == 0


def test_full_run_estimate_scales_by_documents(gc: ModuleType) -> None:
    assert gc.full_run_estimate(600.0, 50, 300) == 3600.0
    assert gc.full_run_estimate(600.0, 0, 300) == 0.0
