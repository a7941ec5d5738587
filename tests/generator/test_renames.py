"""Rename detection: the same operation (method and path) in the same module under a new name."""

from __future__ import annotations

from collections.abc import Callable

from specloom.generator.ir import Api
from specloom.generator.renames import renames

SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses: {"200": {description: ok}}
    post:
      operationId: addPet
      tags: [pets]
      responses: {"201": {description: ok}}
  /stock:
    get:
      operationId: countStock
      tags: [store]
      responses: {"200": {description: ok}}
"""


def test_an_operation_renamed_in_its_module_keeps_its_handler(build: Callable[..., Api]) -> None:
    lock = {
        "operations": {
            "GET /pets": {"module": "pets", "function": "find_pets"},  # renamed
            "POST /pets": {"module": "pets", "function": "add_pet"},  # unchanged
            "GET /stock": {"module": "inventory", "function": "stock"},  # moved module: new
            "DELETE /pets": {"module": "pets", "function": "drop_pets"},  # gone
        }
    }
    assert renames(lock, build(SPEC)) == {"pets": {"find_pets": "list_pets"}}
    assert renames({}, build(SPEC)) == {}  # a first run
