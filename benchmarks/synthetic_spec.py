"""Write a synthetic OpenAPI document of N operations, the same bytes for the same arguments.

    python3 benchmarks/synthetic_spec.py --operations 1200 --out /tmp/s1200.json
    python3 benchmarks/synthetic_spec.py --operations 500 --out /tmp/s500.yaml --format yaml \
        --openapi 3.1 --seed 7

The document has the shapes that make large real documents expensive to generate, in
proportion to N: about one component schema per operation (plain objects with many typed
properties, deep allOf chains over earlier schemas, discriminated oneOf unions of several
variants, wide anyOf/oneOf unions without a discriminator), many shared parameters
(`components.parameters`, each operation `$ref`s several), inline schemas in parameters,
request bodies and responses, and several responses per operation (2xx, 4xx by `$ref`, a
default). With descriptions and examples the JSON form weighs about 11 KB per operation
(1,200 operations: about 13 MB), like the largest documents seen in the wild.

Standard library only (the YAML writer is a small block-style emitter of its own), so the
script runs under any Python 3.11 without the project installed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

WORDS = [
    "account",
    "balance",
    "card",
    "charge",
    "client",
    "contract",
    "customer",
    "delivery",
    "device",
    "document",
    "event",
    "export",
    "file",
    "group",
    "invoice",
    "item",
    "ledger",
    "member",
    "message",
    "note",
    "order",
    "owner",
    "payment",
    "period",
    "policy",
    "price",
    "product",
    "profile",
    "project",
    "quota",
    "record",
    "region",
    "report",
    "request",
    "resource",
    "role",
    "schedule",
    "session",
    "setting",
    "shipment",
    "signature",
    "status",
    "subscription",
    "tag",
    "task",
    "team",
    "template",
    "tenant",
    "token",
    "transfer",
    "user",
    "vendor",
    "version",
    "webhook",
    "workflow",
    "zone",
]
CHAIN_DEPTH = 8  # allOf chains restart after this many links
SHARED_PER_OPERATION = 4  # $ref'd components.parameters per operation
Schema = dict[str, Any]


class Synth:
    """Builds the document; every choice comes from one seeded random generator."""

    def __init__(self, operations: int, seed: int, openapi: str) -> None:
        self.n = operations
        self.rng = random.Random(seed)
        self.v31 = openapi == "3.1"
        self.openapi = "3.1.0" if self.v31 else "3.0.3"
        self.schemas: dict[str, Schema] = {}
        self.objects: list[str] = []  # component names of object schemas (union members)
        self.chain: list[str] = []  # the current allOf chain, oldest first
        self.parameters: dict[str, Schema] = {}

    # text -----------------------------------------------------------------------------
    def words(self, lo: int, hi: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(lo, hi)))

    def sentence(self, lo: int = 8, hi: int = 20) -> str:
        return self.words(lo, hi).capitalize() + "."

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def nullable(self, schema: Schema) -> Schema:
        if self.v31:
            schema["type"] = [schema["type"], "null"]
        else:
            schema["nullable"] = True
        return schema

    # schemas ----------------------------------------------------------------------------
    def scalar(self, name: str) -> Schema:
        kind = self.rng.randrange(9)
        desc = self.sentence(4, 12)
        if kind == 0:
            return {"type": "string", "description": desc, "maxLength": 255, "example": name}
        if kind == 1:
            return {"type": "integer", "format": "int64", "minimum": 0, "description": desc}
        if kind == 2:
            return {"type": "number", "format": "double", "description": desc, "example": 1.5}
        if kind == 3:
            return {"type": "boolean", "description": desc, "default": False}
        if kind == 4:
            return {"type": "string", "format": "date-time", "description": desc}
        if kind == 5:
            values = sorted({self.rng.choice(WORDS) for _ in range(self.rng.randint(2, 7))})
            return {"type": "string", "enum": values, "description": desc}
        if kind == 6:
            return self.nullable({"type": "string", "format": "uuid", "description": desc})
        if kind == 7:
            items = {"type": "string", "pattern": "^[a-z0-9-]+$"}
            return {"type": "array", "items": items, "maxItems": 50, "description": desc}
        return {
            "type": "object",
            "description": desc,
            "additionalProperties": {"type": "string"},
        }

    def inline_object(self, lo: int, hi: int, depth: int = 0) -> Schema:
        props: Schema = {}
        for _ in range(self.rng.randint(lo, hi)):
            name = f"{self.rng.choice(WORDS)}_{self.rng.choice(WORDS)}"
            if depth < 2 and self.rng.random() < 0.15:
                props[name] = self.inline_object(2, 5, depth + 1)
            elif self.objects and self.rng.random() < 0.2:
                props[name] = {"$ref": self.ref(self.rng.choice(self.objects))}
            elif self.objects and self.rng.random() < 0.1:
                items = {"$ref": self.ref(self.rng.choice(self.objects))}
                props[name] = {"type": "array", "items": items}
            else:
                props[name] = self.scalar(name)
        required = sorted(p for p in props if self.rng.random() < 0.3)
        out: Schema = {"type": "object", "description": self.sentence(), "properties": props}
        if required:
            out["required"] = required
        return out

    @staticmethod
    def ref(name: str) -> str:
        return f"#/components/schemas/{name}"

    def add_schema(self, index: int) -> None:
        kind = index % 10
        name = f"{self.rng.choice(WORDS).capitalize()}{self.rng.choice(WORDS).capitalize()}{index}"
        if kind in (0, 1, 2, 3) or len(self.objects) < 12:
            self.schemas[name] = self.inline_object(6, 16)
            self.objects.append(name)
        elif kind in (4, 5):  # one more link of an allOf chain
            if not self.chain or len(self.chain) >= CHAIN_DEPTH:
                self.chain = [self.rng.choice(self.objects)]
            link = self.inline_object(2, 6)
            link.pop("type")
            self.schemas[name] = {
                "description": self.paragraph(1),
                "allOf": [{"$ref": self.ref(self.chain[-1])}, {"type": "object", **link}],
            }
            self.chain.append(name)
            self.objects.append(name)
        elif kind == 6:  # a discriminated oneOf over variants made for it
            self.discriminated(name, index)
        elif kind == 7:  # a wide union without a discriminator
            members: list[Schema] = [
                {"$ref": self.ref(m)} for m in self.rng.sample(self.objects, 6)
            ]
            members += [{"type": "string", "maxLength": 40}, {"type": "integer"}]
            key = "anyOf" if index % 20 == 7 else "oneOf"
            self.schemas[name] = {"description": self.sentence(), key: members}
        elif kind == 8:  # a list wrapper
            self.schemas[name] = {
                "type": "array",
                "description": self.sentence(),
                "items": {"$ref": self.ref(self.rng.choice(self.objects))},
            }
        else:  # a string enum
            values = sorted({f"{w.upper()}_{index}" for w in self.rng.sample(WORDS, 8)})
            self.schemas[name] = {"type": "string", "enum": values, "description": self.sentence()}

    def discriminated(self, name: str, index: int) -> None:
        mapping: dict[str, str] = {}
        for v in range(self.rng.randint(3, 6)):
            variant = f"{name}Variant{v}"
            body = self.inline_object(3, 7)
            body["properties"]["kind"] = {"type": "string", "enum": [f"k{index}_{v}"]}
            body["required"] = sorted({*body.get("required", []), "kind"})
            self.schemas[variant] = body
            mapping[f"k{index}_{v}"] = self.ref(variant)
        self.schemas[name] = {
            "description": self.sentence(),
            "oneOf": [{"$ref": r} for r in mapping.values()],
            "discriminator": {"propertyName": "kind", "mapping": mapping},
        }

    # parameters and operations ------------------------------------------------------------
    def add_parameters(self) -> None:
        places = ("query", "query", "query", "header")
        for i in range(max(20, self.n // 8)):
            where = places[i % len(places)]
            name = f"{self.rng.choice(WORDS)}_{self.rng.choice(WORDS)}_{i}"
            if where == "header":
                name = "X-" + name.replace("_", "-").title()
            self.parameters[f"Shared{i}"] = {
                "name": name,
                "in": where,
                "required": i % 9 == 0,
                "description": self.sentence(),
                "schema": self.scalar(name),
            }

    def content(self, schema: Schema) -> Schema:
        return {"application/json": {"schema": schema}}

    def operation(self, method: str, op_id: str, tag: str, has_id: bool) -> Schema:
        shared = self.rng.sample(sorted(self.parameters), SHARED_PER_OPERATION)
        params: list[Schema] = [{"$ref": f"#/components/parameters/{p}"} for p in shared]
        params.append(
            {
                "name": f"filter_{self.rng.choice(WORDS)}",
                "in": "query",
                "description": self.sentence(),
                "schema": self.scalar("filter"),
            }
        )
        model = self.rng.choice(sorted(self.schemas))
        ok: Schema = self.inline_object(5, 12)
        ok["properties"]["data"] = {"type": "array", "items": {"$ref": self.ref(model)}}
        ok["properties"]["next_cursor"] = self.nullable({"type": "string"})
        op: Schema = {
            "operationId": op_id,
            "tags": [tag],
            "summary": self.words(3, 8).capitalize(),
            "description": self.paragraph(10),
            "parameters": params,
            "responses": {
                "200": {"description": self.sentence(), "content": self.content(ok)},
                "400": {"$ref": "#/components/responses/BadRequest"},
                "404": {"$ref": "#/components/responses/NotFound"},
                "default": {
                    "description": "Unexpected error.",
                    "content": self.content({"$ref": self.ref("Error")}),
                },
            },
        }
        if method in ("post", "put", "patch"):
            body = self.inline_object(4, 10)
            body.pop("type")
            request = {"allOf": [{"$ref": self.ref(model)}, {"type": "object", **body}]}
            if self.rng.random() < 0.5:
                request = {"$ref": self.ref(self.rng.choice(self.objects))}
            op["requestBody"] = {
                "required": True,
                "description": self.sentence(),
                "content": self.content(request),
            }
            op["responses"]["201"] = op["responses"].pop("200")
        if has_id and method == "delete":
            op["responses"]["204"] = {"description": "Deleted."}
            del op["responses"]["201" if "201" in op["responses"] else "200"]
        return op

    def document(self) -> Schema:
        self.schemas["Error"] = {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
        }
        self.add_parameters()
        index = 0
        while len(self.schemas) < self.n:
            self.add_schema(index)
            index += 1
        paths: dict[str, Schema] = {}
        methods = (("get", False), ("post", False), ("get", True), ("put", True), ("delete", True))
        count = 0
        resource = 0
        while count < self.n:
            tag = self.rng.choice(WORDS)
            base = f"/{tag}s{resource}"
            for method, has_id in methods[: self.n - count]:
                path = f"{base}/{{{tag}_id}}" if has_id else base
                item = paths.setdefault(path, {})
                if has_id and "parameters" not in item:
                    item["parameters"] = [
                        {
                            "name": f"{tag}_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "format": "uuid"},
                        }
                    ]
                op_id = f"{method}{tag.capitalize()}{'ById' if has_id else 's'}{resource}"
                item[method] = self.operation(method, op_id, tag, has_id)
                count += 1
            resource += 1
        error = {"$ref": self.ref("Error")}
        return {
            "openapi": self.openapi,
            "info": {
                "title": f"Synthetic API ({self.n} operations)",
                "version": "1.0.0",
                "description": self.paragraph(3),
            },
            "servers": [{"url": "https://api.example.com/v1"}],
            "paths": paths,
            "components": {
                "schemas": self.schemas,
                "parameters": self.parameters,
                "responses": {
                    "BadRequest": {"description": "Bad request.", "content": self.content(error)},
                    "NotFound": {"description": "Not found.", "content": self.content(error)},
                },
            },
        }


def synthetic_document(operations: int, seed: int = 0, openapi: str = "3.0") -> dict[str, Any]:
    """The document as a dict (the same for the same arguments)."""
    return Synth(operations, seed, openapi).document()


# YAML ---------------------------------------------------------------------------------------
def _scalar(value: Any) -> str:
    """A JSON scalar is a valid YAML flow scalar (strings double-quoted, numbers, true, null)."""
    if isinstance(value, dict):
        return "{}"  # only ever empty here
    if isinstance(value, list):
        return "[]"
    return json.dumps(value)


def _yaml(value: Any, indent: int, out: list[str]) -> None:
    pad = "  " * indent
    pairs = value.items() if isinstance(value, dict) else ((None, item) for item in value)
    for key, item in pairs:
        head = f"{pad}{json.dumps(str(key))}:" if key is not None else f"{pad}-"
        if isinstance(item, (dict, list)) and item:
            out.append(head)
            _yaml(item, indent + 1, out)
        else:
            out.append(f"{head} {_scalar(item)}")


def to_yaml(document: dict[str, Any]) -> str:
    out: list[str] = []
    _yaml(document, 0, out)
    return "\n".join(out) + "\n"


def render(document: dict[str, Any], fmt: str) -> str:
    if fmt == "yaml":
        return to_yaml(document)
    return json.dumps(document, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--operations", type=int, required=True, help="number of operations (>= 1)")
    p.add_argument("--out", type=Path, required=True, help="file to write")
    p.add_argument("--format", choices=("json", "yaml"), help="default: from --out's suffix")
    p.add_argument("--openapi", choices=("3.0", "3.1"), default="3.0")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    if args.operations < 1:
        p.error("--operations must be at least 1")
    fmt = args.format or ("yaml" if args.out.suffix in (".yaml", ".yml") else "json")
    text = render(synthetic_document(args.operations, args.seed, args.openapi), fmt)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode()):,} bytes, {args.operations} operations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
