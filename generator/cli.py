"""The `specloom` command line: `generate` a server from a spec, `dev` (serve it and regenerate
on every change of the spec), `serve` it, `diff` two specs."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="specloom",
        description="OpenAPI-first server toolkit: generate typed servers and compare specs.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command")
    gen = sub.add_parser(
        "generate",
        help="generate (or regenerate) a server package from an OpenAPI document",
        description="Generate the server package OUT from SPEC; on an existing package, "
        "rewrite _generated/ and merge the spec-owned parts of your handler files.",
    )
    _spec_arguments(gen)
    gen.add_argument(
        "--check", action="store_true", help="exit 1 if OUT is out of date; write nothing"
    )
    gen.add_argument(
        "--dry-run", action="store_true", help="print the changes as a diff; write nothing"
    )
    dev = sub.add_parser(
        "dev",
        help="serve the package with reload; regenerate it whenever the spec changes",
        description="Generate OUT from SPEC, serve it with uvicorn's reloader, and regenerate "
        "(keeping your code, printing the change report) whenever one of the spec's files "
        "changes. Ctrl-C stops it.",
    )
    _spec_arguments(dev)
    _server_arguments(dev)
    dev.add_argument(
        "--mock",
        action="store_true",
        help="handlers not written yet answer from the spec (examples, else values made from "
        "the schemas; Prefer: code=N, example=NAME, dynamic=true): sets SPECLOOM_MOCK=1",
    )
    dev.add_argument(
        "--validate-responses",
        choices=("off", "log", "strict"),
        help="check each response against the spec: log a mismatch (the default, unless "
        "SPECLOOM_VALIDATE_RESPONSES says otherwise), also answer it as a 500 (strict), or off",
    )
    dev.set_defaults(check=False, dry_run=False)
    serve = sub.add_parser(
        "serve",
        help="serve a generated package the production way (uvicorn, --workers)",
        description="Serve the package OUT (default: `out` of [tool.specloom]) with uvicorn.",
    )
    serve.add_argument("--out", help="the package folder; default: `out` of [tool.specloom]")
    _server_arguments(serve)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    diff = sub.add_parser(
        "diff",
        help="compare two OpenAPI documents semantically",
        description="Exit 0 when A and B are equivalent, 1 when they differ, 2 when unreadable.",
    )
    diff.add_argument("a", help="the old document")
    diff.add_argument("b", help="the new document")
    diff.add_argument("--json", action="store_true", help="print the differences as JSON")
    _spec_root_argument(diff, configured=False)
    return parser


def _spec_root_argument(parser: argparse.ArgumentParser, *, configured: bool) -> None:
    default = "`spec_root` of [tool.specloom], else " if configured else ""
    parser.add_argument(
        "--spec-root",
        metavar="DIR",
        help="the folder the spec's $refs may read files under (it must hold the spec); "
        f"default: {default}the folder of the spec itself",
    )


def _server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")


def _spec_arguments(gen: argparse.ArgumentParser) -> None:
    """The arguments of a run that generates: the spec, the package and their options."""
    gen.add_argument(
        "spec",
        nargs="?",
        help="the OpenAPI document (2.0, 3.0 or 3.1; YAML or JSON; - for stdin); default: "
        "`spec` of [tool.specloom] in pyproject.toml",
    )
    gen.add_argument(
        "--out",
        help="the package folder to write (e.g. petstore); default: `out` of [tool.specloom]",
    )
    gen.add_argument("--force", action="store_true", help="overwrite hand-edited generated files")
    gen.add_argument("--report", metavar="FILE", help="write the run's report as JSON to FILE")
    gen.add_argument(
        "--quiet",
        action=argparse.BooleanOptionalAction,
        help="print only errors (--no-quiet overrides `quiet = true` of [tool.specloom])",
    )
    gen.add_argument(
        "--ignore-base-path",
        action=argparse.BooleanOptionalAction,
        help="serve routes at the spec's paths as written, not under the path of its servers' "
        "URLs (/api/v3 of https://host/api/v3: a proxy in front strips it); default: "
        "`ignore_base_path` of [tool.specloom], else no",
    )
    _spec_root_argument(gen, configured=True)


def _error(message: str) -> int:
    print(f"specloom: error: {message}", file=sys.stderr)
    return 2


def _configured(args: argparse.Namespace) -> str | None:
    """Fill what the command line left out from `[tool.specloom]`; the reason it cannot be."""
    from .config import ConfigError, find_config

    try:
        config = find_config()
    except ConfigError as exc:
        return str(exc)
    for key in ("spec", "out", "report", "quiet", "ignore_base_path", "spec_root"):
        if getattr(args, key) is None and config is not None:
            setattr(args, key, config.get(key))
    where = "pyproject.toml" if config is None else str(config.path)
    for key in ("spec", "out"):
        if getattr(args, key) is None:
            return f"no {key} given: pass it, or set `{key}` in [tool.specloom] of {where}"
    args.quiet = bool(args.quiet)
    args.ignore_base_path = bool(args.ignore_base_path)
    return None


def _run_generate(args: argparse.Namespace) -> int:
    from .errors import SpecError
    from .generate import GenerateError, generate
    from .progress import TerminalProgress

    missing = _configured(args)
    if missing is not None:
        return _error(missing)

    check, dry_run = args.check, args.dry_run
    try:
        # the phase of a long run on a terminal's stderr (never with --quiet, nor on a pipe)
        with TerminalProgress(enabled=not args.quiet) as progress:
            result = generate(
                args.spec,
                args.out,
                force=args.force,
                check=check,
                dry_run=dry_run,
                mount_base_path=not args.ignore_base_path,
                spec_root=args.spec_root,
                progress=progress,
            )
    except SpecError as exc:
        return _error(f"{exc} (nothing was written)")
    except GenerateError as exc:
        return _error(f"{exc} (nothing was written)")
    except OSError as exc:
        return _error(f"{exc} (nothing was written)")
    if args.report:
        Path(args.report).write_text(json.dumps(result.report(), indent=2) + "\n")
    if dry_run:
        for text in result.diffs.values():
            sys.stdout.write(text)
    if not args.quiet:
        _print_summary(result, args)
    if check:
        return 1 if result.written else 0
    return 0


def _run_dev(args: argparse.Namespace) -> int:
    from .serve import run_dev

    code = _run_generate(args)
    if code != 0:
        return code
    return run_dev(
        args.spec,
        Path(args.out),
        host=args.host,
        port=args.port,
        regenerate=lambda: _run_generate(args),
        spec_root=args.spec_root,
        mock=args.mock,
        validate_responses=args.validate_responses,
    )


def _run_serve(args: argparse.Namespace) -> int:
    from .config import ConfigError, find_config
    from .serve import run_serve

    if args.out is None:
        try:
            config = find_config()
        except ConfigError as exc:
            return _error(str(exc))
        args.out = None if config is None else config.get("out")
    if args.out is None:
        return _error("no out given: pass --out, or set `out` in [tool.specloom]")
    if args.workers < 1:
        return _error(f"--workers must be at least 1, not {args.workers}")
    return run_serve(Path(args.out), host=args.host, port=args.port, workers=args.workers)


def _print_summary(result: Any, args: argparse.Namespace) -> None:
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if result.recovered == "completed":
        print(f"{args.out}: completed the regeneration an earlier run was stopped in")
    elif result.recovered == "cleaned":
        print(f"{args.out}: removed what an earlier run stopped before writing left")
    if args.check and result.changes:  # for CI: counts by kind, then the breaking lines only
        summary = result.summary()
        counts = [f"{kind} {n} (breaking)" for kind, n in summary["breaking"].items()]
        counts += [f"{kind} {n}" for kind, n in summary["other"].items()]
        breaking = sum(summary["breaking"].values())
        print(f"{len(result.changes)} change(s), {breaking} breaking: {', '.join(counts)}")
    for change in result.changes:
        if args.check and not change.breaking:
            continue
        flag = " (breaking)" if change.breaking else ""
        print(f"{change.kind}: {change.function}: {change.detail}{flag}")
        places = [f"at {change.at}"] if change.at else []
        places += [f"spec #{change.pointer}"] if change.pointer else []
        if places:
            print(f"    {', '.join(places)}")
    verb = "would change" if (args.check or args.dry_run) else "wrote"
    if result.written:
        print(f"{verb} {len(result.written)} file(s) in {args.out}: {', '.join(result.written)}")
    else:
        print(f"{args.out} is up to date with {args.spec}")


def _load_document(source: str, spec_root: str | None) -> dict[str, Any]:
    from .loader import load_spec

    return load_spec(source, spec_root=spec_root).document


def _run_diff(args: argparse.Namespace) -> int:
    from .diff import diff_specs, differences_json
    from .errors import SpecError

    try:
        old = _load_document(args.a, args.spec_root)
        new = _load_document(args.b, args.spec_root)
        differences = diff_specs(old, new)
    except (SpecError, OSError) as exc:
        return _error(str(exc))
    if args.json:
        print(differences_json(differences))
    else:
        for difference in differences:
            print(difference)
        if not differences:
            print("equivalent")
    return 1 if differences else 0


def script() -> NoReturn:
    """The `specloom` command (its console script, `python -m specloom`): `main`, and exit.

    After `generate`, the process ends without the interpreter's teardown, which frees the
    run's objects one by one (the loaded document, the IR, the module texts): ~0.5 s of CPU
    after a 1,000-operation run, for memory the process gives back at once. Every file was
    written and closed by then; the output streams are flushed first. The other commands
    (servers among them) exit as usual, and so does a run under a profiler or a tracer
    (`python -m cProfile -m specloom`, coverage), which writes what it found at exit.
    """
    parser = build_parser()
    args = parser.parse_args()
    code = _dispatch(parser, args)
    observed = sys.getprofile() is not None or sys.gettrace() is not None
    if args.command == "generate" and not args.version and not observed:
        with contextlib.suppress(OSError, ValueError):  # a closed or broken stream
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
    raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    parser = build_parser()
    return _dispatch(parser, parser.parse_args(argv))


def _dispatch(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from .serve import ServerMissing

    if args.version:
        from specloom import __version__

        print(f"specloom {__version__}")
        return 0
    try:
        if args.command == "generate":
            return _run_generate(args)
        if args.command == "diff":
            return _run_diff(args)
        if args.command == "dev":
            return _run_dev(args)
        if args.command == "serve":
            return _run_serve(args)
    except ServerMissing as exc:
        return _error(str(exc))
    except ImportError as exc:  # the generator extra is not installed
        return _error(f"{exc}; install the generator with: pip install 'specloom[generator]'")
    parser.print_help()
    return 0


if __name__ == "__main__":  # pragma: no cover
    script()
