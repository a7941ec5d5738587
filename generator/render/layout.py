"""Line layout for the code specloom renders: black's output, without running black.

Renderers write every statement on one line, spaced and quoted as black would. Statements
that fit are already black's output. Longer ones are split here by the same rules black's
line generator applies (right-hand split, optional parentheses, delimiter split, magic
trailing commas, and black's second pass), restricted to the expression forms the renderers
produce: names, attributes, calls, subscripts, list/dict literals, strings, numbers, `|`
unions, keyword arguments, annotations, `def`/`class` headers, decorators and `return`.

A statement outside that set (or one whose result black could still change) is reported as
`None`; the caller formats that statement with black itself. The test suite compares this
module with black on every generated file of the corpus and on random statements.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import partial

__all__ = [
    "LINE_LENGTH",
    "format_module",
    "layout_statement",
    "normalize_docstring",
    "normalize_strings",
    "prefer_double_quotes",
    "text_width",
]

LINE_LENGTH = 100

# token types
NAME, NUMBER, STRING, OP, LPAR, RPAR, LSQB, RSQB, LBRACE, RBRACE = range(10)
COMMA, VBAR, EQUAL, COLON, DOT, RARROW, STAR, DSTAR, MINUS, AT = range(10, 20)
OPENING = frozenset((LPAR, LSQB, LBRACE))
CLOSING = frozenset((RPAR, RSQB, RBRACE))
BRACKETS = OPENING | CLOSING
_CLOSER = {LPAR: RPAR, LSQB: RSQB, LBRACE: RBRACE}
_OPS = {
    "(": LPAR,
    ")": RPAR,
    "[": LSQB,
    "]": RSQB,
    "{": LBRACE,
    "}": RBRACE,
    ",": COMMA,
    "|": VBAR,
    "=": EQUAL,
    ":": COLON,
    ".": DOT,
    "->": RARROW,
    "*": STAR,
    "**": DSTAR,
    "-": MINUS,
    "@": AT,
}
COMMA_PRIORITY = 18
STRING_PRIORITY = 12
VBAR_PRIORITY = 9

PARAMETER_ANNOTATION, RETURN_ANNOTATION = 1, 2
# what an opening bracket belongs to (black: the parent node's type)
ATOM, CALL, SUBSCRIPT, PARAMS, BASES = range(5)

_TOKEN = re.compile(
    r"""(?P<ws>[ ]*)(?P<tok>
        [rRbBuU]?(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?
      | [A-Za-z_][A-Za-z_0-9]*
      | ->|\*\*|[()\[\]{},|=:.*@-]
    )""",
    re.VERBOSE,
)
_KEYWORDS_UNSUPPORTED = frozenset(
    (
        *("lambda", "for", "if", "else", "and", "or", "not", "in", "is", "yield", "with"),
        *("while", "try", "except", "import", "from", "del", "global", "nonlocal", "assert"),
        *("raise", "pass", "break", "continue"),
    )
)


_NOT_CALLABLE = frozenset(("return", "def", "class", "await", "async"))


class Unsupported(Exception):
    """A statement this module does not lay out: the caller uses black for it."""


class CannotSplit(Exception):
    pass


class Leaf:
    __slots__ = ("annotation", "depth", "invisible", "kind", "opening", "type", "value", "ws")

    def __init__(self, type_: int, value: str, ws: str) -> None:
        self.type = type_
        self.value = value
        self.ws = ws  # the whitespace black puts before this leaf inside a line
        self.opening: Leaf | None = None  # for a closing bracket: its opening one
        self.kind = ATOM  # for brackets: what they belong to; for commas: the enclosing bracket's
        self.annotation = 0  # part of a parameter or return annotation
        self.depth = 0  # bracket depth, as the last tracking line saw it
        self.invisible = False  # an optional parenthesis black added

    def copy(self) -> Leaf:
        leaf = Leaf(self.type, self.value, self.ws)
        leaf.kind, leaf.annotation, leaf.invisible = self.kind, self.annotation, self.invisible
        return leaf

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Leaf({self.type}, {self.value!r})"


def _tokenize(text: str) -> list[Leaf]:
    leaves: list[Leaf] = []
    position = 0
    stack: list[Leaf] = []
    for match in _TOKEN.finditer(text):
        if match.start() != position:
            raise Unsupported(f"unexpected text at {position}")
        position = match.end()
        ws, tok = match.group("ws"), match.group("tok")
        first = tok[0]
        if first.isdigit() or (first == "." and len(tok) > 1):
            leaf = Leaf(NUMBER, tok, ws)
        elif first == "'" or first == '"' or (tok[-1] in "'\"" and len(tok) > 1):
            leaf = Leaf(STRING, tok, ws)
        elif first.isalpha() or first == "_":
            if tok in _KEYWORDS_UNSUPPORTED:
                raise Unsupported(tok)
            leaf = Leaf(NAME, tok, ws)
        else:
            leaf = Leaf(_OPS[tok], tok, ws)
        if leaf.type in OPENING:
            stack.append(leaf)
        elif leaf.type in CLOSING:
            if not stack or _CLOSER[stack[-1].type] != leaf.type:
                raise Unsupported("unbalanced brackets")
            leaf.opening = stack.pop()
        leaves.append(leaf)
    if position != len(text.rstrip(" ")) or stack or not leaves:
        raise Unsupported("not one whole statement")
    return leaves


def _invisible_pair(ws: str) -> tuple[Leaf, Leaf]:
    lpar, rpar = Leaf(LPAR, "", ws), Leaf(RPAR, "", "")
    lpar.invisible = rpar.invisible = True
    rpar.opening = lpar
    return lpar, rpar


def _wrap(leaves: list[Leaf], start: int, end: int) -> int:
    """Wrap leaves[start:end] in optional parentheses (black's invisible parens).

    A child already in redundant parentheses gets those made optional instead. Returns the
    new end index.
    """
    if start >= end:
        raise Unsupported("empty child")
    first, last = leaves[start], leaves[end - 1]
    if first.type == LPAR and last.type == RPAR and last.opening is first:
        depth = 0
        for leaf in leaves[start + 1 : end - 1]:
            if leaf.type in OPENING:
                depth += 1
            elif leaf.type in CLOSING:
                depth -= 1
            elif depth == 0 and leaf.type == COMMA:
                return end  # a tuple: black keeps its parentheses (they are not redundant)
        first.value = last.value = ""
        first.invisible = last.invisible = True
        first.kind = last.kind = ATOM
        return end
    lpar, rpar = _invisible_pair(first.ws)
    first.ws = ""
    leaves.insert(end, rpar)
    leaves.insert(start, lpar)
    return end + 2


def _classify(leaves: list[Leaf]) -> None:
    """Bracket kinds (call, subscript, parameters, bases, atom) and comma owners."""
    stack: list[Leaf] = []
    previous: Leaf | None = None
    head = leaves[0].value
    at = 2
    if head == "async" and len(leaves) > 1:
        head, at = leaves[1].value, 3
    for index, leaf in enumerate(leaves):
        if leaf.type in OPENING:
            if leaf.invisible:
                leaf.kind = ATOM
            elif head == "def" and not stack and index == at:
                leaf.kind = PARAMS
            elif head == "class" and not stack and index == at:
                leaf.kind = BASES
            elif (
                leaf.type != LBRACE
                and previous is not None
                and (
                    (previous.type == NAME and previous.value not in _NOT_CALLABLE)
                    or previous.type in CLOSING
                    or previous.type == STRING
                )
            ):
                leaf.kind = CALL if leaf.type == LPAR else SUBSCRIPT
            else:
                leaf.kind = ATOM
            stack.append(leaf)
        elif leaf.type in CLOSING:
            stack.pop()
            assert leaf.opening is not None
            leaf.kind = leaf.opening.kind
        elif leaf.type == COMMA:
            leaf.kind = stack[-1].kind if stack else ATOM
        elif (
            leaf.type in (STAR, DSTAR)
            and stack
            and stack[-1].kind in (CALL, PARAMS)
            and previous is not None
            and previous.type in (COMMA, LPAR)
        ):
            raise Unsupported("star arguments")
        if not leaf.invisible:
            previous = leaf


def _prepare(text: str) -> list[Leaf]:
    """Tokens of one statement, with black's optional parentheses added."""
    leaves = _tokenize(text)
    head = leaves[0]
    if head.type == AT:
        _check_decorator(leaves)  # decorators get no optional parentheses
    elif head.value == "def":
        _prepare_def(leaves, 0)
    elif head.value == "async" and len(leaves) > 1 and leaves[1].value == "def":
        _prepare_def(leaves, 1)
    elif head.value == "class":
        pass
    elif head.value == "return":
        _wrap(leaves, 1, len(leaves))
    elif head.type == NAME:
        _prepare_assignment(leaves)
    else:
        raise Unsupported("statement kind")
    _classify(leaves)
    return leaves


def _check_decorator(leaves: list[Leaf]) -> None:
    """Only `@name.name(...)` decorators: black treats other expressions differently."""
    index = 1
    while True:
        if index >= len(leaves) or leaves[index].type != NAME:
            raise Unsupported("decorator")
        index += 1
        if index < len(leaves) and leaves[index].type == DOT:
            index += 1
            continue
        break
    if index == len(leaves):
        return
    if leaves[index].type != LPAR or leaves[-1].opening is not leaves[index]:
        raise Unsupported("decorator")


def _depth0(leaves: Sequence[Leaf], types: frozenset[int]) -> list[int]:
    depth = 0
    found = []
    for index, leaf in enumerate(leaves):
        if leaf.type in OPENING:
            depth += 1
        elif leaf.type in CLOSING:
            depth -= 1
        elif depth == 0 and leaf.type in types:
            found.append(index)
    return found


_ASSIGN = frozenset((EQUAL, COLON))


def _prepare_assignment(leaves: list[Leaf]) -> None:
    marks = _depth0(leaves, _ASSIGN)
    if not marks:
        if len(leaves) > 1 and any(leaf.type in BRACKETS for leaf in leaves):
            return  # an expression statement (a call)
        raise Unsupported("statement kind")
    if leaves[marks[0]].type == COLON and marks[0] != 1:
        raise Unsupported("complex annotation target")
    # children after ':' and each '=' get optional parentheses, from the right
    ends = [*marks[1:], len(leaves)]
    for mark, end in reversed(list(zip(marks, ends, strict=True))):
        _wrap(leaves, mark + 1, end)


def _prepare_def(leaves: list[Leaf], at: int) -> None:
    if len(leaves) < at + 4 or leaves[at + 1].type != NAME or leaves[at + 2].type != LPAR:
        raise Unsupported("def header")
    close = next(i for i, leaf in enumerate(leaves) if leaf.opening is leaves[at + 2])
    if leaves[-1].type != COLON:
        raise Unsupported("def header")
    # the return annotation
    if leaves[close + 1].type == RARROW:
        for leaf in leaves[close + 2 : len(leaves) - 1]:
            leaf.annotation = RETURN_ANNOTATION
        _wrap(leaves, close + 2, len(leaves) - 1)
    elif close + 2 != len(leaves):
        raise Unsupported("def header")
    # parameter annotations, right to left so indexes stay valid
    depth = 0
    params: list[tuple[int, int]] = []
    start = at + 3
    for index in range(at + 3, close + 1):
        leaf = leaves[index]
        if leaf.type in OPENING:
            depth += 1
        elif leaf.type in CLOSING and index != close:
            depth -= 1
        elif depth == 0 and (leaf.type == COMMA or index == close):
            if index > start:
                params.append((start, index))
            start = index + 1
    for start, end in reversed(params):
        if leaves[start].type in (STAR, DSTAR) or leaves[start].type != NAME:
            raise Unsupported("parameter kind")
        if end - start >= 3 and leaves[start + 1].type == COLON:
            stop = next((i for i in _depth0(leaves[start + 2 : end], frozenset((EQUAL,)))), None)
            ann_end = start + 2 + stop if stop is not None else end
            for leaf in leaves[start + 2 : ann_end]:
                leaf.annotation = PARAMETER_ANNOTATION
            # black's visit_tname: optional parentheses around a parenthesized annotation
            # (made optional) or a `|` union, none around any other annotation
            first, last = leaves[start + 2], leaves[ann_end - 1]
            if last.opening is first and first.type == LPAR:
                _wrap(leaves, start + 2, ann_end)
            elif last.opening is first:
                raise Unsupported("bracket atom annotation")
            elif _depth0(leaves[start + 2 : ann_end], frozenset((VBAR,))):
                _wrap(leaves, start + 2, ann_end)


class Line:
    __slots__ = (
        "delimiters",
        "depth",
        "inside",
        "invisible",
        "leaves",
        "magic",
        "should_split_rhs",
        "tracked",
    )

    def __init__(
        self, leaves: list[Leaf], depth: int, *, inside: bool = False, tracked: object = True
    ) -> None:
        self.leaves = leaves
        self.depth = depth
        self.inside = inside
        self.should_split_rhs = False
        self.tracked = tracked  # True, False, or a set of leaf ids (a head line)
        self.delimiters: dict[int, int] = {}
        self.magic: Leaf | None = None
        self.invisible: list[Leaf] = []
        self._track()

    def _track(self) -> None:
        tracked = self.tracked
        if tracked is False:
            return
        depth = 0
        previous: Leaf | None = None
        seen: list[Leaf] = []
        for leaf in self.leaves:
            if tracked is True or id(leaf) in tracked:  # type: ignore[operator]
                if leaf.type in CLOSING:
                    depth -= 1
                leaf.depth = depth
                if depth == 0:
                    if leaf.type == STRING and previous is not None and previous.type == STRING:
                        self.delimiters[id(previous)] = STRING_PRIORITY  # implicit concatenation
                    if leaf.type == VBAR and previous is not None:
                        self.delimiters[id(previous)] = max(
                            self.delimiters.get(id(previous), 0), VBAR_PRIORITY
                        )
                    if leaf.type == COMMA:
                        self.delimiters[id(leaf)] = COMMA_PRIORITY
                if leaf.type in OPENING:
                    depth += 1
                if not leaf.value and (leaf.type == LPAR or leaf.type == RPAR):
                    self.invisible.append(leaf)
                if leaf.type in CLOSING and _has_magic_trailing_comma(seen, leaf):
                    self.magic = leaf
                previous = leaf
            seen.append(leaf)

    def __str__(self) -> str:
        return self.text()

    def text(self) -> str:
        # not cached: optional parentheses turn visible while lines are split
        leaves = self.leaves
        return (
            "    " * self.depth
            + leaves[0].value
            + "".join([leaf.ws + leaf.value for leaf in leaves[1:]])
        )

    @property
    def is_def(self) -> bool:
        leaves = self.leaves
        if not leaves:
            return False
        first = leaves[0]
        if first.type == NAME and first.value == "def":
            return True
        return first.value == "async" and len(leaves) > 1 and leaves[1].value == "def"


def text_width(text: str) -> int:
    """Columns, as black counts them (East Asian wide characters take two)."""
    if text.isascii():
        return len(text)
    from black.strings import str_width  # black's own table; loaded only for such text

    return str_width(text)


def _short(line: Line, length: int = LINE_LENGTH) -> bool:
    return text_width(line.text()) <= length


def _one_sequence(opening: Leaf, closing: Leaf, leaves: Sequence[Leaf], bracket: int) -> bool:
    if opening.type != bracket or closing.type != _CLOSER[bracket]:
        return False
    try:
        start = next(i for i, leaf in enumerate(leaves) if leaf is opening)
    except StopIteration:
        return False
    depth = closing.depth + 1
    commas = 0
    for leaf in leaves[start + 1 :]:
        if leaf is closing:
            break
        if leaf.depth == depth and leaf.type == COMMA:
            commas += 1
            if leaf.kind in (CALL, PARAMS, BASES):
                commas += 1
                break
    return commas < 2


def _has_magic_trailing_comma(leaves: Sequence[Leaf], closing: Leaf) -> bool:
    if not leaves or leaves[-1].type != COMMA:
        return False
    if closing.type == RBRACE:
        return True
    opening = closing.opening
    if closing.type == RSQB:
        if closing.kind == SUBSCRIPT and opening is not None:
            return not _one_sequence(opening, closing, leaves, LSQB)
        return True
    return opening is not None and not _one_sequence(opening, closing, leaves, LPAR)


def _inside_matching(leaves: Sequence[Leaf]) -> set[int]:
    ids: set[int] = set()
    stack: list[tuple[int, list[int]]] = []
    started = False
    for leaf in leaves:
        if leaf.type in OPENING:
            started = True
            stack.append((_CLOSER[leaf.type], [id(leaf)]))
        elif not started:
            continue
        elif leaf.type in CLOSING:
            if stack and leaf.type == stack[-1][0]:
                _, level = stack.pop()
                level.append(id(leaf))
                ids.update(level)
                if stack:
                    stack[-1][1].extend(level)
        elif stack:
            stack[-1][1].append(id(leaf))
    return ids


HEAD, BODY, TAIL = range(3)


def _build(leaves: list[Leaf], original: Line, opening: Leaf, component: int) -> Line:
    if component == BODY:
        if _ensure_trailing_comma(leaves, original, opening):
            comma = Leaf(COMMA, ",", "")
            comma.kind = opening.kind
            leaves = [*leaves, comma]
        result = Line(leaves, original.depth + 1, inside=True, tracked=True)
        if _should_split_line(result, opening):
            result.should_split_rhs = True
        return result
    if component == HEAD:
        return Line(leaves, original.depth, tracked=_inside_matching(leaves))
    return Line(leaves, original.depth, tracked=False)


def _ensure_trailing_comma(leaves: Sequence[Leaf], original: Line, opening: Leaf) -> bool:
    if not leaves or not original.is_def or opening.value != "(":
        return False
    if any(leaf.type == COMMA and not leaf.annotation for leaf in leaves):
        return False
    return leaves[0].annotation != RETURN_ANNOTATION  # none in a return annotation


def _should_split_line(line: Line, opening: Leaf) -> bool:
    if opening.value not in "[{(":
        return False
    leaves = line.leaves
    if not leaves:
        return False
    trailing = leaves[-1].type == COMMA
    priorities = [
        p for key, p in line.delimiters.items() if not (trailing and key == id(leaves[-1]))
    ]
    if not priorities:
        return False
    return max(priorities) == COMMA_PRIORITY and (trailing or opening.kind == ATOM)


def _bracket_split_ok(body: Line | None, tail: Line) -> None:
    if body is None:
        tail_len = len(tail.text().strip()) if tail.leaves else 0
        if tail_len == 0:
            raise CannotSplit("same line")
        if tail_len < 3:
            raise CannotSplit("not worth it")


class RHS:
    __slots__ = ("body", "closing", "head", "opening", "tail")

    def __init__(self, head: Line, body: Line, tail: Line, opening: Leaf, closing: Leaf):
        self.head, self.body, self.tail = head, body, tail
        self.opening, self.closing = opening, closing


def _first_rhs(line: Line, omit: frozenset[int] | set[int] = frozenset()) -> RHS:
    tail_leaves: list[Leaf] = []
    body_leaves: list[Leaf] = []
    head_leaves: list[Leaf] = []
    current = tail_leaves
    opening: Leaf | None = None
    closing: Leaf | None = None
    for leaf in reversed(line.leaves):
        if current is body_leaves and leaf is opening:
            current = head_leaves if body_leaves else tail_leaves
        current.append(leaf)
        if current is tail_leaves and leaf.type in CLOSING and id(leaf) not in omit:
            opening = leaf.opening
            closing = leaf
            current = body_leaves
    if not (opening and closing and head_leaves):
        raise CannotSplit("no brackets")
    tail_leaves.reverse()
    body_leaves.reverse()
    head_leaves.reverse()
    head = _build(head_leaves, line, opening, HEAD)
    body = _build(body_leaves, line, opening, BODY) if body_leaves else None
    tail = _build(tail_leaves, line, opening, TAIL)
    _bracket_split_ok(body, tail)
    assert body is not None
    return RHS(head, body, tail, opening, closing)


def _can_be_split(line: Line) -> bool:
    leaves = line.leaves
    if len(leaves) < 2:
        return False
    if leaves[0].type == STRING and leaves[1].type == DOT:
        raise Unsupported("string method call")
    return True


def _max_priority(line: Line) -> tuple[int, int]:
    if not line.delimiters:
        return 0, 0
    top = max(line.delimiters.values())
    return top, sum(1 for p in line.delimiters.values() if p == top)


def _can_omit_invisible_parens(rhs: RHS) -> bool:
    line = rhs.body
    if not line.delimiters:
        return True
    _, count = _max_priority(line)
    if count > 1:
        return False
    first, second = line.leaves[0], line.leaves[1]
    if (
        first.type in OPENING
        and second.type not in CLOSING
        and _can_omit_opening_paren(line, first)
    ):
        return True
    penultimate, last = line.leaves[-2], line.leaves[-1]
    if (
        last.type == RPAR
        or last.type == RBRACE
        or (last.type == RSQB and last.kind != SUBSCRIPT and last.kind != CALL)
    ):
        if penultimate.type in OPENING:
            return False
        if _can_omit_closing_paren(line, last):
            return True
    return False


def _leaf_lengths(line: Line) -> Iterator[tuple[int, Leaf, int]]:
    for index, leaf in enumerate(line.leaves):
        yield index, leaf, (0 if index == 0 else len(leaf.ws)) + len(leaf.value)


def _can_omit_opening_paren(line: Line, first: Leaf) -> bool:
    """Whatever follows the bracket `first` opens fits the line (or splits at a bracket)."""
    remainder = False
    length = 4 * line.depth
    for _, leaf, leaf_length in _leaf_lengths(line):
        if leaf.type in CLOSING and leaf.opening is first:
            remainder = True
        if remainder:
            length += leaf_length
            if length > LINE_LENGTH:
                return False
            if leaf.type in OPENING:
                remainder = False
    return bool(line.leaves)


def _can_omit_closing_paren(line: Line, last: Leaf) -> bool:
    length = 4 * line.depth
    seen_other_brackets = False
    for _, leaf, leaf_length in _leaf_lengths(line):
        length += leaf_length
        if leaf is last.opening:
            if seen_other_brackets or length <= LINE_LENGTH:
                return True
        elif leaf.type in OPENING:
            seen_other_brackets = True
    return False


def _prefer_rhs_oop(rhs_oop: RHS, rhs: RHS) -> bool:
    head = rhs.head.leaves
    if not (len(head) >= 2 and head[-2].type == EQUAL):
        return True
    if not any(leaf.type in BRACKETS for leaf in head[:-1]):
        return True
    if not _short(rhs.head, LINE_LENGTH - 1):
        return True
    if rhs.head.magic is not None:
        return True
    rhs_equals = sum(1 for leaf in head if leaf.type == EQUAL)
    oop_equals = sum(1 for leaf in rhs_oop.head.leaves if leaf.type == EQUAL)
    if rhs_equals > 1 and rhs_equals > oop_equals:
        return False
    has_closing_bracket_after_assign = False
    for leaf in reversed(rhs_oop.head.leaves):
        if leaf.type == EQUAL:
            break
        if leaf.type in CLOSING:
            has_closing_bracket_after_assign = True
            break
    return has_closing_bracket_after_assign or (
        any(leaf.type == EQUAL for leaf in rhs_oop.head.leaves) and _short(rhs_oop.head)
    )


def _ensure_visible(leaf: Leaf) -> None:
    if leaf.type == LPAR and not leaf.value:
        leaf.value = "("
    elif leaf.type == RPAR and not leaf.value:
        leaf.value = ")"


def _maybe_split_oop(
    rhs: RHS, line: Line, force: bool, omit: frozenset[int] | set[int]
) -> list[Line]:
    if (
        not force
        and rhs.opening.type == LPAR
        and not rhs.opening.value
        and rhs.closing.type == RPAR
        and not rhs.closing.value
        and _can_omit_invisible_parens(rhs)
    ):
        omit = {id(rhs.closing), *omit}
        try:
            rhs_oop = _first_rhs(line, omit)
            if _prefer_rhs_oop(rhs_oop, rhs):
                return _maybe_split_oop(rhs_oop, line, force, omit)
        except CannotSplit:
            chained = sum(1 for leaf in line.leaves if leaf.type == EQUAL) > 1
            if chained:
                pass
            elif not _can_be_split(rhs.body) and not _short(rhs.body):
                raise
    _ensure_visible(rhs.opening)
    _ensure_visible(rhs.closing)
    return [part for part in (rhs.head, rhs.body, rhs.tail) if part.leaves]


def _rhs(line: Line, force: bool, omit: frozenset[int] | set[int] = frozenset()) -> list[Line]:
    return _maybe_split_oop(_first_rhs(line, omit), line, force, omit)


def _exploding(leaves: Sequence[Leaf], index: int) -> bool:
    """The closing bracket at `index` follows a trailing comma: black never omits that pair."""
    leaf = leaves[index]
    previous = leaves[index - 1] if index > 0 else None
    return (
        previous is not None
        and previous.type == COMMA
        and leaf.opening is not None
        and not _one_sequence(leaf.opening, leaf, leaves, LPAR)
    )


def _trailers_to_omit(line: Line) -> Iterator[set[int]]:
    omit: set[int] = set()
    if line.magic is None:
        yield omit
    length = 4 * line.depth
    opening: Leaf | None = None
    closing: Leaf | None = None
    inner: set[int] = set()
    leaves = line.leaves
    for index in range(len(leaves) - 1, -1, -1):
        leaf = leaves[index]
        length += (0 if index == 0 else len(leaf.ws)) + len(leaf.value)
        if length > LINE_LENGTH:
            break
        if opening is not None:
            if leaf is opening:
                opening = None
            elif leaf.type in CLOSING:
                if _exploding(leaves, index):
                    break
                inner.add(id(leaf))
        elif leaf.type in CLOSING:
            prev = leaves[index - 1] if index > 0 else None
            if prev is not None and prev.type in OPENING:
                inner.add(id(leaf))
                continue
            if closing is not None:
                omit.add(id(closing))
                omit.update(inner)
                inner.clear()
                yield omit
            if _exploding(leaves, index):
                break
            if leaf.value:
                opening = leaf.opening
                closing = leaf


def _rhs_with_omits(line: Line, force: bool) -> list[Line]:
    prefix_lengths: dict[int, int] = {}
    current = 4 * line.depth
    for index, leaf in enumerate(line.leaves):
        prefix_lengths[id(leaf)] = current
        current += (0 if index == 0 else len(leaf.ws)) + len(leaf.value)
    first_lines: list[Line] | None = None
    for omit in _trailers_to_omit(line):
        if omit:
            target: Leaf | None = None
            for leaf in reversed(line.leaves):
                if leaf.type in CLOSING and id(leaf) not in omit:
                    target = leaf.opening
                    break
            if (
                target is not None
                and target.value
                and prefix_lengths.get(id(target), 0) > LINE_LENGTH
            ):
                continue
        lines = _rhs(line, force, frozenset(omit))
        if first_lines is None and not omit:
            first_lines = lines
        if _short(lines[0]):
            return lines
    if first_lines is not None:
        return first_lines
    return _rhs(line, force)


def _delimiter_split(line: Line, force: bool) -> list[Line]:
    leaves = line.leaves
    if not leaves:
        raise CannotSplit("empty")
    last = leaves[-1]
    priorities = [p for key, p in line.delimiters.items() if key != id(last)]
    if not priorities:
        raise CannotSplit("no delimiters")
    priority = max(priorities)
    result: list[Line] = []
    current: list[Leaf] = []
    for leaf in leaves:
        current.append(leaf)
        if line.delimiters.get(id(leaf)) == priority:
            result.append(Line(current, line.depth, inside=line.inside))
            current = []
    if current:
        if priority == COMMA_PRIORITY and current[-1].type != COMMA:
            comma = Leaf(COMMA, ",", "")
            comma.kind = _enclosing_kind(line, current[-1])
            current.append(comma)
        result.append(Line(current, line.depth, inside=line.inside))
    return result


def _enclosing_kind(line: Line, leaf: Leaf) -> int:
    # the comma black adds belongs where the line's other commas do
    for other in line.leaves:
        if other.type == COMMA and other.depth == leaf.depth:
            return other.kind
    return ATOM


def _lhs(line: Line, force: bool) -> list[Line]:
    for bracket in (LPAR, LSQB):
        head: list[Leaf] = []
        body: list[Leaf] = []
        tail: list[Leaf] = []
        current = head
        matching: Leaf | None = None
        for index, leaf in enumerate(line.leaves):
            if index == 2 and leaf.type == LSQB:
                raise Unsupported("type parameters")
            if current is body and leaf.type in CLOSING and leaf.opening is matching:
                _ensure_visible(leaf)
                if matching is not None:
                    _ensure_visible(matching)
                current = tail if body else head
            current.append(leaf)
            if current is head and leaf.type == bracket:
                matching = leaf
                current = body
        if matching is not None and tail:
            break
    if matching is None or not tail:
        raise CannotSplit("no brackets")
    head_line = _build(head, line, matching, HEAD)
    body_line = _build(body, line, matching, BODY) if body else None
    tail_line = _build(tail, line, matching, TAIL)
    _bracket_split_ok(body_line, tail_line)
    return [part for part in (head_line, body_line, tail_line) if part is not None and part.leaves]


def _split_funcdef_with_rhs(line: Line) -> bool:
    """black: a magic trailing comma in the return annotation splits a def on the right."""
    returns: list[Leaf] = []
    inside = False
    for leaf in line.leaves:
        if leaf.type == COLON:
            inside = False
        if inside:
            returns.append(leaf)
        if leaf.type == RARROW:
            inside = True
    result = Line(returns, line.depth, tracked=_inside_matching(returns))
    first = next((leaf for leaf in returns if leaf.value), None)
    return result.magic is not None or (
        first is not None and first.type == STRING and not _short(result)
    )


def _transform(line: Line, force: bool) -> list[Line]:
    line_str = line.text()
    if not line.should_split_rhs and line.magic is None and text_width(line_str) <= LINE_LENGTH:
        return [line]
    if line.is_def and not _split_funcdef_with_rhs(line):
        transformers = [_lhs]
    elif line.inside:
        transformers = [_delimiter_split, _rhs_with_omits]
    else:
        transformers = [_rhs_with_omits]
    for transform in transformers:
        try:
            return _run(line, transform, force, line_str)
        except CannotSplit:
            continue
    return [line]


def _run(line: Line, transform: object, force: bool, line_str: str) -> list[Line]:
    result: list[Line] = []
    for produced in transform(line, force):  # type: ignore[operator]
        if produced.text() == line_str:
            raise CannotSplit("unchanged")
        result.extend(_transform(produced, force))
    optional = [leaf for leaf in line.invisible if leaf.depth == 0]
    if (
        force
        or transform is not _rhs_with_omits
        or not line.invisible
        or any(leaf.value for leaf in optional)
        or _short(result[0])
    ):
        return result
    copied = _copy_leaves(line.leaves)
    line_copy = Line(copied, line.depth, inside=line.inside, tracked=True)
    line_copy.should_split_rhs = line.should_split_rhs
    second = _run(line_copy, transform, True, line_str)
    if all(_short(part) for part in second):
        return second
    return result


def _copy_leaves(leaves: Sequence[Leaf]) -> list[Leaf]:
    copies = {id(leaf): leaf.copy() for leaf in leaves}
    for leaf in leaves:
        if leaf.opening is not None:
            copies[id(leaf)].opening = copies.get(id(leaf.opening), leaf.opening)
    return [copies[id(leaf)] for leaf in leaves]


def _second_pass_leaves(lines: Sequence[Line]) -> list[Leaf]:
    """The leaves black's second pass reads back: optional parentheses optional again."""
    leaves = [leaf for line in lines for leaf in line.leaves]
    copied = _copy_leaves(leaves)
    for leaf in copied:
        if leaf.invisible:
            leaf.value = ""
    return copied


def _render(lines: Sequence[Line]) -> list[str]:
    return [line.text() for line in lines]


def layout_statement(text: str, depth: int = 0) -> list[str] | None:
    """Black's layout of one statement written on one line at `depth` indents, or None.

    None means the statement is outside what this module lays out: format it with black.
    """
    try:
        leaves = _prepare(text)
        first = _transform(Line(leaves, depth), False)
        if len(first) == 1 and first[0].text() == "    " * depth + text:
            return [first[0].text()]
        second = _transform(Line(_second_pass_leaves(first), depth), False)
    except (Unsupported, CannotSplit, RecursionError):
        return None
    rendered = _render(second)
    if any(text_width(line) > LINE_LENGTH and not _unsplittable(line) for line in rendered):
        return None  # black might still move things around: let it decide
    return rendered


def _unsplittable(line: str) -> bool:
    """A long line black has nothing left to split at either: one without brackets, or a head
    whose only bracket is the one it opens last (`class VeryLongName(`)."""
    code = _STRING_OR_COMMENT.sub('""', line.strip())
    brackets = [i for i, char in enumerate(code) if char in "()[]{}"]
    return not brackets or (brackets == [len(code) - 1] and code[-1] in "([{")


_MAYBE_MAGIC = re.compile(r",\s*[)\]}]")
_STRING_OR_COMMENT = re.compile(r"""[rRbBuU]?(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|#.*""")
_ESCAPED_DOUBLE = re.compile(r'([^\\]|^)\\((?:\\\\)*)"')
_ESCAPED_SINGLE = re.compile(r"([^\\]|^)\\((?:\\\\)*)'")
_UNESCAPED_DOUBLE = re.compile(r'(([^\\]|^)(\\\\)*)"')


def _sub_twice(regex: re.Pattern[str], replacement: str, text: str) -> str:
    return regex.sub(replacement, regex.sub(replacement, text))


def _prefer_double_quotes(match: re.Match[str]) -> str:
    return prefer_double_quotes(match.group())


def prefer_double_quotes(literal: str) -> str:
    """black's string quote normalization, for one single-quoted literal."""
    quote = 0
    while quote < len(literal) and literal[quote] not in "'\"#":
        quote += 1
    if quote == len(literal) or literal[quote] != "'" or "r" in literal[:quote].lower():
        return literal
    prefix, body = literal[:quote], literal[quote + 1 : -1]
    if '"' not in body and "\\" not in body:
        return f'{prefix}"{body}"'  # the common case: nothing to escape or unescape
    new_body = _sub_twice(_ESCAPED_DOUBLE, r'\1\2"', body)
    if body != new_body:
        body = new_body
        literal = f"{prefix}'{body}'"
    new_body = _sub_twice(_ESCAPED_SINGLE, r"\1\2'", new_body)
    new_body = _sub_twice(_UNESCAPED_DOUBLE, r'\1\\"', new_body)
    if new_body.count("\\") > body.count("\\"):
        return literal
    return f'{prefix}"{new_body}"'


def normalize_strings(line: str) -> str:
    """The line with its single-quoted string literals double-quoted where black would."""
    if "'" not in line:
        return line
    return _STRING_OR_COMMENT.sub(_prefer_double_quotes, line)


_LINE_BREAK = re.compile(r"\r\n|[\r\n]")
_BACKSLASH_NEWLINE = re.compile(r"\\\s*\n")


def _expand_leading_tabs(text: str) -> list[str]:
    lines = []
    for line in _LINE_BREAK.split(text):
        stripped = line.lstrip()
        if not stripped or stripped == line:
            lines.append(line)
        else:
            lines.append(line[: len(line) - len(stripped)].expandtabs(4) + stripped)
    return lines


def _fix_multiline_docstring(docstring: str, prefix: str) -> str:
    lines = _expand_leading_tabs(docstring)
    indent = min(
        (len(line) - len(line.lstrip()) for line in lines[1:] if line.lstrip()), default=None
    )
    trimmed = [lines[0].strip()]
    if indent is not None:
        last = len(lines) - 2
        for index, line in enumerate(lines[1:]):
            stripped = line[indent:].rstrip()
            trimmed.append(prefix + stripped if stripped or index == last else "")
    return "\n".join(trimmed)


def normalize_docstring(literal: str, depth: int) -> str:
    """A `\"\"\"` docstring as black writes it (indentation, padding, closing quotes)."""
    if _BACKSLASH_NEWLINE.search(literal) or not literal.startswith('"""'):
        return literal
    docstring = literal[3:-3]
    started_empty = not docstring
    indent = "    " * depth
    multiline = "\n" in literal or "\r" in literal
    docstring = _fix_multiline_docstring(docstring, indent) if multiline else docstring.strip()
    trailing_backslash = False
    if docstring:
        if docstring[0] == '"':
            docstring = " " + docstring
        if docstring[-1] == '"':
            docstring += " "
        if docstring[-1] == "\\" and (len(docstring) - len(docstring.rstrip("\\"))) % 2:
            docstring += " "  # an odd number of them would escape the closing quotes
            trailing_backslash = True
    elif not started_empty:
        docstring = " "
    lines = docstring.splitlines()
    last_length = len(lines[-1]) if docstring and not docstring.endswith("\n") else 0
    if (
        len(lines) > 1
        and last_length + 3 > LINE_LENGTH
        and len(indent) + 3 <= LINE_LENGTH
        and not trailing_backslash
    ):
        if literal[-4] == "\n":
            return '"""' + docstring + '"""'
        return '"""' + docstring + "\n" + indent + '"""'
    return '"""' + docstring + '"""'


_CONTINUED = ("(", "[", "{", ",")  # how a statement written over several lines goes on
# isort wraps imports at ruff's default line length: one that fits 100 columns but not 88 is
# wrapped, with a trailing comma that keeps it so under any line length
_IMPORT_LENGTH = 88


def _open_brackets(line: str) -> int:
    code = _STRING_OR_COMMENT.sub("", line)
    return sum(map(code.count, "([{")) - sum(map(code.count, ")]}"))


def _closes(literal: str) -> bool:
    """Whether a string starting with three quotes ends (with three unescaped quotes)."""
    body = literal[3:]
    position = 0
    while True:
        found = body.find('"""', position)
        if found == -1:
            return False
        backslashes = len(body[:found]) - len(body[:found].rstrip("\\"))
        if backslashes % 2 == 0:
            return found + 3 == len(body)  # statement = the string alone
        position = found + 1


def format_module(text: str, *, cut_strings: bool = True) -> str | None:
    """`text` (one statement per line, black's spacing) laid out as black would, or None.

    Docstrings, comments and blank lines pass through as they are. None: some statement is
    outside what this module lays out, and the whole module should go through black.
    `cut_strings`: string literals too long for a line are cut first (black keeps the pieces).
    """
    out: list[str] = []
    lines = text.split("\n")
    index = 0
    block_start = True  # a string here is a docstring (black's is_docstring)
    while index < len(lines):
        line = lines[index]
        index += 1
        stripped = line.lstrip(" ")
        if not stripped or stripped[0] == "#":
            out.append(line.rstrip())  # black strips what ends a comment
            continue
        if stripped.startswith('"""'):
            literal = stripped
            while literal == '"""' or not _closes(literal):
                if index >= len(lines):
                    return None
                literal += "\n" + lines[index]
                index += 1
            margin = line[: len(line) - len(stripped)]
            if block_start:
                literal = normalize_docstring(literal, len(margin) // 4)
            out.append(margin + literal)
            block_start = False
            continue
        if line.endswith(_CONTINUED):  # a statement written over several lines: join them
            while _open_brackets(line) > 0 and index < len(lines):
                piece = lines[index].strip()
                index += 1
                glue = "" if line[-1] in "([{" or piece[:1] in ")]}" else " "
                line = line.rstrip() + glue + piece
            stripped = line.lstrip(" ")
        block_start = stripped.endswith(":")
        line = normalize_strings(line)
        stripped = line.lstrip(" ")
        is_import = stripped.startswith("from ") and " import " in stripped
        if (
            (text_width(line) <= _IMPORT_LENGTH or not is_import)
            and text_width(line) <= LINE_LENGTH
            and not _MAYBE_MAGIC.search(line)
            and not stripped.startswith(("def ", "async def "))  # parameters in parentheses
        ):
            out.append(line)
            continue
        indent = len(line) - len(stripped)
        if indent % 4:
            return None
        if is_import and "(" not in stripped:
            module, names = stripped.split(" import ", 1)
            pad = " " * indent
            out.append(f"{pad}{module} import (")
            out.extend(f"{pad}    {name}," for name in names.split(", "))
            out.append(f"{pad})")
            continue
        if cut_strings:
            laid_out = _layout_fitting_strings(stripped, indent // 4)
        else:
            laid_out = layout_statement(stripped, indent // 4)
        if laid_out is None:
            return None
        out.extend(laid_out)
    return "\n".join(out)


_SPLIT_FROM = 40  # columns: a shorter string fits wherever the layout puts it
_ROOM_FLOOR = 20  # columns: no string is cut into pieces narrower than this
_STRING_UNIT = re.compile(r"\\(?:N\{[^}]*\}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|.")


def _layout_fitting_strings(statement: str, depth: int) -> list[str] | None:
    """`layout_statement`, with string literals too long for any line cut into pieces.

    A long literal becomes an implicit concatenation in parentheses, one piece a line (as black
    lays it out, and keeps it); the value is the same. The pieces shrink until every line fits.
    """
    laid_out = layout_statement(statement, depth)
    if laid_out is not None and all(text_width(line) <= LINE_LENGTH for line in laid_out):
        return laid_out
    long = {
        match.group()
        for match in _STRING_OR_COMMENT.finditer(statement)
        if match.group()[0] in "\"'" and text_width(match.group()) > _SPLIT_FROM
    }
    rooms = dict.fromkeys(long, LINE_LENGTH - 4 * (depth + 2))
    for _ in range(8):
        pieces: dict[str, str] = {}  # a piece's literal -> the literal it was cut from
        text = _STRING_OR_COMMENT.sub(partial(_cut_match, rooms=rooms, pieces=pieces), statement)
        result = layout_statement(text, depth)
        narrower: dict[str, int] = {}  # the literals on lines too long: a room that fits
        for line in result or ():
            excess = text_width(line) - LINE_LENGTH
            for match in _STRING_OR_COMMENT.finditer(line) if excess > 0 else ():
                if match.group() in pieces:
                    literal = pieces[match.group()]
                    room = min(rooms[literal], text_width(match.group())) - excess
                    narrower[literal] = min(narrower.get(literal, room), room)
        if result is None:
            narrower = {literal: room - 4 for literal, room in rooms.items()}
        elif not narrower:
            return result  # what is still too long is no string of the statement
        rooms.update(narrower)
        if any(room < _ROOM_FLOOR for room in rooms.values()):
            break
    return laid_out


def _cut_match(match: re.Match[str], rooms: dict[str, int], pieces: dict[str, str]) -> str:
    return _cut_string(match.group(), rooms, pieces)


def _quoted(units: list[str], quote: str) -> str:
    """A piece of a literal, in the quotes black prefers for it (as if it was written alone)."""
    if quote == '"':  # written single-quoted first, so black's preference decides
        units = ['"' if unit == '\\"' else "\\'" if unit == "'" else unit for unit in units]
    return prefer_double_quotes(f"'{''.join(units)}'")


def _cut_string(literal: str, rooms: dict[str, int], pieces: dict[str, str]) -> str:
    """`literal` in parenthesized pieces at most `rooms[literal]` columns wide, if that is less.

    Pieces end after a space or a `\\n` where one is near, never inside an escape sequence.
    """
    room = rooms.get(literal)
    if room is None:
        return literal
    if text_width(literal) <= room:
        pieces[literal] = literal
        return literal
    quote, units = literal[0], _STRING_UNIT.findall(literal[1:-1])
    chunks: list[list[str]] = []
    current: list[str] = []
    width = 2
    # where `current` may end, best first: after a line break, after a space, before a `/`
    cuts = {"\\n": 0, " ": 0, "/": 0}
    for unit in units:
        size = text_width(unit)
        if current and width + size > room:
            half = len(current) // 2
            keep = next((cut for cut in cuts.values() if cut > half), len(current))
            chunks.append(current[:keep])
            current = current[keep:]
            width = 2 + sum(map(text_width, current))
            cuts = dict.fromkeys(cuts, 0)
        if unit == "/":
            cuts[unit] = len(current)
        current.append(unit)
        width += size
        if unit in cuts and unit != "/":
            cuts[unit] = len(current)
    chunks.append(current)
    literals = [_quoted(chunk, quote) for chunk in chunks if chunk]
    pieces.update(dict.fromkeys(literals, literal))
    return "(" + " ".join(literals) + ")"
