"""The lock file: none on a first run, hand edits to generated files found, an unreadable one
reported with the way out."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from specloom.generator.generate import GenerateError, generate
from specloom.generator.lock import LOCK_NAME, LockError, edited_files, read_lock

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_package_without_a_lock_is_a_first_run(tmp_path: Path) -> None:
    assert read_lock(tmp_path) == {}


def test_an_unreadable_lock_says_how_to_start_over(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(LockError, match=r"unreadable lock file .*; delete it to start over"):
        read_lock(tmp_path)
    with pytest.raises(GenerateError, match=r"specloom\.lock: unreadable lock file"):
        generate(FIXTURES / "names.yaml", tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == [LOCK_NAME]  # nothing written


def test_edited_files_are_the_generated_ones_whose_hash_changed(tmp_path: Path) -> None:
    texts = {"_generated/a.py": "a = 1\n", "_generated/b.py": "b = 1\n", "_generated/c.py": ""}
    lock = {
        "generated": {path: hashlib.sha256(t.encode()).hexdigest() for path, t in texts.items()}
    }
    (tmp_path / "_generated").mkdir()
    (tmp_path / "_generated/a.py").write_text("a = 1\n", encoding="utf-8")
    (tmp_path / "_generated/b.py").write_text("b = 2\n", encoding="utf-8")  # c.py: deleted
    assert edited_files(lock, tmp_path) == ["_generated/b.py"]


def test_a_generated_package_matches_its_lock(tmp_path: Path) -> None:
    generate(FIXTURES / "names.yaml", tmp_path)
    lock = read_lock(tmp_path)
    assert lock == json.loads((tmp_path / LOCK_NAME).read_text(encoding="utf-8"))
    assert lock["generated"] and edited_files(lock, tmp_path) == []
