"""The parameter list of a handler: spec params rewritten, user params and comments kept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import libcst as cst

from ._common import NO_SPACE, ConflictError, code, same
from ._report import LINE_LENGTH

Entry = cst.Param | cst.ParamStar | cst.ParamSlash
_SECTIONS = ("posonly", "params", "star", "kwonly", "kwargs")


def entries(params: cst.Parameters) -> list[tuple[str, Entry]]:
    """The parameter list in source order, each entry with its section."""
    found: list[tuple[str, Entry]] = [("posonly", param) for param in params.posonly_params]
    if isinstance(params.posonly_ind, cst.ParamSlash):
        found.append(("slash", params.posonly_ind))
    found.extend(("params", param) for param in params.params)
    if isinstance(params.star_arg, cst.Param | cst.ParamStar):
        found.append(("star", params.star_arg))
    found.extend(("kwonly", param) for param in params.kwonly_params)
    if params.star_kwarg is not None:
        found.append(("kwargs", params.star_kwarg))
    return found


def named(params: cst.Parameters) -> list[cst.Param]:
    """The named parameters (everything but `*` and `/`), in source order."""
    return [node for _, node in entries(params) if isinstance(node, cst.Param)]


def annotation(param: cst.Param) -> cst.BaseExpression | None:
    """A parameter's type annotation, if any."""
    return None if param.annotation is None else param.annotation.annotation


def param_code(node: Entry) -> str:
    """An entry's own text, without its comma."""
    if isinstance(node, cst.ParamStar):
        return "*"
    if isinstance(node, cst.ParamSlash):
        return "/"
    return code(node.with_changes(comma=cst.MaybeSentinel.DEFAULT, whitespace_after_param=NO_SPACE))


def _comments(whitespace: cst.BaseParenthesizableWhitespace) -> tuple[list[str], list[str]]:
    """A whitespace node's comments: the one ending its first line, and those on own lines."""
    if not isinstance(whitespace, cst.ParenthesizedWhitespace):
        return [], []
    first = whitespace.first_line.comment
    own = [line.comment.value for line in whitespace.empty_lines if line.comment is not None]
    return ([first.value] if first is not None else []), own


class _CommentCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: list[str] = []

    def visit_Comment(self, node: cst.Comment) -> None:
        self.found.append(node.value)


def _inner_comments(param: cst.Param) -> list[str]:
    """Comments inside a parameter's own code (its annotation or default)."""
    collector = _CommentCollector()
    bare = param.with_changes(
        comma=cst.MaybeSentinel.DEFAULT,
        whitespace_after_param=NO_SPACE,
        whitespace_after_star=NO_SPACE,  # its comments were collected with the slot
    )
    bare.visit(collector)
    return collector.found


@dataclass
class _Slot:
    """One entry of a parameter list with the comments that travel with it."""

    section: str
    node: Entry
    leading: list[str] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)
    replaced: bool = False  # the node is the generated one
    moved_comments: bool = False  # comments from inside the replaced node now sit above it

    @property
    def name(self) -> str | None:
        return self.node.name.value if isinstance(self.node, cst.Param) else None

    @property
    def shape(self) -> tuple[str, str | None]:
        return self.section, self.name

    @property
    def has_default(self) -> bool:
        return isinstance(self.node, cst.Param) and self.node.default is not None


def _whitespace_around(node: Entry) -> list[cst.BaseParenthesizableWhitespace]:
    spaces: list[cst.BaseParenthesizableWhitespace] = []
    if isinstance(node, cst.Param):
        spaces += [node.whitespace_after_star, node.whitespace_after_param]
    elif isinstance(node, cst.ParamSlash):
        spaces.append(node.whitespace_after)
    if isinstance(node.comma, cst.Comma):
        spaces += [node.comma.whitespace_before, node.comma.whitespace_after]
    return spaces


def _slots(function: cst.FunctionDef) -> tuple[list[_Slot], list[str]]:
    """The existing parameter list as slots, plus the comments just before `)`."""
    first, own = _comments(function.whitespace_before_params)
    pending = [*first, *own]
    slots = []
    for section, node in entries(function.params):
        slot = _Slot(section, node, leading=pending)
        pending = []
        for whitespace in _whitespace_around(node):
            same_line, own_lines = _comments(whitespace)
            slot.trailing += same_line
            pending += own_lines  # own-line comments after an entry sit above the next one
        slots.append(slot)
    return slots, pending


def _spec_slot(section: str, fresh: cst.Param, existing: _Slot | None) -> _Slot:
    """The slot of a spec param: the user's copy while it still matches, else the generated one."""
    bare = fresh.with_changes(comma=cst.MaybeSentinel.DEFAULT, whitespace_after_param=NO_SPACE)
    if existing is None:
        return _Slot(section, bare, replaced=True)
    old = existing.node
    assert isinstance(old, cst.Param)
    if (
        same(annotation(old), annotation(fresh))
        and same(old.default, fresh.default)
        and old.star == fresh.star
    ):
        return replace(existing, section=section)
    inner = _inner_comments(old)
    leading = [*existing.leading, *inner]
    return replace(
        existing,
        section=section,
        node=bare,
        leading=leading,
        replaced=True,
        moved_comments=bool(inner),
    )


def _split_positional(
    user: list[_Slot], *, has_default: bool, keyword_only: bool
) -> tuple[list[_Slot], list[_Slot]]:
    """The user's positional params that can stay positional, and those made keyword-only."""
    kept: list[_Slot] = []
    moved: list[_Slot] = []
    for slot in user:
        if keyword_only or moved or (has_default and not slot.has_default):
            moved.append(slot)
        else:
            kept.append(slot)
            has_default = has_default or slot.has_default
    return kept, moved


def _single(what: str, candidates: list[_Slot]) -> _Slot | None:
    if len(candidates) > 1:
        raise ConflictError(f"the spec and the user both declare a {what} parameter")
    return candidates[0] if candidates else None


class ParameterPlan:
    """The new parameter list: the user's order kept while it stays valid (see `_in_place`);
    otherwise spec params in generated order, then the user's in theirs.

    User positional params that would follow a defaulted param or keyword-only spec params
    become keyword-only (with a bare `*` when there is no `*args`), keeping the signature
    valid; once one moves, the user's later positional params move with it.
    """

    def __init__(
        self, current: cst.FunctionDef, fresh: cst.Parameters, before: Sequence[str]
    ) -> None:
        slots, self.closing = _slots(current)
        self.original_shape = [slot.shape for slot in slots]
        self.fresh_names = {param.name.value for param in named(fresh)}
        kept = self._drop(slots, set(before) - self.fresh_names)
        self.slots = self._arrange(fresh, kept)

    def _drop(self, slots: list[_Slot], removed: set[str]) -> list[_Slot]:
        """Drop removed spec params and `*` / `/` markers; their comments go to the next slot."""
        kept: list[_Slot] = []
        carried: list[str] = []
        for slot in slots:
            if slot.name is None or slot.name in removed:
                carried += [*slot.leading, *slot.trailing]
                continue
            kept.append(replace(slot, leading=[*carried, *slot.leading]))
            carried = []
        self.closing = [*carried, *self.closing]
        return kept

    def _arrange(self, fresh: cst.Parameters, kept: list[_Slot]) -> list[_Slot]:
        return self._in_place(fresh, kept) or self._canonical(fresh, kept)

    def _in_place(self, fresh: cst.Parameters, kept: list[_Slot]) -> list[_Slot] | None:
        """The user's order kept: spec params updated where they are, new ones after the spec
        param they follow in the spec (or before the first one).

        Only for plain positional lists whose spec params are still in the spec's order and
        whose defaults stay valid; anything else gets the canonical order.
        """
        sections = [section for section, _ in entries(fresh)] + [slot.section for slot in kept]
        if any(section != "params" for section in sections):
            return None
        fresh_params = [node for _, node in entries(fresh) if isinstance(node, cst.Param)]
        order = [param.name.value for param in fresh_params]
        present = [slot.name for slot in kept if slot.name in self.fresh_names]
        if present != [name for name in order if name in present]:
            return None  # the spec reordered its parameters
        existing = {slot.name: slot for slot in kept}
        spec = {
            param.name.value: _spec_slot("params", param, existing.get(param.name.value))
            for param in fresh_params
        }
        result = [spec.get(slot.name or "", slot) for slot in kept]
        for index, name in enumerate(order):
            if name in present:
                continue
            before = next((n for n in reversed(order[:index]) if n in present), None)
            if before is None:
                first = next((i for i, slot in enumerate(result) if slot.name in spec), len(result))
                result.insert(first, spec[name])
            else:
                result.insert(
                    1 + next(i for i, s in enumerate(result) if s.name == before), spec[name]
                )
            present.append(name)
            present.sort(key=order.index)
        defaulted = False
        for slot in result:
            if defaulted and not slot.has_default:
                return None  # a parameter without a default after one with: not valid Python
            defaulted = defaulted or slot.has_default
        return result

    def _canonical(self, fresh: cst.Parameters, kept: list[_Slot]) -> list[_Slot]:
        existing = {slot.name: slot for slot in kept}
        spec: dict[str, list[_Slot]] = {section: [] for section in _SECTIONS}
        for section, node in entries(fresh):
            if isinstance(node, cst.Param):
                spec[section].append(_spec_slot(section, node, existing.get(node.name.value)))
        user = [slot for slot in kept if slot.name not in self.fresh_names]
        positional, moved = _split_positional(
            [slot for slot in user if slot.section in ("posonly", "params")],
            has_default=any(slot.has_default for slot in spec["posonly"] + spec["params"]),
            keyword_only=bool(spec["kwonly"] or spec["star"]),
        )
        star = _single("*args", spec["star"] + [s for s in user if s.section == "star"])
        kwargs = _single("**kwargs", spec["kwargs"] + [s for s in user if s.section == "kwargs"])
        kwonly = spec["kwonly"] + moved + [s for s in user if s.section == "kwonly"]
        if kwonly and star is None:
            star = _Slot("star", cst.ParamStar())
        return [
            *spec["posonly"],
            *([_Slot("slash", cst.ParamSlash())] if spec["posonly"] else []),
            *spec["params"],
            *(replace(slot, section="params") for slot in positional),
            *([star] if star else []),
            *(replace(slot, section="kwonly") for slot in kwonly),
            *([kwargs] if kwargs else []),
        ]

    def apply(self, function: cst.FunctionDef, indent: str) -> cst.FunctionDef:
        """The def with the planned parameter list; edited in place while its shape holds."""
        same_shape = [slot.shape for slot in self.slots] == self.original_shape
        if same_shape and not any(slot.moved_comments for slot in self.slots):
            return function.with_changes(params=self._swapped(function.params))
        return _rendered(function, self.slots, self.closing, indent)

    def _swapped(self, params: cst.Parameters) -> cst.Parameters:
        """The parameter list with changed spec params replaced, all layout kept."""
        fresh = {slot.name: slot.node for slot in self.slots if slot.replaced}

        def swap(node: cst.Param) -> cst.Param:
            new = fresh.get(node.name.value)
            if not isinstance(new, cst.Param):
                return node
            return new.with_changes(
                comma=node.comma,
                whitespace_after_param=node.whitespace_after_param,
                whitespace_after_star=node.whitespace_after_star,
            )

        star = params.star_arg
        return params.with_changes(
            posonly_params=[swap(param) for param in params.posonly_params],
            params=[swap(param) for param in params.params],
            star_arg=swap(star) if isinstance(star, cst.Param) else star,
            kwonly_params=[swap(param) for param in params.kwonly_params],
            star_kwarg=None if params.star_kwarg is None else swap(params.star_kwarg),
        )


def _rendered(
    function: cst.FunctionDef, slots: list[_Slot], closing: list[str], indent: str
) -> cst.FunctionDef:
    """The def with a freshly laid out parameter list (black's shapes, comments kept).

    One line when the old list was on one line, has no comments and the header fits;
    otherwise one parameter per line with a trailing comma.
    """
    codes = [param_code(slot.node) for slot in slots]
    inline = ", ".join(codes)
    has_comments = bool(closing) or any(slot.leading or slot.trailing for slot in slots)
    was_multiline = "\n" in code(function.params) + code(function.whitespace_before_params)
    too_long = len(_header(function, inline)) > LINE_LENGTH
    if has_comments or was_multiline or too_long or "\n" in inline:
        inline = _exploded(slots, codes, closing, indent) if slots or closing else ""
    parsed = cst.parse_statement(f"def _({inline}):\n{indent}pass\n")
    assert isinstance(parsed, cst.FunctionDef)
    return function.with_changes(
        params=parsed.params, whitespace_before_params=parsed.whitespace_before_params
    )


def _header(function: cst.FunctionDef, inline: str) -> str:
    returns = "" if function.returns is None else f" -> {code(function.returns.annotation)}"
    prefix = "async " if function.asynchronous else ""
    return f"{prefix}def {function.name.value}({inline}){returns}:"


def _exploded(slots: list[_Slot], codes: list[str], closing: list[str], indent: str) -> str:
    lines = [""]
    for slot, text in zip(slots, codes, strict=True):
        lines += [indent + comment for comment in slot.leading]
        end = f"  {slot.trailing[0]}" if slot.trailing else ""
        lines.append(f"{indent}{text},{end}")
        lines += [indent + comment for comment in slot.trailing[1:]]
    lines += [indent + comment for comment in closing]
    return "\n".join(lines) + "\n"
