"""The round trip: spec -> generate -> serve -> re-emit gives back an equivalent spec.

Every public document, every fixture spec and the example's spec is generated, its app imported
and `App.openapi()` compared with the input by `diff_specs`. The differences found, counted by
class (`difference_class`), must equal the document's entries in `round_trip_allowed.json`
exactly: a new difference fails, and so does an entry that no longer occurs (a stale one). Each
entry says its kind: `spec-defect` (the document contradicts itself or the OpenAPI
specification), `reading` (specloom gives meaning to what the specification does not define,
such as a 2.0 extension) or `limit` (specloom cannot carry it yet: work to do).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specloom.generator.diff import Difference, diff_specs, difference_class
from specloom.generator.generate import generate
from specloom.generator.loader import load_spec

from .public_specs import DOCUMENTS, REPO, public_root, public_spec, spec_id

FIXTURES = Path(__file__).parent / "fixtures"
LOCAL = (
    "tests/generator/fixtures/aliases.yaml",
    "tests/generator/fixtures/all_of.yaml",
    "tests/generator/fixtures/all_of_inline.yaml",
    "tests/generator/fixtures/all_of_object_property.yaml",
    "tests/generator/fixtures/beside_composition.yaml",
    "tests/generator/fixtures/all_of_enum_conflict.yaml",
    "tests/generator/fixtures/base64_text.yaml",
    "tests/generator/fixtures/bounds.yaml",
    "tests/generator/fixtures/component_names.yaml",
    "tests/generator/fixtures/component_keys_swagger2.yaml",
    "tests/generator/fixtures/component_names_swagger2.yaml",
    "tests/generator/fixtures/composition.yaml",
    "tests/generator/fixtures/content_annotations.yaml",
    "tests/generator/fixtures/defaults.yaml",
    "tests/generator/fixtures/discriminators.yaml",
    "tests/generator/fixtures/document_fields.yaml",
    "tests/generator/fixtures/documentation.yaml",
    "tests/generator/fixtures/empty_objects.yaml",
    "tests/generator/fixtures/enum_docs.yaml",
    "tests/generator/fixtures/example_objects.yaml",
    "tests/generator/fixtures/header_content.yaml",
    "tests/generator/fixtures/inapplicable.yaml",
    "tests/generator/fixtures/lint_text.yaml",
    "tests/generator/fixtures/lint_names.yaml",
    "tests/generator/fixtures/media_types.yaml",
    "tests/generator/fixtures/media_type_extensions.yaml",
    "tests/generator/fixtures/mock.yaml",
    "tests/generator/fixtures/response_validation.yaml",
    "tests/generator/fixtures/multifile/root.yaml",
    "tests/generator/fixtures/names.yaml",
    "tests/generator/fixtures/negotiation.yaml",
    "tests/generator/fixtures/nullable30.yaml",
    "tests/generator/fixtures/nullable_all_of.yaml",
    "tests/generator/fixtures/nullable_member_union.yaml",
    "tests/generator/fixtures/nulls.yaml",
    "tests/generator/fixtures/number_formats.yaml",
    "tests/generator/fixtures/runtime_answers.yaml",
    "tests/generator/fixtures/pagination.yaml",
    "tests/generator/fixtures/parameter_flags.yaml",
    "tests/generator/fixtures/parameter_types.yaml",
    "tests/generator/fixtures/path_keys.yaml",
    "tests/generator/fixtures/pointer_refs.yaml",
    "tests/generator/fixtures/recursive_models.yaml",
    "tests/generator/fixtures/ref_graph.yaml",
    "tests/generator/fixtures/ref_siblings30.yaml",
    "tests/generator/fixtures/ref_to_inline.yaml",
    "tests/generator/fixtures/required_nullable.yaml",
    "tests/generator/fixtures/responses.yaml",
    "tests/generator/fixtures/responses_extensions.yaml",
    "tests/generator/fixtures/restated_docs.yaml",
    "tests/generator/fixtures/scalar_all_of.yaml",
    "tests/generator/fixtures/serialization.yaml",
    "tests/generator/fixtures/shared_union.yaml",
    "tests/generator/fixtures/structured_text.yaml",
    "tests/generator/fixtures/swagger2_examples.yaml",
    "tests/generator/fixtures/swagger2_hierarchy.yaml",
    "tests/generator/fixtures/tags_as_written.yaml",
    "tests/generator/fixtures/swagger2_upload.yaml",
    "tests/generator/fixtures/tuples.yaml",
    "tests/generator/fixtures/union_order.yaml",
    "tests/generator/fixtures/untagged.yaml",
    "tests/generator/fixtures/unions_as_written.yaml",
    "tests/generator/fixtures/unchecked.yaml",
    "tests/generator/fixtures/unchecked_keywords.yaml",
    "tests/generator/fixtures/base_path.yaml",
    "tests/generator/fixtures/unnamed_properties.yaml",
    "tests/generator/fixtures/untyped_objects.yaml",
    "tests/generator/fixtures/untyped_required.yaml",
    "tests/generator/fixtures/values.yaml",
    "tests/generator/fixtures/x_nullable.yaml",
    "tests/generator/fixtures/x_nullable30.yaml",
    "tests/generator/fixtures/yaml12_text.yaml",
    "examples/petstore/openapi.yaml",
)
NOT_GENERATED = ("bad.yaml", "badref.yaml")  # invalid on purpose: nothing is generated
# invalid on purpose: generated (repaired, reported) but with no valid spec to give back
INVALID = ("invalid_params.yaml", "same_path.yaml")

ALLOWED = json.loads((Path(__file__).parent / "round_trip_allowed.json").read_text("utf-8"))
KINDS = ("spec-defect", "reading", "limit")
_results: dict[str, Counter[str]] = {}


@pytest.fixture(scope="module", autouse=True)
def _report_figure(request: pytest.FixtureRequest) -> Iterator[None]:
    """After the module: the figure `documents that round-trip cleanly / documents tried`."""
    yield
    if not _results:
        return
    clean = sum(1 for found in _results.values() if not found)
    by_kind: Counter[str] = Counter()
    for document, found in _results.items():
        for name, count in found.items():
            entry = ALLOWED["documents"].get(document, {}).get(name, {})
            by_kind[entry.get("kind", "not allowed")] += count
    line = f"round trip: {clean}/{len(_results)} documents re-emit their spec exactly"
    if by_kind:
        line += " (allowed differences: " + ", ".join(f"{k} {n}" for k, n in by_kind.items()) + ")"
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is None or capture is None:  # pragma: no cover - without pytest's own plugins
        print(line)
        return
    with capture.global_and_fixture_disabled():  # shown at the end of the run, not captured
        reporter.write_line("")
        reporter.write_line(line)


def _round_trip(
    spec: Path, root: Path, document: str, spec_root: Path | None = None
) -> list[Difference]:
    package = "rt_" + hashlib.sha256(document.encode()).hexdigest()[:10]
    result = generate(spec, root / package, spec_root=spec_root)
    assert result.api is not None
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    app: Any = importlib.import_module(f"{package}.app").app
    return diff_specs(load_spec(spec, spec_root=spec_root).document, app.openapi())


def _check(document: str, differences: list[Difference]) -> None:
    """The differences, by class, are exactly the document's allowed ones."""
    found = Counter(difference_class(d) for d in differences)
    allowed = ALLOWED["documents"].get(document, {})
    expected = {name: entry["count"] for name, entry in allowed.items()}
    assert all(entry["kind"] in KINDS and entry["why"] for entry in allowed.values())
    _results[document] = found
    unexpected = [
        str(d)
        for d in differences
        if found[difference_class(d)] != expected.get(difference_class(d))
    ]
    stale = sorted(set(expected) - set(found))
    assert dict(found) == expected, (
        f"differences by class {dict(found)}, allowed {expected}; stale entries: {stale}\n"
        + "\n".join(unexpected[:40])
    )


@pytest.mark.parametrize("document", DOCUMENTS, ids=spec_id)
def test_public_document_round_trips(
    document: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    spec = public_spec(document)
    root = tmp_path_factory.mktemp("round_trip")
    differences = _round_trip(spec, root, document, public_root(document))
    _check(document, differences)


@pytest.mark.parametrize("document", LOCAL, ids=lambda d: d.rsplit("/", 2)[-2] + "/" + Path(d).name)
def test_local_spec_round_trips(document: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    differences = _round_trip(REPO / document, tmp_path_factory.mktemp("round_trip"), document)
    _check(document, differences)


def test_every_fixture_spec_is_tried() -> None:
    """A new fixture spec joins the round trip (or is named as invalid on purpose)."""
    found = {
        str(path.relative_to(REPO))
        for path in FIXTURES.glob("*.yaml")
        if path.name not in (*NOT_GENERATED, *INVALID)
    }
    found.add("tests/generator/fixtures/multifile/root.yaml")
    assert found == {d for d in LOCAL if d.startswith("tests/")}


def test_every_allowed_document_is_tried() -> None:
    """An allow-list entry for a document no test tries is stale too."""
    assert set(ALLOWED["documents"]) <= {*DOCUMENTS, *LOCAL}
