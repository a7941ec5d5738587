"""Formatting of the rendered modules: ruff's formatter, with black for ruff's deviations.

Templates write code in black's style, one statement per line. ruff then drops the imports a
module does not use (F401), wraps imports as isort does at ruff's default line length (so the
package is clean under ruff's defaults as under a 100-column setting) and formats every module.
ruff is the formatter because of its speed: on Jira's generated package (2.3 MB) `ruff format`
takes 0.12 s of CPU and black 24.7 s, more than the whole generation. The package must also be
as black writes it (it is checked with `black --check`); ruff's style is black's but for
deviations it documents, three of which the generated code meets; Python's parser finds those
statements and black formats each alone (`_as_black`).

What no formatter does is write a token so that it fits: a string literal too long for its line
is cut into pieces (render/line_width.py), a name too long for its line is put in parentheses
that let it stand on a line of its own, and the module formatted again (`_fitted`).
"""

from __future__ import annotations

import ast
import bisect
import importlib
import itertools
import operator
import os
import re
import string
import subprocess
import tempfile
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .render.line_width import LINE_LENGTH, cut_literal, text_width

__all__ = ["FormattingError", "format_modules", "ruff_command"]

_FOLDER = "package"  # the modules are formatted in a folder of this name, as a package
_IMPORT_LENGTH = 88  # ruff's default: an import longer than this is wrapped, trailing comma kept
_TARGET = "py311"
_CUT_FROM = 40  # columns: a shorter literal fits wherever the formatter puts it
_ROOM_FLOOR = 20  # columns: no literal is cut into pieces narrower than this
_ROUNDS = 4  # fit and format again at most this often (once is the rule)
_TIMEOUT = 600  # seconds for one ruff run
_CODE = re.compile(
    # strings and comments first, in source order: a docstring's text is never read as code.
    # Every alternative starts with one of a few characters (a quote, `#`, a newline, `:`), so
    # the regex engine skips from one of them to the next instead of trying each position of
    # the module (a string's prefix letters are read before it: `_prefixed`); runs of plain
    # characters inside strings are taken whole (`++`).
    r'(?P<docstring>"""(?:[^"\\]++|\\[\s\S]|"(?!""))*+""")'
    r"|(?P<string>\"(?:[^\"\\\n]++|\\.)*+\"|'(?:[^'\\\n]++|\\.)*+')"
    r"|#[^\n]*"
    # lines (matched from the newline before them: `_line_start`):
    r"|\n(?:"
    # a parameter's annotation (a name) alone on its line, which parentheses would let split;
    # its default has no string, or one too short to cut (`_CUT_FROM`)
    r" +\w+: (?P<annotation>[A-Za-z_][\w.]*)(?=(?: = (?:[^\n\"']*|\"[^\"\\\n]{0,38}\"))?,?$)"
    # a dict entry's value (a name) alone on its line: `"application/json": m.Model,`
    r"| +(?:\"[^\"\n]*\"|\d+): (?P<value>[A-Za-z_][\w.]*)(?=,?$))"
    # the parentheses the renderer writes around every handler parameter's annotation
    r"|: \((?P<parenthesized>[A-Za-z_][\w.]*)\)",
    re.MULTILINE,
)
# what `_CODE`'s scan passes over before a token it is looked for: its strings, docstrings
# and comments taken whole as it takes them (a quote or `#` inside one starts nothing), the
# rest a run or a character at a time, in C. It never starts a string at `"""`: where a
# docstring runs past the end of the span scanned, it stops there (`_on_long_lines`).
_PASS = re.compile(
    r"(?:[^\"'#\n]++"
    r'|"""(?:[^"\\]++|\\[\s\S]|"(?!""))*+"""'
    r"|(?!\"\"\")\"(?:[^\"\\\n]++|\\.)*+\"|'(?:[^'\\\n]++|\\.)*+'"
    r"|#[^\n]*"
    r"|(?!\"\"\")[\s\S])*+"
)
_SPACES = re.compile(" *")
_OPENS = operator.methodcaller("endswith", "(")
_NON_SPACE = re.compile(r"\S")


class FormattingError(Exception):
    """ruff is missing or failed, or a rendered module is not valid Python."""


def ruff_command() -> list[str]:
    """The ruff executable installed with this Python (the `ruff` package's own finder)."""
    try:
        finder = importlib.import_module("ruff").find_ruff_bin
    except (ImportError, AttributeError):
        raise FormattingError(
            "ruff is not installed: it formats the generated code "
            "(pip install 'specloom[generator]')"
        ) from None
    try:
        return [os.fsdecode(finder())]
    except FileNotFoundError:
        raise FormattingError(
            "the ruff package is installed but its executable was not found: "
            "reinstall it (pip install --force-reinstall ruff)"
        ) from None


def format_modules(files: Mapping[str, str]) -> dict[str, str]:
    """Every `.py` file of `files` (relative path -> source) formatted; other files as given."""
    sources = {path: text for path, text in files.items() if path.endswith(".py")}
    if not sources:
        return dict(files)
    ruff = ruff_command()
    with tempfile.TemporaryDirectory(prefix="specloom-format-") as folder:
        root = Path(folder)
        for path, text in sources.items():
            target = root / _FOLDER / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_prepared(text), encoding="utf-8")
        relative = [f"{_FOLDER}/{path}" for path in sources]
        _ruff(ruff, root, ["check", "--select", "F401,I001", "--fix", "--exit-zero"], relative)
        _ruff(ruff, root, ["format"], relative)
        formatted = {path: _read(root / _FOLDER / path) for path in sources}
        formatted.update(_fitted(ruff, root, formatted))
    formatted = {path: _as_black(text) for path, text in formatted.items()}
    return {path: formatted.get(path, text) for path, text in files.items()}


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _ruff(ruff: list[str], root: Path, arguments: list[str], paths: list[str]) -> None:
    """ruff on `paths` (relative to `root`), with no configuration but ours."""
    length = _IMPORT_LENGTH if arguments[0] == "check" else LINE_LENGTH
    # not --quiet: that silences the errors too (what it prints otherwise is not read)
    settings = ["--isolated", "--no-cache", f"--line-length={length}"]
    command = [*ruff, *arguments, *settings, f"--target-version={_TARGET}", "--", *paths]
    try:
        run = subprocess.run(
            command, cwd=root, capture_output=True, text=True, timeout=_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FormattingError(f"ruff could not format the generated code ({exc})") from exc
    if run.returncode != 0:
        raise FormattingError(_failure(run.stderr or run.stdout, arguments[0]))


def _failure(output: str, step: str) -> str:
    """ruff's complaint, naming the package's files (a rendered module that does not parse)."""
    lines = [line.replace(f"{_FOLDER}/", "").strip() for line in output.splitlines()]
    errors = [line.removeprefix("error: ") for line in lines if line.startswith("error")]
    detail = "; ".join(errors or lines[:5]) or "no message"
    if any("parse" in error for error in errors):
        return f"internal error: a generated module is not valid Python: {detail}"
    return f"ruff {step} failed on the generated code: {detail}"


@dataclass
class _Fit:
    """What one module needs to fit the line length, found in its first formatting.

    `rooms`: where a literal too long for its line starts -> the width its pieces may take.
    `annotations`: where a parameter line or a dict entry starts whose annotation or value (a
    name) gets parentheses.
    """

    rooms: dict[int, int] = field(default_factory=dict)
    annotations: set[int] = field(default_factory=set)


def _fitted(ruff: list[str], root: Path, formatted: Mapping[str, str]) -> dict[str, str]:
    """The modules with lines too long because of a string or an annotation, made to fit.

    A string is cut into pieces on lines of their own; an annotation goes in parentheses that
    let it split (as black keeps them where they help). A piece still too long (the formatter
    put it deeper than foreseen) makes its literal's pieces narrower in the next round.
    """
    fits = {path: _fit(text) for path, text in formatted.items()}
    fits = {path: fit for path, fit in fits.items() if fit.rooms or fit.annotations}
    result: dict[str, str] = {}
    for _ in range(_ROUNDS):
        if not fits:
            break
        pieces: dict[str, dict[str, list[int]]] = {}  # path -> a piece -> its literals
        for path, fit in fits.items():
            text, pieces[path] = _apply(formatted[path], fit)
            (root / _FOLDER / path).write_text(text, encoding="utf-8")
        _ruff(ruff, root, ["format"], [f"{_FOLDER}/{path}" for path in fits])
        again: dict[str, _Fit] = {}
        for path, fit in fits.items():
            result[path] = _read(root / _FOLDER / path)
            narrower = _narrower(result[path], fit.rooms, pieces[path])
            if narrower and min(narrower.values()) >= _ROOM_FLOOR:
                again[path] = _Fit({**fit.rooms, **narrower}, fit.annotations)
        fits = again
    return result


def _long_lines(text: str) -> list[tuple[int, int]]:
    """Where each line over the limit starts, and by how many columns it is over."""
    found: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        if len(line) > LINE_LENGTH or not line.isascii():
            excess = text_width(line) - LINE_LENGTH
            if excess > 0:
                found.append((start, excess))
        start += len(line) + 1
    return found


def _excess(text: str, long_lines: list[tuple[int, int]], at: int) -> int:
    """How far the line holding position `at` is over the limit (0: it fits)."""
    index = bisect.bisect_right(long_lines, (at, LINE_LENGTH)) - 1
    if index < 0:
        return 0
    start, excess = long_lines[index]
    return excess if text.find("\n", start, at) == -1 else 0


def _line_start(match: re.Match[str]) -> int:
    """Where a token starts; a line's (an annotation, a dict value) is matched from the newline
    before it."""
    at = match.start()
    return at + 1 if match.group().startswith("\n") else at


def _prefixed(text: str, at: int) -> bool:
    """Whether the string starting at `at` has a prefix (`b"..."`, `rb"..."`, `f"..."`)."""
    return at > 0 and text[at - 1] in _LETTERS


_LETTERS = frozenset(string.ascii_letters)


def _on_long_lines(text: str, long_lines: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """The matches of `_CODE.finditer(text)` that start on a line of `long_lines` or at the
    newline before it, in order: the only ones whose line can be over the limit. The text
    between is passed over by `_PASS`, which keeps `_CODE`'s tokens whole, so the scan
    resumes where `_CODE`'s would be (a token never spans a newline but a docstring, and a
    docstring the pass reaches the end of the span in is resumed at its start)."""
    at = 0
    for start, _ in long_lines:
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        before = max(start - 1, 0)  # the newline an annotation's match starts at
        if at < before:
            at = _PASS.match(text, at, before).end()  # type: ignore[union-attr]
        for match in _CODE.finditer(text, at):
            if match.start() > end:
                at = match.start()
                break
            at = match.end()
            yield match
        else:
            return


def _fit(text: str) -> _Fit:
    fit = _Fit()
    long_lines = _long_lines(text)
    # lines whose annotation gets parentheses: their short default string is then not cut too
    # (with both, black would find the annotation's parentheses redundant and drop them)
    parenthesized: set[int] = set()
    for match in _on_long_lines(text, long_lines):
        literal = match.group("string")
        annotation = match.group("annotation") or match.group("value")
        if literal is None and annotation is None:
            continue  # a docstring or a comment: never cut
        at = _line_start(match)
        excess = _excess(text, long_lines, at)
        if not excess:
            continue
        start = text.rfind("\n", 0, at) + 1
        indent = _SPACES.match(text, start).end() - start  # type: ignore[union-attr]
        if annotation is not None:
            if indent + 4 + len(annotation) <= LINE_LENGTH:  # split, it fits: black's rule
                fit.annotations.add(match.start())
                parenthesized.add(start)
        elif not _prefixed(text, at) and start not in parenthesized:
            # a line of its own, indented; at least short enough for the line it is on
            room = min(LINE_LENGTH - indent - 4, text_width(literal) - excess)
            # a short one is cut only where it stands too deep to fit (an example's values)
            if text_width(literal) > _CUT_FROM or room >= _ROOM_FLOOR:
                fit.rooms[match.start()] = room
    return fit


def _apply(text: str, fit: _Fit) -> tuple[str, dict[str, list[int]]]:
    """`text` with the literals of `fit` cut into parenthesized pieces and its annotations
    parenthesized; and where the literal of each piece (by the piece's source) started."""
    pieces: dict[str, list[int]] = {}

    def apply(match: re.Match[str]) -> str:
        at = match.start()
        if at in fit.annotations:
            annotation = match.group("annotation") or match.group("value")
            return match.group()[: -len(annotation)] + f"({annotation})"
        if at not in fit.rooms:
            return match.group()
        parts = cut_literal(match.group("string"), fit.rooms[at])
        for part in parts:
            pieces.setdefault(part, []).append(at)
        if len(parts) == 1:
            return match.group()
        joined = " ".join(parts)
        # in an implicit concatenation already (black's output): no parentheses of its own
        after = _NON_SPACE.search(text, match.end())  # not a copy of the rest of the text
        beside = text[max(at - 200, 0) : at].rstrip()[-1:] + (after.group() if after else "")
        # the only argument of a call: the call's parentheses hold the pieces (UP034)
        alone = beside == "()"
        return joined if alone or any(quote in beside for quote in "\"'") else f"({joined})"

    # only the tokens `fit` names change: each is matched where `_fit` found it (`_CODE` at the
    # same start gives the same match), instead of a substitution over every token of the module
    out: list[str] = []
    end = 0
    for at in sorted({*fit.annotations, *fit.rooms}):
        match = _CODE.match(text, at)
        if match is None:  # not a position `_fit` found in this text
            continue
        out += (text[end:at], apply(match))
        end = match.end()
    out.append(text[end:])
    return "".join(out), pieces


def _narrower(
    text: str, rooms: Mapping[int, int], pieces: Mapping[str, list[int]]
) -> dict[int, int]:
    """Rooms for the literals whose pieces still stand on too long lines: narrower by the excess.

    A piece is known by its value: the formatter may have changed its quotes.
    """
    narrower: dict[int, int] = {}
    long_lines = _long_lines(text) if pieces else []
    values: dict[str, list[int]] | None = None
    for match in _on_long_lines(text, long_lines):
        piece = match.group("string")
        excess = _excess(text, long_lines, match.start()) if piece is not None else 0
        if excess <= 0 or _prefixed(text, match.start()):
            continue
        if values is None:
            values = {}
            for source, starts in pieces.items():
                values.setdefault(ast.literal_eval(source), []).extend(starts)
        for start in values.get(ast.literal_eval(piece), ()):
            room = min(rooms[start], text_width(piece)) - excess
            narrower[start] = min(narrower.get(start, room), room)
    return narrower


def _prepared(text: str) -> str:
    """The rendered module with what the formatters would disagree on written another way.

    The parentheses the renderer writes around annotations go (`_fit` puts them back where
    they help). Quotes ending a docstring, escaped (`\\"`), are written `\\x22`: black puts a
    space before the closing quotes there and ruff takes it away. The values are the same.
    """
    if ": (" not in text and '\\""""' not in text:
        return text
    return _CODE.sub(_prepared_token, text)


def _prepared_token(match: re.Match[str]) -> str:
    if match.group("parenthesized") is not None:
        return f": {match.group('parenthesized')}"
    docstring = match.group("docstring")
    if docstring is None or not docstring.endswith('\\""""'):
        return match.group()
    body, quotes = docstring[3:-3], 0
    while body.endswith('\\"', 0, len(body) - 2 * quotes):
        escapes = body[: len(body) - 2 * quotes - 1]
        if (len(escapes) - len(escapes.rstrip("\\"))) % 2 == 0:
            break  # the backslash is itself escaped: the quote is not
        quotes += 1
    return '"""' + body[: len(body) - 2 * quotes] + "\\x22" * quotes + '"""'


def _black_alone(source: str, indent: str, body: str = "") -> str:
    """`source` (one statement, or a compound statement's head with `body` as its body)
    formatted by black as it would be at `indent`, and indented there; without `body`.
    black is loaded only where a statement needs it."""
    import black

    mode = black.Mode(line_length=LINE_LENGTH - len(indent))
    formatted = black.format_str(textwrap.dedent(source) + "\n" + body, mode=mode)
    if body:
        formatted = formatted[: formatted.rindex("\n" + body)]
    else:
        fit = _fit(formatted)  # strings cut again where they now stand deeper
        if fit.rooms:
            formatted = black.format_str(_apply(formatted, fit)[0], mode=mode)
        formatted = formatted[:-1]
    return textwrap.indent(formatted, indent)


# a def whose return annotation ruff split inside its brackets: `) -> Annotated[` ending a line
_SPLIT_RETURN = re.compile(r"\) -> [A-Za-z_][\w.]*\[$", re.MULTILINE)
_PIECE = re.compile(r"""(?P<indent> +)(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')""")
_BODY = "    pass\n"  # what a compound statement's head is formatted with


def _as_black(text: str) -> str:
    """The module with the statements ruff lays out otherwise than black formatted by black.

    ruff documents where its style deviates from black's; the generated code meets three of
    those deviations: an assignment whose first line ruff leaves too long (black puts the value
    or the annotation in parentheses), a return annotation ruff splits inside its brackets
    (black parenthesizes it whole), and string pieces ruff keeps a line each for where black
    writes them on one line (pieces ruff cannot join into one literal). Python's parser finds
    each such statement, or compound statement's head; black formats it alone, at its
    indentation. The rest is ruff's, which is black's.
    """
    lines = text.split("\n")
    long_lines = [
        n
        for n, line in enumerate(lines, 1)
        if (len(line) > LINE_LENGTH or not line.isascii()) and text_width(line) > LINE_LENGTH
    ]
    pieces = _joinable_pieces(lines)
    if not long_lines and not pieces and _SPLIT_RETURN.search(text) is None:
        return text
    spans = _black_spans(ast.parse(text), set(long_lines), pieces)
    out: list[str] = []
    done = 0  # lines before this one are in `out`
    for first, last, body in spans:
        if first <= done:
            continue  # inside a statement black already formatted
        source = "\n".join(lines[first - 1 : last])
        indent = source[: len(source) - len(source.lstrip(" "))]
        out += lines[done : first - 1]
        out.append(_black_alone(source, indent, _BODY if body else ""))
        done = last
    return "\n".join(out + lines[done:])


def _joinable_pieces(lines: list[str]) -> list[int]:
    """The first lines of string pieces, alone in their parentheses, a line each, that fit one
    line together."""
    found: list[int] = []
    index = 0  # the lines before it are looked at
    # the lines ending with `(`, found in C (a Python step a line was 3% of a large run)
    for opening in itertools.compress(itertools.count(), map(_OPENS, lines)):
        if opening < index:
            continue  # a piece of the group before
        index = opening + 1
        group: list[str] = []
        indent = ""
        width = 0  # of the pieces joined by spaces, at their indentation
        while index + len(group) < len(lines) and width <= LINE_LENGTH:
            match = _PIECE.fullmatch(lines[index + len(group)])
            if match is None or (group and match.group("indent") != indent):
                break
            indent = match.group("indent")
            piece = match.group().strip()
            group.append(piece)
            width += text_width(piece) + (1 if len(group) > 1 else len(indent))
        # a group already too wide is passed over: the lines after it are its pieces (none
        # ends with `(`), so the next opening is found past them (a long example's literal is
        # thousands of pieces, each read before)
        closing = lines[index + len(group)] if index + len(group) < len(lines) else ""
        if len(group) > 1 and closing.lstrip().startswith(")") and width <= LINE_LENGTH:
            found.append(index + 1)  # 1-based
        index += len(group)
    return found


def _black_spans(
    tree: ast.Module, long_lines: set[int], pieces: list[int]
) -> list[tuple[int, int, bool]]:
    """(first line, last line, whether it is a compound statement's head) of each statement
    black is to format, in order; a compound head is its decorators to the line ending `:`."""
    spans: list[tuple[int, int, bool]] = []

    def holds_pieces(after: int, last: int) -> bool:  # pieces start on a line in (after, last]
        index = bisect.bisect_right(pieces, after)
        return index < len(pieces) and pieces[index] <= last

    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        end = node.end_lineno or node.lineno
        body: list[ast.stmt] | None = getattr(node, "body", None)
        if not body:
            hits = node.lineno in long_lines and isinstance(node, ast.AnnAssign | ast.Assign)
            if hits or holds_pieces(node.lineno, end):
                spans.append((node.lineno, end, False))
            continue
        decorators: list[ast.expr] = getattr(node, "decorator_list", [])
        first = min([node.lineno, *(decorator.lineno for decorator in decorators)])
        last = body[0].lineno - 1  # the head: what stands before the body
        if last < first:
            continue  # the body on the head's line (`class C: pass`): no generated shape
        returns = getattr(node, "returns", None)
        split = returns is not None and returns.lineno != returns.end_lineno
        if split or holds_pieces(first, last):
            spans.append((first, last, True))
    return sorted(spans)
