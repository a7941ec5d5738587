"""specloom: an OpenAPI-first server toolkit.

`specloom.runtime` is the ASGI framework generated servers run on; `specloom.generator` writes
them (`python -m specloom` or the `specloom` command).
"""

# The version, written once: the package's metadata takes it from here (pyproject.toml,
# [tool.setuptools.dynamic]), and the generator reads it here for the lock and the key of an
# unchanged rerun (importlib.metadata, with the email parser it imports, cost ~0.02 s of every
# run, a tenth of a small document's generation).
__version__ = "0.1.0"
