"""Print docs/dialect.md, the `ruff` dialect's op reference, from the IRDL op definitions themselves.

    python -m ruff.tools.gen_dialect_docs > docs/dialect.md

Everything printed comes from the code: the op list is the registered `Ruff` dialect's, each op's text is
its class docstring, and its operands, results, properties, regions, traits and assembly format are read
from the `OpDef` xDSL builds for it (`IRDLOperation.get_irdl_definition()`). Nothing names an op here, so a
new op appears by itself; tests/unit/test_docs.py fails when the committed page differs from this output
and when an op has no docstring of its own.
"""

from __future__ import annotations

import inspect
import re
import sys
from types import ModuleType
from collections.abc import Iterable
from dataclasses import dataclass

from xdsl.dialects.builtin import ArrayOfConstraint, EmptyArrayAttrConstraint, IntegerAttr, SymbolNameConstraint
from xdsl.ir import Attribute, Dialect, ParametrizedAttribute, TypeAttribute
from xdsl.irdl import (
    AnyAttr,
    AnyOf,
    AttrSetConstraint,
    BaseAttr,
    EqAttrConstraint,
    IRDLOperation,
    MessageConstraint,
    OpDef,
    OptionalDef,
    ParamAttrConstraint,
    RangeLengthConstraint,
    RangeOf,
    VariadicDef,
)
from xdsl.traits import HasCanonicalizationPatternsTrait, HasParent, MemoryEffect, OpTrait

GENERATOR = "python -m ruff.tools.gen_dialect_docs"
# The raw types first, in the order the dialect's docstrings list them; anything else sorts after, by name.
TYPE_ORDER = ("i64", "f64", "i1", "!ruff.value")
# xDSL's own traits in a few words (Ruff's traits are described by their docstrings).
XDSL_TRAITS = {
    "Pure": "no memory effect and always speculatable: removable when unused, merged by cse",
    "MemoryReadEffect": "reads memory: removable when unused, merged by cse when no write is between",
    "ConstantLike": "a constant: folding and constant materialization recognise it",
    "IsTerminator": "ends its block",
    "ReturnLike": "returns from the enclosing region, forwarding its operands",
    "HasParent": "must sit directly inside the named op",
    "IsolatedFromAbove": "its regions use no value defined outside it",
    "SymbolOpInterface": "defines a symbol (`sym_name`) in the enclosing symbol table",
    "HasFolderInterface": "folds: canonicalize replaces it by a constant (or an operand) when its `fold` can",
    "CallableOpInterface": "callable: xDSL's call analyses find its body, argument and result types",
    "SymbolUserOpInterface": "refers to a symbol, checked against the symbol table by the verifier",
}


def constraint_text(c: object) -> str:
    """A constraint as a reader writes it: `!ruff.value`, `i64 | f64 | i1`, `IntegerAttr[i64]`, ..."""
    if isinstance(c, RangeLengthConstraint):
        return constraint_text(c.constraint)
    if isinstance(c, RangeOf):
        return constraint_text(c.constr)
    if isinstance(c, MessageConstraint):
        return constraint_text(c.constr)
    if isinstance(c, AnyAttr):
        return "any"
    if isinstance(c, EqAttrConstraint):
        return str(c.attr)
    if isinstance(c, AttrSetConstraint):
        return " | ".join(_type_sorted(str(a) for a in c.values))
    if isinstance(c, AnyOf):
        return " | ".join(constraint_text(x) for x in c.attr_constrs)
    if isinstance(c, BaseAttr):
        return _base_text(c.attr)
    if isinstance(c, ArrayOfConstraint):
        return f"ArrayAttr[{constraint_text(c.elem_range_constraint)}]"
    if isinstance(c, SymbolNameConstraint):
        return "symbol name (StringAttr)"
    if isinstance(c, ParamAttrConstraint):
        if c.base_attr is IntegerAttr and len(c.param_constrs) == 2:
            return f"IntegerAttr[{constraint_text(c.param_constrs[1])}]"
        params = [p for p in c.param_constrs if not isinstance(p, AnyAttr)]
        if any(isinstance(p, EmptyArrayAttrConstraint) for p in params):
            return f"flat {c.base_attr.__name__}"  # a symbol reference without nested references
        return f"{c.base_attr.__name__}[{', '.join(constraint_text(p) for p in params)}]"
    return type(c).__name__


def _base_text(cls: type[Attribute]) -> str:
    """A parameterless type by its spelling (`!ruff.value`, `f64`), any other attribute class by its name."""
    if issubclass(cls, TypeAttribute) and issubclass(cls, ParametrizedAttribute):
        try:
            return str(cls())
        except (TypeError, ValueError):
            pass
    return cls.__name__


def _type_sorted(names: Iterable[str]) -> list[str]:
    return sorted(names, key=lambda n: (TYPE_ORDER.index(n) if n in TYPE_ORDER else len(TYPE_ORDER), n))


def _arity(definition: object) -> str:
    if isinstance(definition, OptionalDef):  # (an OptionalDef is also a VariadicDef)
        return "optional"
    if isinstance(definition, VariadicDef):
        return "variadic"
    return ""


@dataclass(frozen=True)
class Row:
    """One operand, result, property, attribute or region of an op, as a table row."""

    kind: str
    name: str
    constraint: str
    note: str


def rows(op_def: OpDef) -> list[Row]:
    out: list[Row] = []
    for name, d in op_def.operands:
        out.append(Row("operand", name, constraint_text(d.constr), _arity(d)))
    for name, d in op_def.results:
        out.append(Row("result", name, constraint_text(d.constr), _arity(d)))
    for kind, defs in (("property", op_def.properties), ("attribute", op_def.attributes)):
        for name, d in defs.items():
            notes = [_arity(d)]
            if d.default_value is not None:
                notes.append(f"default `{d.default_value}`")
            out.append(Row(kind, name, constraint_text(d.constr), ", ".join(n for n in notes if n)))
    for name, d in op_def.regions:
        out.append(Row("region", name, "any block arguments", _arity(d)))
    for name, d in op_def.successors:
        out.append(Row("successor", name, "block", _arity(d)))
    return out


def _class_name(cls: type) -> str:
    # xDSL gives an op class deriving from HasFolderInterface a private wrapper trait
    return "HasFolderInterface" if cls.__name__.startswith("_HasFolderInterface") else cls.__name__


def trait_name(trait: OpTrait) -> str:
    if isinstance(trait, HasParent):
        return f"HasParent({', '.join(t.name for t in trait.op_types)})"
    return _class_name(type(trait))


def trait_names(op_def: OpDef) -> list[str]:
    return sorted(trait_name(t) for t in op_def.traits)


def effects(op_def: OpDef) -> str:
    """The op's memory-effect traits, or a dash: no effect information, which xDSL treats as any effect."""
    names = sorted(type(t).__name__ for t in op_def.traits if isinstance(t, MemoryEffect))
    return ", ".join(names) if names else "—"


def own_docstring(cls: type) -> str:
    """The class's own docstring (not one inherited from a shared base class), dedented; "" if none.

    The closing quotes' indentation is the margin when the docstring ends on a line of its own, so a
    docstring whose only other lines are an indented example keeps that example indented (a code block)."""
    doc = cls.__dict__.get("__doc__")
    if not doc:
        return ""
    lines = doc.expandtabs().split("\n")
    if len(lines) > 1 and not lines[-1].strip():
        margin = len(lines[-1])
        body = [lines[0].strip()] + [line[margin:] if not line[:margin].strip() else line.strip() for line in lines[1:]]
        return "\n".join(body).strip("\n").rstrip()
    return inspect.cleandoc(doc)


def summary(doc: str) -> str:
    """The first paragraph of a docstring as one line, without a leading syntax example
    ("`%r = ruff.add %a, %b` — what it does" gives "what it does")."""
    paragraphs = [" ".join(p.split()) for p in doc.split("\n\n") if p.strip()]
    if not paragraphs:
        return ""
    first = paragraphs[0]
    if re.fullmatch(r"`[^`]*`", first) and len(paragraphs) > 1:  # only an example: the text comes next
        return paragraphs[1]
    m = re.match(r"^`[^`]*`\s*(?:—|-|:)\s*(.+)$", first)
    return m.group(1) if m else first


def markdown(text: str) -> str:
    """Docstring text made safe for Markdown: a `<` outside code would open an HTML tag (`<b>` in
    "Integer overflow: <a> + <b>" turns bold), so it becomes `&lt;`; code spans and indented code stay."""
    out = []
    for line in text.split("\n"):
        if not line.startswith("    "):
            parts = line.split("`")
            line = "`".join(p.replace("<", "&lt;") if i % 2 == 0 else p for i, p in enumerate(parts))
        out.append(line)
    return "\n".join(out)


def cell(text: str) -> str:
    """Text for a table cell: a `|` would end the cell, even inside a code span, unless escaped."""
    return text.replace("|", "\\|")


def anchor(title: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation other than - and _ dropped, spaces to -."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def has_custom_verifier(op: type[IRDLOperation]) -> bool:
    """Whether the op's module defines a `verify_` for it: `irdl_op_definition` replaces the class's by a
    wrapper that runs the IRDL checks and then calls the original, held in its closure as `custom_verify`
    (xDSL's own `Operation.verify_` when the class defines none)."""
    wrapper = op.__dict__.get("verify_")
    code = getattr(wrapper, "__code__", None)
    if code is None or "custom_verify" not in code.co_freevars:
        return False
    original = wrapper.__closure__[code.co_freevars.index("custom_verify")].cell_contents
    return getattr(original, "__module__", None) == op.__module__


def syntax(op: type[IRDLOperation], op_def: OpDef) -> str:
    if op_def.assembly_format is not None:
        return f"Assembly format (results, if any, are written `%r = ` before the name):\n\n" \
               f"```\n{op_def.name} {op_def.assembly_format}\n```"
    if any(m in op.__dict__ for m in ("parse", "print")):
        return "Syntax: custom (the class's own `parse` and `print`; see the examples above)."
    return "Syntax: generic only (`\"" + op_def.name + "\"(...) <{...}> : (...) -> (...)`)."


def op_section(op: type[IRDLOperation]) -> str:
    op_def = op.get_irdl_definition()
    doc = own_docstring(op)
    lines = [f"### `{op_def.name}`", ""]
    lines += [markdown(doc) if doc else "**Undocumented:** the op class has no docstring.", ""]
    table = rows(op_def)
    if table:
        lines += ["| | name | constraint | notes |", "| --- | --- | --- | --- |"]
        lines += [f"| {r.kind} | `{r.name}` | `{cell(r.constraint)}` | {cell(r.note)} |" for r in table]
    else:
        lines.append("No operands, results or properties.")
    lines.append("")
    traits = trait_names(op_def)
    lines.append("* Traits: " + (", ".join(f"`{t}`" for t in traits) if traits else "none (no effect information: "
                                  "treated as having any effect, so never removed, merged or moved)") + ".")
    patterns = [p for t in op_def.traits if isinstance(t, HasCanonicalizationPatternsTrait)
                for p in t.get_canonicalization_patterns()]
    for pattern in sorted(patterns, key=lambda p: type(p).__name__):
        text = markdown(" ".join(own_docstring(type(pattern)).split()))
        lines.append(f"* Canonicalization: `{type(pattern).__name__}`" + (f": {text}" if text else "."))
    if has_custom_verifier(op):
        lines.append("* Verifier: further checks (its `verify_`) beyond the constraints above.")
    lines += ["", syntax(op, op_def), ""]
    return "\n".join(lines)


def within(module_name: str, package: str) -> bool:
    return module_name == package or module_name.startswith(package + ".")


def trait_meaning(trait: OpTrait, package: str) -> str:
    """A Ruff trait's own words (its docstring), else those of the xDSL trait it is or implements."""
    if isinstance(trait, HasCanonicalizationPatternsTrait):
        return "canonicalization patterns of this op (listed with it)"
    for cls in type(trait).__mro__:
        if within(cls.__module__, package) and own_docstring(cls):
            return summary(own_docstring(cls))
        if _class_name(cls) in XDSL_TRAITS:
            return XDSL_TRAITS[_class_name(cls)]
    return "(no docstring)"


def trait_legend(ops: list[type[IRDLOperation]], package: str) -> list[str]:
    seen: dict[str, str] = {}
    for op in ops:
        for trait in op.get_irdl_definition().traits:
            seen.setdefault(trait_name(trait).split("(")[0], trait_meaning(trait, package))
    return [f"| `{k}` | {cell(markdown(v))} |" for k, v in sorted(seen.items())]


def ops_of(dialect: Dialect) -> list[type[IRDLOperation]]:
    return [op for op in dialect.operations if issubclass(op, IRDLOperation)]


def dialect_module(dialect: Dialect) -> ModuleType:
    """The module that defines the dialect's ops: the package its op modules share (ruff.dialects.ruff,
    whose docstring is the overview), or their one module."""
    parts = [op.__module__.split(".") for op in ops_of(dialect)]
    common = parts[0]
    for p in parts[1:]:
        while p[: len(common)] != common:
            common = common[:-1]
    return sys.modules[".".join(common)]


def source_path(module: ModuleType) -> str:
    path = module.__name__.replace(".", "/")
    return f"{path}/" if hasattr(module, "__path__") else f"{path}.py"


def render(dialect: Dialect | None = None) -> str:
    if dialect is None:
        from ruff.dialects.ruff import Ruff as dialect
    module = dialect_module(dialect)
    ops = ops_of(dialect)
    out = [
        f"# The `{dialect.name}` dialect",
        "",
        f"<!-- Generated by `{GENERATOR} > docs/dialect.md` from the IRDL definitions in "
        f"{source_path(module)}: edit the op classes, not this page. tests/unit/test_docs.py "
        "fails when this page is stale. -->",
        "",
        "How the JIT uses these ops, pass by pass: [passes.md](passes.md). The language they come from: "
        "[LANGUAGE.md](LANGUAGE.md) and the [tour](tour.md).",
        "",
        "## Overview",
        "",
        markdown(inspect.cleandoc(module.__doc__ or "")),
        "",
        "## Types",
        "",
    ]
    for attr in dialect.attributes:
        text = own_docstring(attr)
        out.append(f"* {markdown(text)}" if text else f"* `{attr.name}`")
    out += ["", "## Operations", "", "| op | effects | what it does |", "| --- | --- | --- |"]
    for op in ops:
        name = op.get_irdl_definition().name
        text = cell(markdown(summary(own_docstring(op)))) or "**undocumented**"
        out.append(f"| [`{name}`](#{anchor(name)}) | {effects(op.get_irdl_definition())} | {text} |")
    out += ["", "Traits used above:", "", "| trait | meaning |", "| --- | --- |", *trait_legend(ops, module.__name__), ""]
    out += [op_section(op) for op in ops]
    return "\n".join(out).rstrip("\n") + "\n"


def undocumented(dialect: Dialect | None = None) -> list[str]:
    """Names of the dialect's ops whose class has no docstring of its own."""
    if dialect is None:
        from ruff.dialects.ruff import Ruff as dialect
    return [op.get_irdl_definition().name for op in ops_of(dialect) if not own_docstring(op)]


def main() -> None:
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
