"""Base64 text outside JSON: a str, the text as sent, documented as written."""

from __future__ import annotations

from collections.abc import Callable

from specloom.generator.ir import Api, Constraints, PrimitiveType

SPEC_31 = """
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /blobs:
    put:
      operationId: put
      requestBody:
        content:
          application/xml:
            schema: {type: string, contentEncoding: base64}
          application/octet-stream:
            schema: {type: string, contentMediaType: image/png}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: string, contentEncoding: base64}
"""


def test_base64_bodies_outside_json_are_text(build: Callable[..., Api]) -> None:
    api = build(SPEC_31)
    op = api.operations[0]
    assert op.body is not None
    by_media = {c.media_type: c for c in op.body.content}
    text = PrimitiveType("str", constraints=Constraints(unchecked={"contentEncoding": "base64"}))
    assert by_media["application/xml"].type == text
    assert by_media["application/xml"].kind == "text"
    # octets of an image are no text: they stay bytes, their media type documented
    image = Constraints(unchecked={"contentMediaType": "image/png"})
    assert by_media["application/octet-stream"].type == PrimitiveType("bytes", constraints=image)
    # a JSON body alone keeps bytes: msgspec reads and writes the base64 text
    assert op.responses[0].content[0].type == PrimitiveType("bytes")
    assert [w.pointer for w in api.warnings if "base64 text" in w.message] == [
        "/paths/~1blobs/put/requestBody/content/application~1xml"
    ]
