"""Where the shared public OpenAPI documents are, and which files are documents (not parts)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SKIP_REASON = (
    "the public spec corpus is not here: set SPECLOOM_PUBLIC_SPECS to its folder "
    "(../shared/specs/public in the workspace)"
)

# root documents of the corpus (MANIFEST.md lists 14); the other files are parts of them
DOCUMENTS = (
    "OAI__learn.openapis.org/examples/v3.0/petstore.yaml",
    "OAI__learn.openapis.org/examples/v3.0/petstore-expanded.yaml",
    "OAI__learn.openapis.org/examples/v3.0/uspto.json",
    "OAI__learn.openapis.org/examples/v3.0/link-example.yaml",
    "OAI__learn.openapis.org/examples/v3.0/callback-example.yaml",
    "OAI__learn.openapis.org/examples/v3.1/webhook-example.yaml",
    "OAI__learn.openapis.org/examples/v3.1/tictactoe.yaml",
    "OAI__learn.openapis.org/examples/v2.0/json/petstore-expanded.json",
    "OAI__learn.openapis.org/examples/v2.0/yaml/petstore-separate/spec/swagger.yaml",
    "swagger-api__swagger-petstore/src/main/resources/openapi.yaml",
    "Redocly__museum-openapi-example/openapi.yaml",
    "netlify__open-api/swagger.yml",
    "twilio__twilio-oai/spec/json/twilio_messaging_v1.json",
    "APIs-guru__openapi-directory/APIs/atlassian.com/jira/1001.0.0-SNAPSHOT/openapi.yaml",
)


def public_specs_dir() -> Path | None:
    """The corpus folder, from SPECLOOM_PUBLIC_SPECS or beside the repository."""
    configured = os.environ.get("SPECLOOM_PUBLIC_SPECS")
    candidates = [Path(configured)] if configured else []
    candidates.append(REPO.parent / "shared" / "specs" / "public")
    for candidate in candidates:
        if (candidate / "MANIFEST.md").is_file():
            return candidate
    return None


def public_spec(relative: str) -> Path:
    """The path of one corpus document; skips the calling test when the corpus is absent."""
    folder = public_specs_dir()
    if folder is None:
        pytest.skip(SKIP_REASON)
    return folder / relative


def public_root(relative: str) -> Path:
    """The folder a corpus document's `$ref`s may read under (`spec_root`): the top-level
    folder of its source, one rule for every document (as benchmarks/corpus.py has it)."""
    return public_spec(relative.split("/", 1)[0])


def spec_id(relative: str) -> str:
    """A short readable test id for a corpus document."""
    owner = relative.split("__", 1)[0]
    return f"{owner}:{Path(relative).name}"
