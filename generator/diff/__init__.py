"""Semantic comparison of two OpenAPI documents, as a list of differences at JSON pointers.

The judge compares what the specifications give meaning to. Every normalisation it makes is
listed here, each with the rule that makes the two spellings mean the same; anything else
that differs is reported (descriptions, examples, defaults and `x-` extensions included,
compared as written). Each rule below names, in brackets, the module that applies it.

The work is split by job: `_references` reads and inlines `$ref`s, `_documents` and
`_schemas` make a document and its schemas canonical (`_sharing` computes each step once per
shared subtree), `_compare` walks the two canonical documents, and `_difference` holds a
difference, whether it breaks clients, its class and how it is shown.

Before comparing, each document is read as its own version says:
- OpenAPI 2.0 and 3.0: the keys beside a `$ref` are ignored (3.0.3 Reference Object: "any
  properties added SHALL be ignored"; 2.0 JSON Reference likewise). [`_references`]
- 2.0 and 3.0 are upgraded to the 3.1 form by `normalize_spec` (the upgrade rules of 3.1 and
  its release notes): definitions and the other reusable objects move to `components`; body
  and form parameters become a `requestBody` per `consumes`; responses get content per
  `produces`; host/basePath/schemes become `servers`; `collectionFormat` becomes
  style/explode; `type: file` is a binary string; `nullable: true` is `null` in `type`; boolean
  `exclusiveMinimum`/`exclusiveMaximum` become numbers; a schema's `example` is `examples:
  [example]` (kept as written beside an existing `examples`). Extensions (`x-nullable`,
  `x-example`) are kept as written. A 2.0 definition name that 3.x refuses as a component key
  (Components Object: keys "MUST" match `^[a-zA-Z0-9\\.\\-_]+$`) must be renamed by the
  upgrade: each refused character is `_`, a taken key gets `_2`, `_3`... in document order,
  valid names first (`naming.component_keys`, the generator's rule too); the corpus counts
  these renames apart from lost or added names. [`..normalize`]
- A local `$ref` is its target where it is used (3.1 Reference Object, JSON Schema `$ref`). In
  3.1 a Schema Object's siblings apply beside the target, so `{$ref: X, k: v}` is
  `{allOf: [X], k: v}`; a Reference Object's `summary`/`description` override the target's.
  Inside a cycle of references, where the cycle is entered, its members stay as the names
  they point to (each target is resolved once and shared); keywords beside such a name make
  it `{allOf: [name], k: v}`, as beside an inlined target. A `$ref` inside an `x-` extension
  or a value (example, default, enum) is data, compared as written (Specification
  Extensions: "the value can be any JSON"); in a map of names (properties, headers,
  content...) every key is a name, `$ref` and `x-` ones included. [`_references`]

Then, in the 3.1 form:
- Component schemas are compared by name, used or not (clients name classes after them).
  The other reusable components (parameters, responses, bodies, headers, examples, links,
  callbacks, path items) are compared where they are used: "objects defined within the components
  object will have no effect on the API unless they are explicitly referenced" (Components).
  [`_documents`]
- Root `security` is each operation's that sets none, path-level `servers` each operation's
  (Operation Object: they override the higher level). [`_documents`]
- Order without meaning is erased: mapping keys; the `required`, `type` and `enum` arrays
  (JSON Schema: sets of names, types and values, so a repeated value is one); parameters,
  keyed `in:name` (unique by name and location). Header names and media types compare
  case-insensitively (RFC 9110 5.1, 8.3.1); status code ranges as `2XX`. [schema arrays:
  `_schemas`; mapping keys: `_compare`; the rest: `_documents`]
- Values equal to a fixed field's default are dropped: a parameter's `required`,
  `deprecated`, `allowEmptyValue`, `allowReserved` false and the location's default
  style/explode; a body's `required: false`; a schema's `readOnly`, `writeOnly`,
  `deprecated`, `uniqueItems` false and `additionalProperties: true` (JSON Schema: an absent
  keyword is `true`). Header parameters named Accept, Content-Type or Authorization are
  dropped ("the parameter definition SHALL be ignored", Parameter Object), and so is a
  response header named Content-Type ("If a response header is defined with the name
  `Content-Type`, it SHALL be ignored", Response Object `headers`; a response's `headers`
  holding only that one is no `headers`). [a schema's: `_schemas`; the rest: `_documents`]
- JSON Schema equivalences: `const: x` is `enum: [x]` (validation 6.1.3), whose values imply
  their `type`; a `type` that names all six JSON types excludes nothing, so it is no
  `type`; an empty `items`, `additionalProperties`, `properties` or content schema is the
  empty schema, which allows everything; `format: byte` is `contentEncoding: base64`;
  `allOf: [S]` is S with its siblings when no keyword clashes (also where S is the one member
  left once empty members go: `{}` admits every instance, JSON Schema core 4.3.2; not where a
  discriminator beside it would come to pick among S's oneOf/anyOf); an `anyOf` member
  written twice is one (core 10.2.1.2: valid against at least one), and `anyOf: [S]` and
  `oneOf: [S]` are `allOf: [S]` (all hold the instances S holds; not beside a discriminator,
  which picks among their members); `items` beside a oneOf/anyOf whose members all declare
  their type is each array member's (an instance valid against it and one member is valid
  against that member with it, core 10.2.1.2-3; `items` applies to arrays only, validation
  10.3.1.2); and `allOf` of plain object
  members (type, properties, required; no annotation of their own, no clashing property) is
  their merge, of `type: object` only when a member says so (validation 6.5, 10.3.2: these
  keywords check objects only, so untyped members each admit every non-object); an `allOf`
  that does not merge is written one way (an instance is valid when it is valid against every
  member, JSON Schema core 10.2.1.1, so where and in what order a member is written says
  nothing): the validation keywords beside it are one more member, a member that is itself an
  `allOf` (with annotations and `type` only) is its members (allOf is a conjunction; the inner
  annotations apply to the same instance, core 7.7.1, so they go beside the outer allOf unless
  one of its keywords says another value), the members' `type` is said once beside it, its
  plain object members (properties and required only) are one member, and its members are
  sorted; so are the members of `anyOf` and `oneOf` (an instance is valid
  when it is valid against at least one, exactly one, of them: core 10.2.1.2-3, where the
  order says nothing); `anyOf`/`oneOf` of a simple schema and `{type: null}` is that schema
  with `null` in its type; an `anyOf`/`oneOf` of one branch per JSON type, each with keywords
  of its type only, is one schema holding those keywords; a `oneOf` whose members declare
  pairwise disjoint types (an integer is a number) is an `anyOf` (no instance can match two
  members, so "exactly one" is "at least one"); a keyword for a kind of instance that `type`
  excludes never applies (validation 6: `minLength` on an array); a required name that no
  property defines has the schema of extra keys (`false` when there may be none); `type:
  object` beside a oneOf/anyOf whose every member is an object is implied, and a `required`
  there (with no properties of its own) is each member's; a property declared twice in an
  `allOf` by keywords that agree is one schema with all of them (the type their types share),
  while two different annotations keep the `allOf`; a base's discriminator, merged into a
  subtype, picks no member of it; beside `prefixItems` and `items: false`, a `maxItems` of at
  least the prefix's length says nothing more (validation 10.3.1.2: no item past the prefix is
  allowed). These apply to every schema wherever it is written (components, a parameter's
  `schema` or `content`, bodies, responses, headers). [`_schemas`, `_documents`]
- A discriminator mapping value that is a schema name is the reference to it, and a member no
  mapping names is tagged with its component name (Discriminator Object: the implicit
  mapping); mappings compare by the member each value picks [`_schemas`]. An optional
  parameter's `null` (in its type, enum or default) is the parameter left out: no style
  serialises a null (RFC 6570 treats it as undefined); `paths: {}` is no `paths` (optional in
  3.1); the `openapi` version is not compared. [`_documents`]
- What the runtime answers on its own is not the spec's: a served document marks each
  Response object it adds for a status the operation does not document, and its error schema
  component, `x-specloom-runtime: true` (runtime/openapi/runtime_answers.py); marked responses
  and component schemas are left out on both sides, and a `schemas` map left empty, like
  `components: {}` and an empty `schemas: {}`, defines nothing (Components Object: it holds
  the reusable objects defined in it). A status the input documents is never
  marked (the runtime adds only where the operation documents neither the status, nor its
  range, nor `default`), so no written response is hidden. [`_documents`]
- The members of an `allOf` (lists of schemas under that key) are compared each with its best
  match on the other side (equal first, then most keywords alike): an instance is valid when it
  is valid against every member, whatever their order (JSON Schema core 10.2.1.1), so one
  differing member is one difference at that member, not a shift of every member after it
  in the sorted order; a member with no match is added or removed. [`_compare`]
"""

from ._compare import diff_documents, diff_specs
from ._difference import Difference, difference_class, differences_json, escape_pointer
from ._documents import canonical_for_diff

__all__ = [
    "Difference",
    "canonical_for_diff",
    "diff_documents",
    "diff_specs",
    "difference_class",
    "differences_json",
    "escape_pointer",
]
