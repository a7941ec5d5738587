"""The app's document kept on disk between runs of the same code, as Python keeps bytecode.

Building the document of a large app is seconds of work (the schemas of thousands of types); a
server restarted on code that has not changed would do it again for the same bytes. With
`OpenAPIConfig(document_cache=<folder>)` (what generated servers set: the package's
`.specloom-cache/`), the first build writes the JSON document there under a key, and a later
process whose key is the same reads it instead of building it. The key covers what the document
is derived from:

- the code: the bytes of every loaded module of the packages that define the app's handlers
  (route handlers, unrouted and webhook ones) and of the packages that build the document
  (specloom, msgspec, typing_extensions), by module name; and the Python version;
- what was decided at run time: the config's fields, each route's path, methods, handler and
  the documented part of its layered options (tags, response headers, security...), and the
  security schemes, so a config or route list computed from the environment is seen too.

What it cannot see is a value a handler's decorator computes from outside its code at import
(an environment variable in a description): such an app turns the cache off (`None`, the
default for apps not generated) or deletes the folder. Any other change of the code (a handler
edited, the spec regenerated, specloom upgraded) changes the key: the document is built again
and replaces the stored one. Writes are atomic (a temporary file renamed); a folder that cannot
be written, or a stored file that cannot be read, only means the document is built.

Most of a build is the component schemas (`SchemaRegistry.finalize`), and the common change
while developing, a handler's body written, cannot change them: they are stored apart
(`components-<key>.json`: the components and the schema of each place an operation asked for
one, in order), under `StoredKeys.components`, which is the document's key with the body of each
handler's own function left out of its source (the statements after its signature, docstring
included: the function's code, found by its name and first line in its file's syntax tree,
stubs.function_bodies). A body is not run while the app is imported or its document built;
what the document reads of it (the docstring, whether it is a stub) goes to the operations,
which are built again from the code on every build, never stored apart. Everything else stays
in: the signatures and decorators (what the operations ask schemas for), the rest of each
handler module (a type defined there, a model changed at import), every other module (models,
schema_docs decorators), the builders, the config, the routes and the schemes. Restored schemas
must also fit the questions asked (as many, asked the same way: `SchemaRegistry.restore`), or
they are generated again. So a document whose key missed is built from stored schemas only
when it differs from their build by handler bodies, and equals a build from scratch.

Its limits are the document key's, and one of its own: code that reads a handler's body
itself while the app is imported (a decorator of the app reading its function's source, a
handler called at import) is not seen; such an app turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from ..handlers import HTTPRouteHandler
from ..stubs import function_bodies
from .operations import openapi_path

if TYPE_CHECKING:
    from ..compile import CompiledHandler
    from ..security import SecurityScheme
    from .config import OpenAPIConfig

__all__ = ["COMPONENTS", "DOCUMENT", "StoredKeys", "load", "store"]

_FORMAT = b"specloom-openapi 1"
DOCUMENT = "openapi-"  # the stored documents' file names begin so
COMPONENTS = "components-"  # the stored schemas' (`StoredKeys.components`)
_MASKED = b"specloom-openapi masked handler bodies 1"
_KEEP = 4  # documents kept per folder: a few variants of one app (a test run, a server) at once
# what builds the document, beside the app's own packages
_BUILDERS = ("specloom", "msgspec", "typing_extensions")


def _name(value: Any) -> str:
    """A function's or a class's stable name (its module and qualified name)."""
    module = getattr(value, "__module__", None) or type(value).__module__
    qualname = getattr(value, "__qualname__", None) or type(value).__qualname__
    return f"{module}.{qualname}"


def _enc_hook(value: Any) -> Any:
    """What msgspec cannot encode by itself, as stable plain data (never an id or address)."""
    if isinstance(value, HTTPRouteHandler):
        return ["handler", _name(value.callable), sorted(value.http_methods)]
    if isinstance(value, Mapping):
        return ["mapping", sorted((repr(k), v) for k, v in value.items())]
    if isinstance(value, (set, frozenset)):
        return sorted(repr(item) for item in value)
    return _name(value)


_encoder = msgspec.json.Encoder(enc_hook=_enc_hook, order="deterministic")


def _handlers(
    compiled_handlers: Sequence[CompiledHandler], config: OpenAPIConfig
) -> list[HTTPRouteHandler]:
    """Every handler the document shows: routed, unrouted and webhook ones."""
    handlers: list[HTTPRouteHandler] = [compiled.handler for compiled in compiled_handlers]
    handlers.extend(config.unrouted)
    handlers.extend(handler for _, handler in config.webhook_handlers())
    return handlers


def _packages(handlers: Sequence[HTTPRouteHandler]) -> set[str]:
    packages = set(_BUILDERS)
    for handler in handlers:
        module = getattr(handler.callable, "__module__", None)
        if module:
            packages.add(module.partition(".")[0])
    return packages


def _sources(packages: set[str]) -> list[tuple[str, str, bytes | None]]:
    """(module name, source file, its bytes or None when unreadable) of every loaded module of
    `packages`, sorted by name: read once for both keys."""
    found: list[tuple[str, str, bytes | None]] = []
    for name, module in sorted(list(sys.modules.items()), key=lambda item: item[0]):
        if name.partition(".")[0] not in packages:
            continue
        path = getattr(module, "__file__", None)
        if path:
            try:
                data: bytes | None = Path(path).read_bytes()
            except OSError:
                data = None
            found.append((name, path, data))
    return found


def _handler_functions(handlers: Sequence[HTTPRouteHandler]) -> dict[str, set[tuple[str, int]]]:
    """The handlers' own functions, by source file: (name, first line) of their code."""
    functions: dict[str, set[tuple[str, int]]] = {}
    for handler in handlers:
        if handler.fn is None:
            continue
        code = getattr(inspect.unwrap(handler.fn), "__code__", None)
        if code is not None:
            functions.setdefault(code.co_filename, set()).add((code.co_name, code.co_firstlineno))
    return functions


def _code_digest(
    sources: Sequence[tuple[str, str, bytes | None]],
    masked: Mapping[str, set[tuple[str, int]]] | None = None,
) -> hashlib._Hash:
    """The digest of the code: every module's bytes, or with `masked` (source file -> the
    handler functions in it), each of those functions' body left out (its place marked)."""
    head = _FORMAT if masked is None else _MASKED
    digest = hashlib.sha256(head + b"\0" + sys.version.encode() + b"\0")
    for name, path, data in sources:
        digest.update(name.encode() + b"\0")
        if data is None:
            digest.update(b"\0unreadable\0")
            continue
        spans = function_bodies(path, data, masked[path]) if masked and path in masked else []
        start = 0
        for begin, end in spans:  # each part's length first: no two sources read the same
            digest.update(b"%d\0" % (begin - start) + data[start:begin] + b"\0body\0")
            start = end
        digest.update(b"%d\0" % (len(data) - start) + data[start:])
    return digest


def _documented(compiled: CompiledHandler) -> list[Any]:
    """The route's part of the key: where and what it serves, and its layered options that
    the document shows."""
    config = compiled.config
    return [
        openapi_path(compiled.template),
        sorted(compiled.handler.http_methods),
        _name(compiled.handler.callable),
        config.tags,
        config.response_headers,
        config.response_cookies,
        config.security,
        config.include_in_schema,
        config.cache_control,
        config.etag,
        config.response_class,
    ]


class StoredKeys:
    """The keys of the document built from these routes, config and schemes by the code loaded
    now, and of its component schemas (`document` less the bodies of the handlers' functions).
    The code is read once for both; None: part of it cannot be encoded, so nothing is stored
    or read."""

    def __init__(
        self,
        compiled_handlers: Sequence[CompiledHandler],
        config: OpenAPIConfig,
        security_schemes: Mapping[str, SecurityScheme],
    ) -> None:
        self._handlers = _handlers(compiled_handlers, config)
        self._sources = _sources(_packages(self._handlers))
        try:  # what was decided at run time, beside the code
            self._decided: bytes | None = b"".join(
                (
                    _encoder.encode(config),
                    _encoder.encode([_documented(c) for c in compiled_handlers]),
                    _encoder.encode({n: s.to_openapi() for n, s in security_schemes.items()}),
                )
            )
        except (TypeError, ValueError, msgspec.EncodeError):
            self._decided = None

    def document(self) -> str | None:
        return self._key(_code_digest(self._sources))

    def components(self) -> str | None:
        return self._key(_code_digest(self._sources, _handler_functions(self._handlers)))

    def _key(self, digest: hashlib._Hash) -> str | None:
        if self._decided is None:
            return None
        digest.update(self._decided)
        return digest.hexdigest()


def _path(folder: str | os.PathLike[str], key: str, prefix: str) -> Path:
    return Path(folder) / f"{prefix}{key}.json"


def load(folder: str | os.PathLike[str], key: str, prefix: str = DOCUMENT) -> bytes | None:
    """The JSON stored under `key` (a document; with `prefix=COMPONENTS`, schemas), or None
    when there is none (or it is unreadable)."""
    path = _path(folder, key, prefix)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, _, body = data.partition(b"\n")
    if head != _FORMAT + b" " + key.encode() or not body:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: the last to be pruned
    return body


def store(folder: str | os.PathLike[str], key: str, body: bytes, prefix: str = DOCUMENT) -> bool:
    """Keep `body` under `key` (atomically); prune all but the most recently used few. False:
    the folder cannot be written (the document is still served, only built again next time)."""
    root = Path(folder)
    try:
        created = not root.is_dir()
        root.mkdir(parents=True, exist_ok=True)
        if created:
            (root / ".gitignore").write_text("# created by specloom\n*\n", encoding="utf-8")
        handle, temporary = tempfile.mkstemp(prefix=".openapi-", suffix=".tmp", dir=root)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(_FORMAT + b" " + key.encode() + b"\n")
                file.write(body)
            os.chmod(temporary, 0o644)  # readable as a source file is (mkstemp gives 0o600)
            os.replace(temporary, _path(root, key, prefix))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _prune(root, _path(root, key, prefix), prefix)
    except OSError:
        return False
    return True


def _prune(root: Path, written: Path, prefix: str) -> None:
    """Delete all but the `_KEEP` most recently used files of the kind (`prefix`) just written
    (never the one just written)."""
    stored = []
    for path in root.glob(f"{prefix}*.json"):
        if path == written:
            continue
        with contextlib.suppress(OSError):
            stored.append((path.stat().st_mtime_ns, path))
    stored.sort(reverse=True)
    for _, path in stored[_KEEP - 1 :]:
        with contextlib.suppress(OSError):
            path.unlink()
