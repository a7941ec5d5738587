"""The extension keys specloom writes into the documents it reads and serves.

The runtime writes them where it documents its handlers; the generator's normaliser and
`specloom diff` read them. Both halves import them from here, so each is spelled once and the
generator loads no runtime module to know them.
"""

from __future__ import annotations

__all__ = ["NULL_BY_EXTENSION", "RUNTIME_MARK"]

# null said by an extension alone (Swagger 2.0's `x-nullable: true`, the marker's value): the
# schema's null (`T | None`) is written as that extension, not again in `type`
NULL_BY_EXTENSION = "x-specloom-null"
# what the runtime answers on its own (its error responses where the spec documents none)
RUNTIME_MARK = "x-specloom-runtime"
