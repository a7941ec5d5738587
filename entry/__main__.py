"""`python -m specloom`: the `specloom` command line."""

from specloom.generator.cli import script

script()
