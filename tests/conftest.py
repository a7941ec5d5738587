"""Test-wide settings: property tests are deterministic under CI (CI=true).

A property test that explores new random inputs on every CI run could fail on a machine no
developer can reproduce; CI replays the same derandomized examples instead, while local runs
keep exploring (failures print the seed to replay).
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
