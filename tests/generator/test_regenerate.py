"""Regeneration scenarios: generate, fill in handlers, edit the spec, regenerate, and check that
not a line of the user's is lost, the signatures follow the spec, the app still serves, and the
report names exactly the edits (DESIGN.md, "Ownership of generated files").

Each scenario runs on a self-written fixture (always) and on public specs (when the corpus is
here), copied to tmp_path and edited there as YAML/JSON data. Every generated package gets a
unique name, and every import of it is of a fresh copy with a name of its own.
"""

from __future__ import annotations

import ast
import copy
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from specloom.generator import atomic
from specloom.generator.build_ir import build_ir
from specloom.generator.generate import generate
from specloom.generator.merge import REMOVED_MARKER
from specloom.runtime.testing import TestClient

from .public_specs import public_spec

SHOP = Path(__file__).parent / "regen_fixtures" / "shop.yaml"
OAI_PETSTORE = "OAI__learn.openapis.org/examples/v3.0/petstore.yaml"
SWAGGER_PETSTORE = "swagger-api__swagger-petstore/src/main/resources/openapi.yaml"
USER_IMPORTS = "\nfrom typing import Any\n\nfrom specloom.runtime import Request\n"
APP_IMPORT = "from specloom.runtime import App\n"
SCHEMES = "    security_schemes=SECURITY_SCHEMES,\n"
DEPENDENCY = '    dependencies={"greeting": Provide(lambda: "hello", use_cache=True)},\n'

Expected = set[tuple[str, str, bool]]  # (handler, kind, breaking)


# -- a generated project in tmp_path ------------------------------------------------------------


class Project:
    """A spec (data, written as YAML or JSON) and the package generated from it."""

    def __init__(self, root: Path, source: Path, suffix: str) -> None:
        self.root = root
        self.package = f"regen_{uuid.uuid4().hex[:12]}"
        self.out = root / self.package
        self.spec = root / f"spec{suffix}"
        self.doc: dict[str, Any] = yaml.safe_load(source.read_text(encoding="utf-8"))
        self.write_spec()

    def write_spec(self) -> None:
        if self.spec.suffix == ".json":
            self.spec.write_text(json.dumps(self.doc, indent=2), encoding="utf-8")
        else:
            self.spec.write_text(yaml.safe_dump(self.doc, sort_keys=False), encoding="utf-8")

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "specloom.generator.cli", "generate", str(self.spec)]
        command += ["--out", str(self.out), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    def regenerate(self, *, via_cli: bool) -> dict[str, Any]:
        """Regenerate; the run's report as `--report` writes it."""
        if not via_cli:
            return generate(self.spec, self.out).report()
        report = self.root / "report.json"
        run = self.cli("--report", str(report))
        assert run.returncode == 0, run.stdout + run.stderr
        data: dict[str, Any] = json.loads(report.read_text())
        for change in data["changes"]:  # the printed report: a line per change, then where
            flag = " (breaking)" if change["breaking"] else ""
            line = f"{change['kind']}: {change['handler']}: {change['detail']}{flag}\n"
            places = [f"at {change['at']}"] if change["at"] else []
            places += [f"spec #{change['pointer']}"] if change["pointer"] else []
            line += f"    {', '.join(places)}\n" if places else ""
            assert line in run.stdout
        return data

    def fresh(self) -> Path:
        """The current spec generated into an empty folder: what the signatures must be."""
        out = self.root / "fresh" / uuid.uuid4().hex[:8] / self.package
        generate(self.spec, out)
        return out

    def read(self, relative: str) -> str:
        return (self.out / relative).read_text(encoding="utf-8")

    def write(self, relative: str, text: str) -> None:
        (self.out / relative).write_text(text, encoding="utf-8")

    def snapshot(self) -> dict[str, bytes]:
        return {
            str(path.relative_to(self.out)): path.read_bytes()
            for path in sorted(self.out.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts
        }

    @contextmanager
    def client(self) -> Iterator[TestClient]:
        """A TestClient on a fresh import of the package (a copy with a name of its own)."""
        name = f"{self.package}_{uuid.uuid4().hex[:8]}"
        folder = self.root / "imports"
        shutil.copytree(self.out, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        sys.path.insert(0, str(folder))
        importlib.invalidate_caches()
        try:
            app = importlib.import_module(f"{name}.app").app
            # the routes are served under the servers' base path (`/v1`), where the probes go
            base_path = build_ir(self.doc).base_path
            with TestClient(app, base_url=f"http://testserver.local{base_path}") as client:
                yield client
        finally:
            sys.path.remove(str(folder))
            for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
                del sys.modules[module]


# -- what the user writes -------------------------------------------------------------------------


@dataclass(frozen=True)
class Fill:
    """A handler a user filled in: a comment above it, an extra parameter, docs and a body."""

    module: str  # handlers/<tag>.py
    function: str
    body: str  # indented, ends with a newline
    extra: str | None = None  # a parameter the spec does not have (it becomes keyword-only)
    extra_comment: str = ""

    @property
    def comment(self) -> str:
        return f"# mine: {self.function} is filled in"


DOC_EXTRA = "Mine: the docstring grows."
Function = ast.FunctionDef | ast.AsyncFunctionDef


def _defs(text: str) -> dict[str, Function]:
    tree = ast.parse(text)
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def fill_in(text: str, fill: Fill) -> str:
    """The module with one stub filled in as a user would."""
    node = _defs(text)[fill.function]
    lines = text.splitlines(keepends=True)
    top = node.decorator_list[0].lineno - 1
    docstring = node.body[0]
    assert docstring.lineno == docstring.end_lineno, "a one-line docstring"
    header = "".join(lines[node.lineno - 1 : docstring.lineno - 1])
    match = re.fullmatch(r"(async def \w+\()(.*)(\)(?: -> .+)?:\n)", header, re.S)
    assert match, header
    params = [part for part in [match.group(2).strip().rstrip(",")] if part]
    if fill.extra is not None:
        if not (node.args.kwonlyargs or node.args.vararg):
            params.append("*")
        params.append(fill.extra + ("," + fill.extra_comment if fill.extra_comment else ""))
    inner = "".join(f"\n    {p}" + ("" if "#" in p else ",") for p in params)
    inner += "\n" if params else ""
    doc_line = lines[docstring.lineno - 1].rstrip("\n")
    assert doc_line.endswith('"""')
    docs = f'{doc_line[:-3]}\n\n    {DOC_EXTRA}\n    """\n'
    return "".join(
        [
            *lines[:top],
            fill.comment + "\n",
            *lines[top : node.lineno - 1],
            match.group(1) + inner + match.group(3),
            docs,
            fill.body,
            *lines[node.end_lineno or 0 :],
        ]
    )


def fill_project(project: Project, fills: list[Fill]) -> None:
    """Fill in the handlers, and give the app the `greeting` dependency they use."""
    for module in sorted({fill.module for fill in fills}):
        text = project.read(module)
        chosen = [fill for fill in fills if fill.module == module]
        for fill in chosen:
            text = fill_in(text, fill)
        if any("Request" in (fill.extra or "") for fill in chosen):
            end = ast.parse(text).body[0].end_lineno or 0
            lines = text.splitlines(keepends=True)
            text = "".join([*lines[:end], USER_IMPORTS, *lines[end:]])
        project.write(module, text)
    app = project.read("app.py")
    app = app.replace(SCHEMES, SCHEMES + DEPENDENCY)
    app = app.replace(APP_IMPORT, APP_IMPORT + "from specloom.runtime.di import Provide\n")
    project.write("app.py", app)


def body_of(text: str, function: str) -> str:
    """A def's body as written, docstring included, byte for byte."""
    node = _defs(text)[function]
    lines = text.splitlines(keepends=True)
    return "".join(lines[node.body[0].lineno - 1 : node.end_lineno])


# -- checks -------------------------------------------------------------------------------------


def _signature(node: Function) -> dict[str, tuple[str, str | None]]:
    arguments = node.args
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
    pairs = [*zip(positional, [*defaults, *arguments.defaults], strict=True)]
    pairs += zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
    return {
        arg.arg: (
            ast.unparse(arg.annotation) if arg.annotation else "",
            ast.unparse(default) if default else None,
        )
        for arg, default in pairs
    }


def _op_decorators(node: Function) -> list[str]:
    shown = [ast.unparse(decorator) for decorator in node.decorator_list]
    return [text for text in shown if text.startswith("op.")]


def assert_signatures_follow_the_spec(project: Project, extras: dict[str, set[str]]) -> None:
    """Every routed handler has exactly the decorator, spec parameters and return annotation a
    fresh generation gives it, plus the user's own parameters; no other def is routed."""
    fresh = project.fresh()
    for path in sorted((fresh / "handlers").glob("*.py")):
        wanted = _defs(path.read_text(encoding="utf-8"))
        merged = _defs(project.read(f"handlers/{path.name}"))
        handlers = {name for name, node in wanted.items() if _op_decorators(node)}
        assert {name for name, node in merged.items() if _op_decorators(node)} == handlers
        for name in handlers:
            new, mine = wanted[name], merged[name]
            assert _op_decorators(mine) == _op_decorators(new), name
            assert type(mine) is type(new), name
            assert ast.dump(mine.returns or ast.Pass()) == ast.dump(new.returns or ast.Pass())
            spec, have = _signature(new), _signature(mine)
            assert {key: have.get(key) for key in spec} == spec, name
            assert [key for key in have if key in spec] == list(spec), name  # in the spec's order
            assert set(have) - set(spec) == extras.get(name, set()), name


@dataclass
class Probe:
    """A request and what the app must answer."""

    method: str
    url: str
    status: int
    json: Any = None
    params: dict[str, str] = field(default_factory=dict)
    body: Any = None
    form: dict[str, str] | None = None

    def run(self, client: TestClient) -> None:
        kwargs: dict[str, Any] = {"params": self.params}
        if self.body is not None:
            kwargs["json"] = self.body
        if self.form is not None:
            kwargs["data"] = self.form
        response = client.request(self.method, self.url, **kwargs)
        where = f"{self.method} {self.url} {self.params}"
        assert response.status_code == self.status, (where, response.text)
        if self.json is not None:
            assert response.json() == self.json, where


Edit = Callable[[dict[str, Any]], None]


@dataclass
class Step:
    """One spec edit and everything it must (and must not) do to the package."""

    label: str
    edit: Edit
    expected: Expected  # the report, exactly
    probes: dict[str, Probe] = field(default_factory=dict)  # new or changed, by name
    renamed: dict[str, str] = field(default_factory=dict)  # old handler name -> new
    removed: tuple[str, ...] = ()  # handlers unrouted by this edit
    restored: tuple[str, ...] = ()  # handlers routed again
    files: tuple[str, ...] = ()  # files this edit must rewrite (among others)
    imports: tuple[tuple[str, str], ...] = ()  # (module, name) the new signatures need


def run_scenario(
    project: Project,
    fills: list[Fill],
    steps: list[Step],
    probes: dict[str, Probe],
    *,
    via_cli: bool,
) -> None:
    """Generate, fill in, then edit and regenerate step by step, checking everything each time."""
    first = generate(project.spec, project.out)
    assert first.changes == []
    fill_project(project, fills)
    modules = {fill.function: fill.module for fill in fills}
    bodies = {fill.function: body_of(project.read(fill.module), fill.function) for fill in fills}
    extras = {fill.function: {fill.extra.split(":")[0]} for fill in fills if fill.extra}
    extra_lines = [
        (fill.module, f"    {fill.extra},{fill.extra_comment}\n")
        for fill in fills
        if fill.extra and fill.extra_comment
    ]
    probes = dict(probes)  # the requests that must work now, by name
    removed: dict[str, str] = {}  # unrouted handler -> its module
    with project.client() as client:
        for probe in probes.values():
            probe.run(client)

    for step in steps:
        step.edit(project.doc)
        project.write_spec()
        report = project.regenerate(via_cli=via_cli)
        changes = [(c["handler"], c["kind"], c["breaking"]) for c in report["changes"]]
        assert len(changes) == len(set(changes)), (step.label, report["changes"])
        assert set(changes) == step.expected, (step.label, report["changes"])
        assert set(step.files) <= set(report["files"]), (step.label, report["files"])
        for module, name in step.imports:
            tree = ast.parse(project.read(module))
            imported = [
                a.asname or a.name
                for n in tree.body
                if isinstance(n, ast.ImportFrom)
                for a in n.names
            ]
            assert name in imported, (step.label, module, name)

        for old, new in step.renamed.items():
            modules[new], bodies[new] = modules.pop(old), bodies.pop(old)
            if old in extras:
                extras[new] = extras.pop(old)
        for fill in fills:
            assert project.read(fill.module).count(fill.comment + "\n") == 1, (step.label, fill)
        for module, line in extra_lines:  # the user's parameter with its comment, as written
            assert line in project.read(module), (step.label, line)
        for function, module in modules.items():
            assert body_of(project.read(module), function) == bodies[function], (
                step.label,
                function,
            )
        for function in step.removed:
            removed[function] = next(
                f"handlers/{path.name}"
                for path in (project.out / "handlers").glob("*.py")
                if function in _defs(path.read_text(encoding="utf-8"))
            )
        for function in step.restored:
            del removed[function]
        for function, module in removed.items():
            text = project.read(module)
            node = _defs(text)[function]
            assert not _op_decorators(node), (step.label, function)
            assert text.splitlines()[node.lineno - 2] == REMOVED_MARKER, (step.label, function)
        assert_signatures_follow_the_spec(project, extras)

        probes.update(step.probes)
        with project.client() as client:
            for probe in probes.values():
                probe.run(client)

    # regenerating twice in a row changes nothing
    again = generate(project.spec, project.out)
    assert (again.written, again.changes) == ([], [])
    check = project.cli("--check")
    assert check.returncode == 0 and "up to date" in check.stdout, check.stdout + check.stderr


# -- spec edits (on the document as data) ----------------------------------------------------------


def _op(doc: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    operation: dict[str, Any] = doc["paths"][path][method]
    return operation


def edits(*steps: Edit) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        for step in steps:
            step(doc)

    return edit


def add_operation(method: str, path: str, operation_id: str, tag: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        names = re.findall(r"{(\w+)}", path)
        array = {"type": "array", "items": {"type": "string"}}
        doc["paths"].setdefault(path, {})[method] = {
            "operationId": operation_id,
            "tags": [tag],
            "summary": f"{operation_id}, added later",
            "parameters": [
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                for name in names
            ],
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": array}}}
            },
        }

    return edit


def remove_operation(method: str, path: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        del doc["paths"][path][method]

    return edit


def restore_operation(method: str, path: str, source: Path) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        original = yaml.safe_load(source.read_text(encoding="utf-8"))
        doc["paths"][path][method] = original["paths"][path][method]

    return edit


def rename_operation(method: str, path: str, operation_id: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        _op(doc, method, path)["operationId"] = operation_id

    return edit


def add_required_parameter(method: str, path: str, name: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        param = {"name": name, "in": "query", "required": True, "schema": {"type": "string"}}
        _op(doc, method, path).setdefault("parameters", []).append(param)

    return edit


def change_parameter_type(method: str, path: str, name: str, type_: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        (param,) = [p for p in _op(doc, method, path)["parameters"] if p["name"] == name]
        param["schema"] = {"type": type_}

    return edit


def add_response_header(method: str, path: str, status: str, header: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        response = _op(doc, method, path)["responses"][status]
        response.setdefault("headers", {})[header] = {"schema": {"type": "integer"}}

    return edit


def change_status(method: str, path: str, old: str, new: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        responses = _op(doc, method, path)["responses"]
        responses[new] = responses.pop(old)

    return edit


def add_request_media_type(method: str, path: str, media_type: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        content = _op(doc, method, path)["requestBody"]["content"]
        content[media_type] = copy.deepcopy(content["application/json"])

    return edit


def add_schema_field(schema: str, name: str, type_: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        doc["components"]["schemas"][schema]["properties"][name] = {"type": type_}

    return edit


# -- the scenarios --------------------------------------------------------------------------------

ITEM = "/items/{itemId}"
SHOP_FILLS = [
    Fill(
        "handlers/items.py",
        "list_items",
        "    # every item, named by the app\n    items = [m.Item(id=1, name=greeting)]\n"
        "    return items\n",
        extra="greeting: str",
        extra_comment="  # a dependency the app provides",
    ),
    Fill(
        "handlers/items.py",
        "create_item",
        "    # stored nowhere\n\n    return m.Item(id=7, name=data.name)\n",
    ),
    Fill(
        "handlers/items.py",
        "get_item",
        "    # the path, echoed as the name\n"
        "    return m.Item(id=item_id, name=request.url.path)\n",
        extra="request: Request[Any, Any]",
    ),
    Fill("handlers/orders.py", "list_orders", "    return []  # no orders yet\n"),
]
SHOP_PROBES = {
    "list": Probe("GET", "/items", 200, [{"id": 1, "name": "hello"}]),
    "list: bad limit": Probe("GET", "/items", 400, params={"limit": "many"}),
    "get": Probe("GET", "/items/3", 200, {"id": 3, "name": "/items/3"}),
    "create": Probe("POST", "/items", 201, {"id": 7, "name": "a"}, body={"name": "a"}),
    "delete": Probe("DELETE", "/items/3", 501),
    "orders": Probe("GET", "/orders", 200, []),
}
CATEGORY = {"category": "tools"}
SHOP_STEPS = [
    Step(
        "add operations (one to a new tag)",
        edits(
            add_operation("put", ITEM, "updateItem", "items"),
            add_operation("get", "/reviews", "listReviews", "reviews"),
        ),
        {("update_item", "added", False), ("list_reviews", "added", False)},
        probes={"update": Probe("PUT", "/items/3", 501), "reviews": Probe("GET", "/reviews", 501)},
        files=("handlers/items.py", "handlers/reviews.py"),
    ),
    Step(
        "remove an operation",
        remove_operation("delete", ITEM),
        {("delete_item", "removed", True)},
        probes={"delete": Probe("DELETE", "/items/3", 405)},
        removed=("delete_item",),
    ),
    Step(
        "rename an operationId",
        rename_operation("get", ITEM, "fetchItem"),
        {("fetch_item", "renamed", False)},
        renamed={"get_item": "fetch_item"},
    ),
    Step(
        "add a required parameter",
        add_required_parameter("get", "/items", "category"),
        {("list_items", "parameter_added", True)},
        probes={
            "list": Probe("GET", "/items", 200, [{"id": 1, "name": "hello"}], params=CATEGORY),
            "list: no category": Probe("GET", "/items", 400),
            "list: bad limit": Probe("GET", "/items", 400, params={**CATEGORY, "limit": "many"}),
        },
    ),
    Step(
        "change a parameter's type",
        change_parameter_type("get", "/items", "limit", "string"),
        {("list_items", "parameter_changed", True)},
        probes={"list: bad limit": Probe("GET", "/items", 200, params={**CATEGORY, "limit": "x"})},
    ),
    Step(
        "add a response header",
        add_response_header("get", ITEM, "200", "X-Rate-Limit"),
        {("fetch_item", "header_changed", False), ("fetch_item", "return_changed", True)},
        imports=(("handlers/items.py", "Response"),),  # -> Response[m.Item]
    ),
    Step(
        "change a status code",
        change_status("post", "/items", "201", "202"),
        {("create_item", "status_changed", True)},
        probes={"create": Probe("POST", "/items", 202, {"id": 7, "name": "a"}, body={"name": "a"})},
    ),
    Step(
        "accept another media type",
        add_request_media_type("post", "/items", "application/x-www-form-urlencoded"),
        {("create_item", "media_type_changed", False)},
        probes={
            "create: form": Probe("POST", "/items", 202, {"id": 7, "name": "b"}, form={"name": "b"})
        },
    ),
    Step(
        "add a schema field",
        add_schema_field("Item", "price", "number"),
        {("Item", "field_added", False)},
        files=("_generated/models.py",),
    ),
    Step(
        "bring a removed operation back",
        restore_operation("delete", ITEM, SHOP),
        {("delete_item", "added", False)},
        probes={"delete": Probe("DELETE", "/items/3", 501)},
        restored=("delete_item",),
    ),
]


def test_shop_scenario_through_the_cli(tmp_path: Path) -> None:
    """The self-written fixture, every edit, each regenerated with `specloom generate --report`."""
    run_scenario(
        Project(tmp_path, SHOP, ".yaml"), SHOP_FILLS, SHOP_STEPS, SHOP_PROBES, via_cli=True
    )


PET = "/pets/{petId}"
OAI_FILLS = [
    Fill(
        "handlers/pets.py",
        "list_pets",
        "    # one pet, named by the app\n    return Response([m.Pet(id=1, name=greeting)])\n",
        extra="greeting: str",
        extra_comment="  # from the app's dependencies",
    ),
    Fill("handlers/pets.py", "create_pets", "    # accepted, and forgotten\n    return None\n"),
    Fill(
        "handlers/pets.py",
        "show_pet_by_id",
        "    pet = m.Pet(id=1, name=pet_id)\n    # the path, echoed as the tag\n"
        "    pet.tag = request.url.path\n    return pet\n",
        extra="request: Request[Any, Any]",
    ),
]
OAI_PROBES = {
    "list": Probe("GET", "/pets", 200, [{"id": 1, "name": "hello"}]),
    # served under the servers' base path (http://petstore.swagger.io/v1): the path has it
    "show": Probe("GET", "/pets/rex", 200, {"id": 1, "name": "rex", "tag": "/v1/pets/rex"}),
    "create": Probe("POST", "/pets", 201, body={"id": 2, "name": "a"}),
}
SPECIES = {"species": "cat"}
OAI_STEPS = [
    Step(
        "add operations (one to a new tag)",
        edits(
            add_operation("delete", PET, "deletePet", "pets"),
            add_operation("get", "/owners", "listOwners", "owners"),
        ),
        {("delete_pet", "added", False), ("list_owners", "added", False)},
        probes={
            "delete": Probe("DELETE", "/pets/rex", 501),
            "owners": Probe("GET", "/owners", 501),
        },
    ),
    Step(
        "rename an operationId",
        rename_operation("get", PET, "getPet"),
        {("get_pet", "renamed", False)},
        renamed={"show_pet_by_id": "get_pet"},
    ),
    Step(
        "add a required parameter",
        add_required_parameter("get", "/pets", "species"),
        {("list_pets", "parameter_added", True)},
        probes={
            "list": Probe("GET", "/pets", 200, [{"id": 1, "name": "hello"}], params=SPECIES),
            "list: no species": Probe("GET", "/pets", 400),
        },
    ),
    Step(
        "change a parameter's type",
        change_parameter_type("get", "/pets", "limit", "string"),
        {("list_pets", "parameter_changed", True)},
        probes={"list: text limit": Probe("GET", "/pets", 200, params={**SPECIES, "limit": "x"})},
    ),
    Step(
        "add a response header",
        add_response_header("get", PET, "200", "X-Rate-Limit"),
        {("get_pet", "header_changed", False), ("get_pet", "return_changed", True)},
    ),
    Step(
        "change a status code",
        change_status("post", "/pets", "201", "202"),
        {("create_pets", "status_changed", True)},
        probes={"create": Probe("POST", "/pets", 202, body={"id": 2, "name": "a"})},
    ),
    Step(
        "add a schema field",
        add_schema_field("Pet", "age", "integer"),
        {("Pet", "field_added", False)},
    ),
    Step(
        "remove a filled-in operation",
        remove_operation("post", "/pets"),
        {("create_pets", "removed", True)},
        probes={"create": Probe("POST", "/pets", 405, body={"id": 2, "name": "a"})},
        removed=("create_pets",),
    ),
]

USER = "/user/{username}"
SWAGGER_FILLS = [
    Fill(
        "handlers/user.py",
        "get_user_by_name",
        "    # the app's greeting, as the e-mail\n"
        "    return m.User(username=username, email=greeting)\n",
        extra="greeting: str",
    ),
    Fill(
        "handlers/user.py",
        "login_user",
        "    # the token: who, and where from\n"
        '    return Response(f"{username}@{request.url.path}")\n',
        extra="request: Request[Any, Any]",
        extra_comment="  # the request itself",
    ),
    Fill(
        "handlers/user.py",
        "logout_user",
        "    assert request.method == 'GET'\n",
        extra="request: Request[Any, Any]",
    ),
]
SWAGGER_PROBES = {
    "get": Probe("GET", "/user/bob", 200, {"username": "bob", "email": "hello"}),
    "login": Probe("GET", "/user/login", 200, "bob@/api/v3/user/login", params={"username": "bob"}),
    "logout": Probe("GET", "/user/logout", 200),
}
SWAGGER_STEPS = [
    Step(
        "add an operation",
        add_operation("get", USER + "/friends", "listFriends", "user"),
        {("list_friends", "added", False)},
        probes={"friends": Probe("GET", "/user/bob/friends", 501)},
    ),
    Step(
        "remove an operation",
        remove_operation("delete", USER),
        {("delete_user", "removed", True)},
        probes={"delete": Probe("DELETE", "/user/bob", 405)},
        removed=("delete_user",),
    ),
    Step(
        "rename an operationId",
        rename_operation("get", "/user/login", "logIn"),
        {("log_in", "renamed", False)},
        renamed={"login_user": "log_in"},
    ),
    Step(
        "add a required parameter",
        add_required_parameter("get", USER, "fields"),
        {("get_user_by_name", "parameter_added", True)},
        probes={
            "get": Probe(
                "GET",
                "/user/bob",
                200,
                {"username": "bob", "email": "hello"},
                params={"fields": "all"},
            ),
            "get: no fields": Probe("GET", "/user/bob", 400),
        },
    ),
    Step(
        "change a parameter's type",
        change_parameter_type("get", "/user/login", "password", "integer"),
        {("log_in", "parameter_changed", True)},
        probes={"login: text password": Probe("GET", "/user/login", 400, params={"password": "x"})},
    ),
    Step(
        "add a response header",
        add_response_header("get", USER, "200", "X-Request-Id"),
        {
            ("get_user_by_name", "header_changed", False),
            ("get_user_by_name", "return_changed", True),
        },
    ),
    Step(
        "change a status code",
        change_status("get", "/user/logout", "200", "204"),
        {("logout_user", "status_changed", True)},
        probes={"logout": Probe("GET", "/user/logout", 204)},
    ),
    Step(
        "add a schema field",
        add_schema_field("User", "nickname", "string"),
        {("User", "field_added", False)},
    ),
]


def test_oai_petstore_scenario(tmp_path: Path) -> None:
    """The OAI petstore 3.0 (YAML), edited and regenerated through generate()."""
    project = Project(tmp_path, public_spec(OAI_PETSTORE), ".yaml")
    run_scenario(project, OAI_FILLS, OAI_STEPS, OAI_PROBES, via_cli=False)


def test_swagger_petstore_scenario(tmp_path: Path) -> None:
    """The Swagger petstore v3, as a JSON document, edited and regenerated through generate()."""
    project = Project(tmp_path, public_spec(SWAGGER_PETSTORE), ".json")
    run_scenario(project, SWAGGER_FILLS, SWAGGER_STEPS, SWAGGER_PROBES, via_cli=False)


# -- safety ---------------------------------------------------------------------------------------


@pytest.fixture
def shop(tmp_path: Path) -> Project:
    """The fixture spec, generated and filled in."""
    project = Project(tmp_path, SHOP, ".yaml")
    generate(project.spec, project.out)
    fill_project(project, SHOP_FILLS)
    return project


def test_a_failed_run_leaves_every_file_as_it_was(shop: Project) -> None:
    remove_operation("delete", ITEM)(shop.doc)  # a removed handler stays, marked
    shop.write_spec()
    generate(shop.spec, shop.out)
    add_operation("put", ITEM, "updateItem", "items")(shop.doc)
    shop.write_spec()
    shop.write("handlers/items.py", shop.read("handlers/items.py") + "\ndef broken(:\n    pass\n")
    before = shop.snapshot()
    run = shop.cli()
    assert run.returncode == 2, run.stdout + run.stderr
    assert "items.py:" in run.stderr and "nothing was written" in run.stderr
    assert shop.snapshot() == before

    shop.spec.write_text("openapi: [3.0.3\n", encoding="utf-8")  # not even YAML
    run = shop.cli()
    assert run.returncode == 2 and "nothing was written" in run.stderr, run.stderr
    assert shop.snapshot() == before


def _new_operations(shop: Project) -> None:
    edits(
        add_operation("get", "/reviews", "listReviews", "reviews"),
        add_required_parameter("get", "/items", "category"),
    )(shop.doc)
    shop.write_spec()


def test_a_run_stopped_before_its_commit_point_leaves_the_package_as_it_was(
    shop: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    _new_operations(shop)
    before = shop.snapshot()
    real_synced = atomic._synced
    staged: list[Path] = []

    def interrupted(path: Path, text: str) -> None:
        if len(staged) == 3:
            raise KeyboardInterrupt
        staged.append(path)
        real_synced(path, text)

    monkeypatch.setattr(atomic, "_synced", interrupted)
    with pytest.raises(KeyboardInterrupt):
        generate(shop.spec, shop.out)
    monkeypatch.undo()
    assert len(staged) == 3
    assert shop.snapshot() == before
    assert not (shop.out / atomic.STAGING).exists()

    result = generate(shop.spec, shop.out)  # and the next run does it all
    assert "handlers/reviews.py" in result.written
    assert (shop.out / "handlers/reviews.py").is_file()


def test_a_run_stopped_after_its_commit_point_is_completed_by_the_next(
    shop: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    _new_operations(shop)
    real_replace = os.replace
    moved: list[str] = []

    def interrupted(source: str, target: str) -> None:
        if len(moved) == 3:  # the journal and two files
            raise KeyboardInterrupt
        moved.append(target)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        generate(shop.spec, shop.out)
    monkeypatch.undo()
    assert len(moved) == 3 and (shop.out / atomic.JOURNAL).is_file()
    check = shop.cli("--check")
    assert check.returncode == 2 and "run specloom generate to complete it" in check.stderr

    run = shop.cli()
    assert run.returncode == 0, run.stderr
    assert "completed the regeneration an earlier run was stopped in" in run.stdout
    assert (shop.out / "handlers/reviews.py").is_file()
    assert not (shop.out / atomic.JOURNAL).exists() and not (shop.out / atomic.STAGING).exists()
    assert generate(shop.spec, shop.out, check=True).written == []


def test_a_hand_edited_generated_file_is_not_overwritten_without_force(shop: Project) -> None:
    shop.write("_generated/models.py", shop.read("_generated/models.py") + "# my tweak\n")
    change_status("post", "/items", "201", "202")(shop.doc)
    shop.write_spec()
    before = shop.snapshot()
    for args in ((), ("--check",), ("--dry-run",)):
        run = shop.cli(*args)
        assert run.returncode == 2, (args, run.stdout + run.stderr)
        assert "_generated/models.py" in run.stderr and "--force" in run.stderr
        assert shop.snapshot() == before

    list_items = body_of(shop.read("handlers/items.py"), "list_items")
    run = shop.cli("--force")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "status_changed: create_item: status 201 -> 202 (breaking)" in run.stdout
    assert "# my tweak" not in shop.read("_generated/models.py")
    assert body_of(shop.read("handlers/items.py"), "list_items") == list_items
    assert shop.cli("--check").returncode == 0


def test_dry_run_prints_the_diff_and_writes_nothing(shop: Project) -> None:
    edits(
        add_operation("put", ITEM, "updateItem", "items"),
        add_required_parameter("get", "/items", "category"),
    )(shop.doc)
    shop.write_spec()
    before = shop.snapshot()
    run = shop.cli("--dry-run")
    assert run.returncode == 0, run.stdout + run.stderr
    assert shop.snapshot() == before
    assert "--- a/handlers/items.py\n+++ b/handlers/items.py\n" in run.stdout
    assert "+@op.update_item\n" in run.stdout
    assert "+    category: op.ListItemsCategory,\n" in run.stdout
    assert "added: update_item: new operation: handler stub added\n" in run.stdout
    assert "would change" in run.stdout


def test_check_exits_1_only_when_out_of_date(shop: Project) -> None:
    run = shop.cli("--check")  # filled-in bodies are not "out of date"
    assert run.returncode == 0 and "up to date" in run.stdout, run.stdout + run.stderr
    add_response_header("get", ITEM, "200", "X-Rate-Limit")(shop.doc)
    shop.write_spec()
    before = shop.snapshot()
    run = shop.cli("--check")
    assert run.returncode == 1, run.stdout + run.stderr
    # counts first, then only the breaking lines; --dry-run shows every line
    assert "return_changed 1 (breaking), header_changed 1\n" in run.stdout
    assert "header_changed: get_item" not in run.stdout
    added = "header_changed: get_item: response header 'X-Rate-Limit' added: int\n"
    assert added in shop.cli("--dry-run").stdout
    assert shop.snapshot() == before
    assert shop.cli().returncode == 0
    assert shop.cli("--check").returncode == 0


def test_a_lock_without_contracts_still_regenerates(shop: Project) -> None:
    """A lock written before operation contracts were recorded: no crash, and it is upgraded."""
    lock = json.loads(shop.read("specloom.lock"))
    for entry in lock["operations"].values():
        del entry["contract"]
    shop.write("specloom.lock", json.dumps(lock, indent=2, sort_keys=True) + "\n")
    change_status("post", "/items", "201", "202")(shop.doc)
    shop.write_spec()
    result = generate(shop.spec, shop.out)
    assert result.changes == []  # nothing to compare with
    assert "contract" in json.loads(shop.read("specloom.lock"))["operations"]["POST /items"]
    assert generate(shop.spec, shop.out).written == []


def _resolve(doc: Any, pointer: str) -> Any:
    """The value at a JSON pointer (RFC 6901) of `doc`."""
    for segment in pointer.split("/")[1:]:
        key = segment.replace("~1", "/").replace("~0", "~")
        doc = doc[int(key)] if isinstance(doc, list) else doc[key]
    return doc


def test_every_report_line_says_where_it_is(shop: Project) -> None:
    """Each line names the JSON pointer of what changed (in the old spec for a removed
    operation) and the `file:line` of the handler's def as the run leaves it."""
    before = copy.deepcopy(shop.doc)
    edits(
        add_operation("put", ITEM, "updateItem", "items"),
        remove_operation("get", "/orders"),
        add_required_parameter("get", "/items", "category"),
        change_parameter_type("get", "/items", "limit", "string"),
        add_response_header("get", ITEM, "200", "X-Rate-Limit"),
        change_status("post", "/items", "201", "202"),
        add_request_media_type("post", "/items", "application/xml"),
    )(shop.doc)
    shop.write_spec()
    report = shop.regenerate(via_cli=True)
    kinds = {change["kind"] for change in report["changes"]}
    assert {"added", "removed", "parameter_added", "parameter_changed", "header_changed"} <= kinds
    assert {"status_changed", "media_type_changed"} <= kinds
    expected = {
        ("parameter_added", "/paths/~1items/get/parameters/1"),
        ("parameter_changed", "/paths/~1items/get/parameters/0"),
        ("header_changed", "/paths/~1items~1{itemId}/get/responses/200/headers/X-Rate-Limit"),
        ("status_changed", "/paths/~1items/post/responses"),
        ("media_type_changed", "/paths/~1items/post/requestBody/content"),
        ("added", "/paths/~1items~1{itemId}/put"),
        ("removed", "/paths/~1orders/get"),
    }
    assert expected <= {(change["kind"], change["pointer"]) for change in report["changes"]}
    for change in report["changes"]:
        spec = before if change["kind"] == "removed" else shop.doc
        assert isinstance(_resolve(spec, change["pointer"]), dict), change
        path, _, line = change["at"].rpartition(":")
        code = Path(path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        assert re.match(rf"(async )?def {change['handler']}\(", code), (change, code)
    printed = shop.cli("--dry-run").stdout  # nothing left to do: the run above wrote it all
    assert "up to date" in printed
