"""The intermediate representation: typed, named and decided; the templates only lay it out.

Every `name`/`python_name`/`module` is a valid, non-keyword Python identifier, unique in its
scope (see naming.py); every other string (descriptions, wire names, examples) is raw spec
text, which the renderer must escape. Models are referred to by their Python name
(`ModelRef.name`), so recursion needs no special casing.
"""

from __future__ import annotations

from typing import Any, Literal

from msgspec import UNSET, UnsetType

from .errors import SpecWarning
from .ir_types import (
    AnyType,
    Constraints,
    ListType,
    LiteralType,
    MapType,
    ModelRef,
    NoneType,
    PrimitiveKind,
    PrimitiveType,
    Scalar,
    SchemaDocs,
    TupleType,
    TypeKind,
    TypeRef,
    UnionType,
    docs_over,
    documented,
    is_nullable,
    undocumented,
    union_of,
    without_none,
)
from .ir_types import (
    Node as _Node,
)

__all__ = [
    "AnyType",
    "Api",
    "Body",
    "Constraints",
    "Discriminator",
    "EnumMember",
    "ExternalDocs",
    "Field",
    "HeaderSpec",
    "ListType",
    "LiteralType",
    "MapType",
    "MediaTypeSpec",
    "Model",
    "ModelRef",
    "NoneType",
    "OAuthFlow",
    "Operation",
    "Pagination",
    "Parameter",
    "PrimitiveKind",
    "PrimitiveType",
    "ResponseSpec",
    "Scalar",
    "SchemaDocs",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "Tag",
    "TupleType",
    "TypeKind",
    "TypeRef",
    "UnionType",
    "WrappedAllOf",
    "docs_over",
    "documented",
    "is_nullable",
    "undocumented",
    "union_of",
    "without_none",
]

# Types (TypeRef: one class per kind, each deciding its annotation, Meta, report text and
# schema) live in ir_types.py and are re-exported here.


# -- models -------------------------------------------------------------------------------------


class ExternalDocs(_Node, frozen=True):
    """A link to more documentation."""

    url: str
    description: str | None = None


class WrappedAllOf(_Node, frozen=True):
    """A property the spec wrote as `allOf` around its type: the annotation-only members
    written before and after the typed one (re-emitted with `in_all_of`)."""

    before: tuple[dict[str, Any], ...] = ()
    after: tuple[dict[str, Any], ...] = ()


class Field(_Node, frozen=True):
    """One property of a struct model. `type` includes None when the property is nullable."""

    name: str
    wire_name: str
    type: TypeRef
    required: bool
    nullable: bool = False
    default: Any | UnsetType = UNSET  # raw JSON value; UNSET: no default in the spec
    description: str | None = None
    examples: tuple[Any, ...] = ()
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    title: str | None = None
    extra: dict[str, Any] = {}  # xml, externalDocs, $comment, x- extensions (documentation)
    pointer: str = ""
    # told the reader, not served: a description beside a `$ref` that 2.0/3.0 ignore
    comment: str | None = None
    all_of: WrappedAllOf | None = None  # written as the allOf around its type

    @property
    def constraints(self) -> Constraints | None:
        """The constraints of the (non-None part of the) field's type."""
        return _constraints(self.type)

    @property
    def has_default(self) -> bool:
        return self.default is not UNSET

    @property
    def docs(self) -> SchemaDocs:
        """The field's documentation keywords, as its schema's."""
        return SchemaDocs(
            title=self.title,
            description=self.description,
            examples=self.examples,
            deprecated=self.deprecated,
            read_only=self.read_only,
            write_only=self.write_only,
            extra=self.extra,
        )


class EnumMember(_Node, frozen=True):
    """One enum value and the Python member name given to it."""

    name: str
    value: str | int


class Discriminator(_Node, frozen=True):
    """A discriminated union: property name and tag value -> member model name."""

    property_name: str
    mapping: dict[str, str] = {}


ModelKind = Literal["struct", "enum", "union", "alias"]


class Model(_Node, frozen=True):
    """A named type of the generated models module.

    struct: `fields` (+ `bases`: Python names of models it extends, allOf with one object
    `$ref`; `all_of`: the struct models its schema is the allOf of, as the spec wrote it);
    `tag_field`/`tag` when it is a member of a discriminated union; `untyped` when no part of
    the spec's schema says `type` (by JSON Schema its properties, required... apply to objects
    only and any other value is valid too: the schema is emitted without `type`, while the
    class decodes objects only).
    enum: `enum_type` and `enum_members` (str, int or float values: a NumberEnum when one is no
    int; others become aliases of a LiteralType).
    union: `union_members`, `discriminator`, `exclusive` (oneOf vs anyOf); `as_written` when
    msgspec cannot decode or document its members as written (an UntaggedUnion: union_shapes);
    `shared` when the members extend a struct of the properties beside them (shared_union.py).
    alias: `target`.
    """

    name: str
    kind: ModelKind
    pointer: str
    wire_name: str | None = None  # the key under components/schemas, when it has one
    nullable: bool = False  # the spec's schema admits null too (every use of it adds None)
    title: str | None = None
    description: str | None = None
    deprecated: bool = False
    examples: tuple[Any, ...] = ()
    external_docs: ExternalDocs | None = None
    extra: dict[str, Any] = {}  # xml, readOnly, writeOnly, $comment, x- extensions
    fields: tuple[Field, ...] = ()
    bases: tuple[str, ...] = ()
    all_of: tuple[str, ...] = ()  # `@all_of(...)`: written as allOf of these and its own part
    all_of_closed: bool = False  # a part (or base) of `all_of` forbids unknown fields
    forbid_unknown_fields: bool = False
    untyped: bool = False  # struct: the spec gives no `type` (its keywords check objects only)
    extra_fields: TypeRef | None = None  # typed additionalProperties beside properties
    property_bounds: tuple[int | None, int | None] | None = None  # min/maxProperties
    tag_field: str | None = None
    tag: str | None = None
    open_tag: bool = False  # the spec's tag property takes any value (no one-value enum)
    tag_docs: dict[str, Any] = {}  # what the spec says of the tag property beside its value
    optional_tag: bool = False  # the spec does not list the tag property in `required`
    undeclared_tag: bool = False  # the spec does not declare the tag property at all
    enum_type: Literal["str", "int", "float"] | None = None  # float: a NumberEnum
    enum_members: tuple[EnumMember, ...] = ()
    union_members: tuple[TypeRef, ...] = ()
    discriminator: Discriminator | None = None
    exclusive: bool = False
    closed: bool = False  # additionalProperties: false beside the union (no key is allowed)
    as_written: bool = False  # union: its members as written, decoded one by one (union_shapes)
    objects: bool = False  # union: `type: object` beside its members (values are objects)
    shared: str | None = None  # union: the struct model of the properties its members extend
    shared_all_of: int | None = None  # union: the shared part's place in an allOf; None: beside
    target: TypeRef | None = None
    wrapped: WrappedAllOf | None = None  # alias: written as the allOf around its target


# -- operations ---------------------------------------------------------------------------------

Location = Literal["path", "query", "header", "cookie"]
ContentKind = Literal["json", "form", "multipart", "binary", "text", "stream", "sse"]
ResponseKind = Literal["json", "binary", "text", "stream", "sse", "redirect", "empty"]


class Parameter(_Node, frozen=True):
    """A path/query/header/cookie parameter of an operation."""

    name: str  # wire name
    python_name: str
    location: Location
    type: TypeRef
    required: bool = False
    default: Any | UnsetType = UNSET
    description: str | None = None
    deprecated: bool = False
    style: str | None = None  # None: the default for the location
    explode: bool | None = None
    allow_empty_value: bool = False
    allow_reserved: bool = False
    media_type: str | None = None  # for parameters described by `content` instead of `schema`
    example: Any | UnsetType = UNSET  # `example`, as written (documentation)
    examples: dict[str, Any] = {}  # `examples`: name -> Example object, as written
    extensions: dict[str, Any] = {}
    pointer: str = ""

    @property
    def constraints(self) -> Constraints | None:
        return _constraints(self.type)


class MediaTypeSpec(_Node, frozen=True):
    """One entry of a body's or response's content.

    `type` is what the handler reads or sends (text and binary content are str/bytes);
    `documented` is the type of the schema as written (None: the spec writes no schema);
    `examples` None: not written ({} is `examples: {}` as written); `encoding`: the Encoding
    objects by property name, as written (documentation).
    """

    media_type: str
    type: TypeRef
    kind: ContentKind
    example: Any | UnsetType = UNSET
    examples: dict[str, Any] | None = None
    documented: TypeRef | None = None
    encoding: dict[str, Any] | None = None
    extensions: dict[str, Any] = {}  # the Media Type object's `x-` keys, as written


class Body(_Node, frozen=True):
    """A request body; `type`/`media_type`/`kind` describe the primary media type."""

    python_name: str  # the handler argument (`data`)
    media_type: str
    type: TypeRef
    kind: ContentKind
    content: tuple[MediaTypeSpec, ...]
    required: bool = False
    description: str | None = None
    extensions: dict[str, Any] = {}  # the Request Body object's `x-` keys, as written


class HeaderSpec(_Node, frozen=True):
    """A response header."""

    name: str
    python_name: str
    type: TypeRef
    description: str | None = None
    required: bool = False
    deprecated: bool = False
    is_cache_control: bool = False
    is_etag: bool = False
    example: Any | UnsetType = UNSET
    examples: dict[str, Any] = {}
    extensions: dict[str, Any] = {}  # the header object's `x-` keys, as written
    media_type: str | None = None  # described by `content` (that media type) instead of `schema`


class ResponseSpec(_Node, frozen=True):
    """One response: `status` as written ("200", "2XX", "default"), `status_code` if exact."""

    status: str
    kind: ResponseKind
    status_code: int | None = None
    description: str = ""
    media_type: str | None = None
    type: TypeRef | None = None
    content: tuple[MediaTypeSpec, ...] = ()
    headers: tuple[HeaderSpec, ...] = ()
    links: dict[str, Any] = {}  # Link objects by name, `$ref`s resolved (documentation)
    empty_content: bool = False  # `content: {}` is written (a map of no media types)
    extensions: dict[str, Any] = {}  # `x-` keys of the Response object (documentation)
    empty_headers: bool = False  # the spec writes `headers: {}`


PaginationKind = Literal["classic", "offset", "cursor"]


class Pagination(_Node, frozen=True):
    """How an operation pages; parameters by Python name, response fields by wire path."""

    kind: PaginationKind
    source: Literal["parameters", "x-pagination"]
    items_field: str
    item_type: TypeRef
    page_param: str | None = None
    page_size_param: str | None = None
    offset_param: str | None = None
    limit_param: str | None = None
    cursor_param: str | None = None
    total_field: tuple[str, ...] = ()
    next_cursor_field: tuple[str, ...] = ()


class SecurityRequirement(_Node, frozen=True):
    """One scheme (by spec name) and the scopes it needs."""

    scheme: str
    scopes: tuple[str, ...] = ()


class OAuthFlow(_Node, frozen=True):
    """One OAuth2 flow."""

    kind: str  # implicit, password, clientCredentials, authorizationCode
    scopes: dict[str, str] = {}
    authorization_url: str | None = None
    token_url: str | None = None
    refresh_url: str | None = None


ApiKeyLocation = Literal["header", "query", "cookie"]
SecurityKind = Literal[
    "api_key", "http_basic", "http_bearer", "http", "oauth2", "open_id_connect", "mutual_tls"
]


class SecurityScheme(_Node, frozen=True):
    """A security scheme of components/securitySchemes."""

    name: str
    python_name: str
    kind: SecurityKind
    description: str | None = None
    location: ApiKeyLocation | None = None  # api_key
    parameter_name: str | None = None  # api_key: the header/query/cookie name
    scheme: str | None = None  # http: the scheme as written
    bearer_format: str | None = None
    flows: tuple[OAuthFlow, ...] = ()
    open_id_connect_url: str | None = None
    extensions: dict[str, Any] = {}  # its `x-` keys, as written


OperationKind = Literal["operation", "webhook", "callback"]


class Operation(_Node, frozen=True):
    """An operation; `security` is effective (alternatives of all-required schemes)."""

    python_name: str
    method: str  # lower case, as in the spec: get, post...
    path: str  # as in the spec (webhooks: the webhook name; callbacks: the expression)
    route_path: str  # path with `{python_name}` placeholders
    kind: OperationKind = "operation"
    operation_id: str | None = None
    tag: str = "default"
    tags: tuple[str, ...] = ()
    summary: str | None = None
    description: str | None = None
    deprecated: bool = False
    parameters: tuple[Parameter, ...] = ()
    body: Body | None = None
    responses: tuple[ResponseSpec, ...] = ()
    responses_extensions: dict[str, Any] = {}  # the `x-` keys of its Responses object
    status_code: int = 200  # of the primary success response
    return_type: TypeRef = NoneType()
    security: tuple[tuple[SecurityRequirement, ...], ...] = ()
    security_inherited: bool = True
    pagination: Pagination | None = None
    extensions: dict[str, Any] = {}
    external_docs: ExternalDocs | None = None
    servers: tuple[Server, ...] = ()  # its own, or its path item's
    callbacks: tuple[Operation, ...] = ()
    callback_name: str | None = None
    routable: bool = True
    # not routed: the operation (its handler's name) that the spec gives this method and path
    shadowed_by: str | None = None
    pointer: str = ""


class ServerVariable(_Node, frozen=True):
    """A variable of a server URL template."""

    name: str
    default: str
    enum: tuple[str, ...] = ()
    description: str | None = None


class Server(_Node, frozen=True):
    """A server the API is served from."""

    url: str
    description: str | None = None
    variables: tuple[ServerVariable, ...] | None = None  # None: the spec writes no `variables`


class Tag(_Node, frozen=True):
    """A tag: its handlers module is `handlers/<module>.py`."""

    name: str
    module: str
    description: str | None = None
    external_docs: ExternalDocs | None = None
    declared: bool = True  # False: only operations name it (not in the spec's root `tags`)
    extensions: dict[str, Any] = {}


class Api(_Node, frozen=True):
    """The whole API, ready to render."""

    title: str
    version: str
    openapi: str  # the version the spec was written in: 2.0, 3.0.x, 3.1.x
    description: str | None = None
    summary: str | None = None
    info: dict[str, Any] = {}  # contact, license, termsOfService... as written (documentation)
    servers: tuple[Server, ...] = ()
    base_path: str = ""  # where the routes are mounted: the servers' URL path (`/api/v3`)
    tags: tuple[Tag, ...] = ()
    security_schemes: tuple[SecurityScheme, ...] = ()
    security: tuple[tuple[SecurityRequirement, ...], ...] = ()
    operations: tuple[Operation, ...] = ()
    webhooks: tuple[Operation, ...] = ()
    models: tuple[Model, ...] = ()
    external_docs: ExternalDocs | None = None
    extensions: dict[str, Any] = {}
    path_docs: dict[str, dict[str, Any]] = {}  # path -> summary/description/x- of its item
    root_tags: bool = False  # the spec writes a root `tags` list (an empty one too)
    root_security: bool = False  # the spec writes a root `security` list (an empty one too)
    # what `components` holds besides what the models and schemes declare: the sections written
    # empty (`schemas: {}`) and its `x-` keys, or {} for `components: {}`; None: nothing
    component_extras: dict[str, Any] | None = None
    warnings: tuple[SpecWarning, ...] = ()
    # where parts of the normalised document the IR was built from stand in the document as
    # written (new prefix -> old: 2.0's `/components/schemas` -> `/definitions`), for the
    # warnings found when rendering (`SourceMap.relocated`)
    moves: dict[str, str] = {}
    json_schema_dialect: str | None = None  # 3.1's default `$schema` of the schemas, as written

    def model(self, name: str) -> Model:
        """The model called `name` (the first of that name, from an index made once per
        `models` tuple: a scan per look-up made planning quadratic in the number of models)."""
        models, index = _MODEL_INDEX.get(id(self.models), ((), {}))
        if models is not self.models:
            index = {}
            for model in self.models:
                index.setdefault(model.name, model)
            _MODEL_INDEX.clear()  # one Api at a time; the tuple held keeps its id unique
            _MODEL_INDEX[id(self.models)] = (self.models, index)
        return index[name]


_MODEL_INDEX: dict[int, tuple[tuple[Model, ...], dict[str, Model]]] = {}


def _constraints(type_: TypeRef) -> Constraints | None:
    constraints = getattr(without_none(type_), "constraints", None)  # kinds that have them
    return constraints if isinstance(constraints, Constraints) else None
