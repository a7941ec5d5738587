"""specloom: an OpenAPI-first server toolkit.

`specloom.runtime` is the ASGI framework generated servers run on; `specloom.generator` writes
them (`python -m specloom` or the `specloom` command).
"""
