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
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from ..handlers import HTTPRouteHandler
from .operations import openapi_path

if TYPE_CHECKING:
    from ..compile import CompiledHandler
    from ..security import SecurityScheme
    from .config import OpenAPIConfig

__all__ = ["document_key", "load", "store"]

_FORMAT = b"specloom-openapi 1"
_PREFIX = "openapi-"
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


def _packages(compiled_handlers: Sequence[CompiledHandler], config: OpenAPIConfig) -> set[str]:
    handlers: list[HTTPRouteHandler] = [compiled.handler for compiled in compiled_handlers]
    handlers.extend(config.unrouted)
    handlers.extend(handler for _, handler in config.webhook_handlers())
    packages = set(_BUILDERS)
    for handler in handlers:
        module = getattr(handler.callable, "__module__", None)
        if module:
            packages.add(module.partition(".")[0])
    return packages


def _module_files(packages: set[str]) -> Iterable[tuple[str, str]]:
    """(module name, source file) of every loaded module of `packages`, sorted by name."""
    for name, module in sorted(list(sys.modules.items()), key=lambda item: item[0]):
        if name.partition(".")[0] not in packages:
            continue
        path = getattr(module, "__file__", None)
        if path:
            yield name, path


def _code_digest(packages: set[str]) -> hashlib._Hash:
    digest = hashlib.sha256(_FORMAT + b"\0" + sys.version.encode() + b"\0")
    for name, path in _module_files(packages):
        digest.update(name.encode() + b"\0")
        try:
            digest.update(Path(path).read_bytes())
        except OSError:
            digest.update(b"\0unreadable\0")
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


def document_key(
    compiled_handlers: Sequence[CompiledHandler],
    config: OpenAPIConfig,
    security_schemes: Mapping[str, SecurityScheme],
) -> str | None:
    """The key of the document built from these routes, config and schemes by the code loaded
    now (None: part of it cannot be encoded, so nothing is stored or read)."""
    digest = _code_digest(_packages(compiled_handlers, config))
    try:
        digest.update(_encoder.encode(config))
        digest.update(_encoder.encode([_documented(c) for c in compiled_handlers]))
        digest.update(_encoder.encode({n: s.to_openapi() for n, s in security_schemes.items()}))
    except (TypeError, ValueError, msgspec.EncodeError):
        return None
    return digest.hexdigest()


def _path(folder: str | os.PathLike[str], key: str) -> Path:
    return Path(folder) / f"{_PREFIX}{key}.json"


def load(folder: str | os.PathLike[str], key: str) -> bytes | None:
    """The JSON document stored under `key`, or None when there is none (or it is unreadable)."""
    path = _path(folder, key)
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


def store(folder: str | os.PathLike[str], key: str, body: bytes) -> bool:
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
            os.replace(temporary, _path(root, key))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _prune(root, _path(root, key))
    except OSError:
        return False
    return True


def _prune(root: Path, written: Path) -> None:
    """Delete all but the `_KEEP` most recently used documents (never the one just written)."""
    stored = []
    for path in root.glob(f"{_PREFIX}*.json"):
        if path == written:
            continue
        with contextlib.suppress(OSError):
            stored.append((path.stat().st_mtime_ns, path))
    stored.sort(reverse=True)
    for _, path in stored[_KEEP - 1 :]:
        with contextlib.suppress(OSError):
            path.unlink()
