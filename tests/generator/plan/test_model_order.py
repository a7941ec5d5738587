"""The order of the models module: each model after those it needs, the same on every run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

# a struct whose fields default to five inline enums: each enum must come before the struct
# (a default is evaluated when the class is defined), the five in one order on every run
_SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "Post": {
                "type": "object",
                "properties": {
                    name: {"type": "string", "enum": ["a", "b"], "default": "a"}
                    for name in ("zeta", "eta", "theta", "iota", "kappa")
                },
            }
        }
    },
}

_ORDER = textwrap.dedent("""
    import json, sys
    from specloom.generator.build_ir import build_ir
    from specloom.generator.plan.model_order import ordered
    api = build_ir(json.loads(sys.argv[1]))
    print(json.dumps([model.name for model in ordered(api, [])]))
    """)


def _order(seed: int) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run(
        [sys.executable, "-c", _ORDER, json.dumps(_SPEC)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    names: list[str] = json.loads(done.stdout)
    return names


def test_model_order_does_not_depend_on_string_hashing() -> None:
    orders = [_order(seed) for seed in (0, 1, 2, 3, 4)]
    assert all(order == orders[0] for order in orders), orders
    assert orders[0][-1] == "Post" and len(orders[0]) == 6
