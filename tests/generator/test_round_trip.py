"""The round trip: spec -> generate -> serve -> re-emit gives back an equivalent spec.

Every public document, every fixture spec and the example's spec is generated, its app imported
and `App.openapi()` compared with the input by `diff_specs`. What cannot round-trip yet is in
ALLOWED: per document, (JSON-pointer regex, reason) pairs. A difference no entry matches fails
the test, and so does an entry that matches no difference: the list can only shrink.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specloom.generator.diff import Difference, diff_specs
from specloom.generator.generate import generate
from specloom.generator.loader import load_spec

from .public_specs import DOCUMENTS, REPO, public_spec, spec_id

FIXTURES = Path(__file__).parent / "fixtures"
LOCAL = (
    "tests/generator/fixtures/bounds.yaml",
    "tests/generator/fixtures/composition.yaml",
    "tests/generator/fixtures/multifile/root.yaml",
    "tests/generator/fixtures/names.yaml",
    "tests/generator/fixtures/negotiation.yaml",
    "tests/generator/fixtures/nullable30.yaml",
    "tests/generator/fixtures/pagination.yaml",
    "tests/generator/fixtures/responses.yaml",
    "tests/generator/fixtures/serialization.yaml",
    "tests/generator/fixtures/swagger2_upload.yaml",
    "tests/generator/fixtures/untagged.yaml",
    "examples/petstore/openapi.yaml",
)
NOT_GENERATED = ("bad.yaml", "badref.yaml")  # invalid on purpose: nothing is generated
# invalid on purpose: generated (repaired, reported) but with no valid spec to give back
INVALID = ("invalid_params.yaml",)

_OP = r"/paths/[^/]+/[a-z]+"  # one operation
# a body's, a response's or a component's schema
_SCHEMA = rf"({_OP}/(requestBody|responses/[^/]+)/content/[^/]+/schema|/components/schemas/[^/]+)"

# Every entry says which of two things it is:
# - "spec defect": the document says something no server can do as written (unsatisfiable or
#   undefined by OpenAPI); the generated server does what was evidently meant and reports it.
# - "limit": what the typed code cannot express yet; the reason says what is served instead.
UNION_KEYWORDS = (
    "spec defect: `additionalProperties: false` beside oneOf/anyOf, with no properties of its "
    "own, refuses every key of every member (JSON Schema applies it to the same schema object "
    "only); the union holds its members, reported (a recursive $ref also hides the implied "
    "`type: object`)"
)

ALLOWED: dict[str, list[tuple[str, str]]] = {
    "APIs-guru__openapi-directory/APIs/atlassian.com/jira/1001.0.0-SNAPSHOT/openapi.yaml": [
        (
            rf"{_SCHEMA}(/.*)?/(values|defaultValues|conditions|clauses)/items/"
            r"(type|additionalProperties)",
            UNION_KEYWORDS,
        ),
        (rf"{_SCHEMA}(/.*)?/conditionsTree/additionalProperties", UNION_KEYWORDS),
        (rf"{_SCHEMA}(/.*)?/where/additionalProperties", UNION_KEYWORDS),
        (
            rf"{_SCHEMA}(/.*)?/screens/required",
            "spec defect: `required` names a property that `additionalProperties: false` "
            "forbids, so no value is valid; the requirement is dropped (reported)",
        ),
    ],
}


def _allowed(document: str) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(pattern), reason) for pattern, reason in ALLOWED.get(document, [])]


_results: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def _report_figure(request: pytest.FixtureRequest) -> Iterator[None]:
    """After the module: the figure `documents that round-trip cleanly / documents tried`."""
    yield
    if not _results:
        return
    clean = sum(1 for count in _results.values() if count == 0)
    line = f"round trip: {clean}/{len(_results)} documents re-emit their spec exactly"
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is None or capture is None:  # pragma: no cover - without pytest's own plugins
        print(line)
        return
    with capture.global_and_fixture_disabled():  # shown at the end of the run, not captured
        reporter.write_line("")
        reporter.write_line(line)


def _round_trip(spec: Path, root: Path, document: str) -> list[Difference]:
    package = "rt_" + hashlib.sha256(document.encode()).hexdigest()[:10]
    result = generate(spec, root / package)
    assert result.api is not None
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    app: Any = importlib.import_module(f"{package}.app").app
    return diff_specs(load_spec(spec).document, app.openapi())


def _check(document: str, differences: list[Difference]) -> None:
    _results[document] = len(differences)
    allowed = _allowed(document)
    used: set[int] = set()
    unexpected = []
    for difference in differences:
        matches = [
            i for i, (pattern, _) in enumerate(allowed) if pattern.fullmatch(difference.pointer)
        ]
        used.update(matches)
        if not matches:
            unexpected.append(str(difference))
    stale = [allowed[i][0].pattern for i in range(len(allowed)) if i not in used]
    assert not unexpected, f"{len(unexpected)} differences not allowed:\n" + "\n".join(unexpected)
    assert not stale, "allow-list entries that match nothing (remove them):\n" + "\n".join(stale)


@pytest.mark.parametrize("document", DOCUMENTS, ids=spec_id)
def test_public_document_round_trips(
    document: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    spec = public_spec(document)
    differences = _round_trip(spec, tmp_path_factory.mktemp("round_trip"), document)
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


def test_allow_list_names_only_tried_documents() -> None:
    assert set(ALLOWED) <= {*DOCUMENTS, *LOCAL}


def test_every_allowance_says_whether_it_is_a_spec_defect_or_a_limit() -> None:
    reasons = [reason for entries in ALLOWED.values() for _, reason in entries]
    assert all(reason.startswith(("spec defect: ", "limit: ")) for reason in reasons)
