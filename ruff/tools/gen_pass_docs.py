"""Print the generated parts of docs/passes.md: the JIT's pipeline and Ruff's pass registry, and the native
ABI's tables, read from the code (ruff/tiering.py, ruff/passes/__init__.py, ruff/passes/abi.py).

    python -m ruff.tools.gen_pass_docs                          print the generated sections
    python -m ruff.tools.gen_pass_docs --update docs/passes.md  rewrite them in place, between their markers

The rest of docs/passes.md is prose; tests/unit/test_docs.py fails when a section between its BEGIN and END
markers differs from what this prints (a pass added to the registry or the pipeline, a renamed option, a
new error kind).
"""

from __future__ import annotations

import dataclasses
import inspect
import sys
from collections.abc import Callable
from pathlib import Path

from ruff.passes import abi
from ruff.passes import RUFF_PASSES, get_all_passes
from ruff.tiering import NATIVE_PIPELINE, OPTIONAL_PASSES, PIPELINE
from ruff.tools.ruff_opt import pass_summaries

GENERATOR = "python -m ruff.tools.gen_pass_docs"


def begin(section: str) -> str:
    return f"<!-- BEGIN generated {section}: `{GENERATOR} --update docs/passes.md` writes it, do not edit -->"


def end(section: str) -> str:
    return f"<!-- END generated {section} -->"


# xDSL's passes the pipeline uses whose classes carry no docstring.
XDSL_SUMMARIES = {
    "cse": "common subexpression elimination: an op equal to an earlier one whose result is still valid "
           "(same operands, no effect between) is replaced by it",
    "dce": "dead code elimination: ops whose results are unused and that have no effect are removed",
}


def pass_name(spec: str) -> str:
    """`inline{depth=4 budget=60}` → `inline`."""
    return spec.split("{")[0]


def first_line(doc: str | None) -> str:
    text = inspect.cleandoc(doc or "")
    return text.splitlines()[0] if text else ""


def describe(name: str) -> str:
    """What a pass does in one line: Ruff's own from ruff-opt's summaries, xDSL's from its docstring."""
    ours = dict(pass_summaries())
    if name in ours:
        return ours[name]
    cls = get_all_passes()[name]()
    return XDSL_SUMMARIES.get(name) or first_line(cls.__doc__) or first_line(sys.modules[cls.__module__].__doc__)


def options(cls: type) -> str:
    if not dataclasses.is_dataclass(cls):
        return ""
    out = []
    for f in dataclasses.fields(cls):
        if f.default is dataclasses.MISSING:
            continue
        # As written in a pipeline: `arg-types=int,float`; a list option's default is "none given".
        value = ",".join(map(str, f.default)) or "..." if isinstance(f.default, tuple) else f.default
        out.append(f"`{f.name.replace('_', '-')}={value}`")
    return ", ".join(out)


def pipeline_section() -> list[str]:
    lines = [
        "### The pipeline, step by step",
        "",
        "On the lifted module (the hot function and the global functions it calls), in this order "
        "(`ruff/tiering.py: PIPELINE`):",
        "",
        "| # | pass | from | can be disabled | what it does |",
        "| --- | --- | --- | --- | --- |",
    ]
    steps = [(spec, pass_name(spec) in OPTIONAL_PASSES) for spec in PIPELINE]
    steps += [(spec, False) for spec in NATIVE_PIPELINE]
    for i, (spec, optional) in enumerate(steps, 1):
        name = pass_name(spec)
        origin = "Ruff" if name in RUFF_PASSES else "xDSL"
        if i == len(PIPELINE) + 1:
            lines.append("| | *then, on a copy of the module (`NATIVE_PIPELINE`):* | | | |")
        lines.append(f"| {i} | `{spec}` | {origin} | {'yes' if optional else 'no'} | {describe(name)} |")
    lines += [
        "",
        "Then llvmlite converts the `llvm`-dialect module to LLVM IR, optimizes it at `-O3` for the host CPU "
        "and compiles it (ruff/backend/jit.py); the object code is cached on disk (ruff/jit_cache.py). "
        "`RUFF_JIT_DISABLE` takes the names in the \"can be disabled\" column "
        "([environment.md](environment.md)).",
        "",
        "The same pipeline by hand, on a `.ruff` file (the lifter records each function's argument types from "
        "calls with literal arguments, such as `fib(25)`, where the JIT uses the types it saw; "
        "`specialize-types{arg-types=int}` gives them where there is no such call, and "
        "[`RUFF_JIT_DUMP`](environment.md) shows what the JIT itself ran):",
        "",
        "```",
        f"ruff-opt prog.ruff -p '{','.join(PIPELINE + NATIVE_PIPELINE)}' --emit llvm-ir",
        "```",
        "",
    ]
    return lines


def registry_section() -> list[str]:
    lines = [
        "### Ruff's passes",
        "",
        "Registered in `ruff/passes/__init__.py: RUFF_PASSES`; each is a `ModulePass` in "
        "`ruff/passes/<name>.py`. `ruff-opt --help` lists them too.",
        "",
        "| pass | class | options | what it does |",
        "| --- | --- | --- | --- |",
    ]
    passes = get_all_passes()
    for name, summary in pass_summaries():
        cls = passes[name]()
        lines.append(f"| `{name}` | `{cls.__module__}.{cls.__name__}` | {options(cls)} | {summary} |")
    lines.append("")
    return lines


def abi_section() -> list[str]:
    kinds = {v: k for k, v in vars(abi).items() if k.startswith("ERR_") and isinstance(v, int)}
    ops = {v: k for k, v in vars(abi).items() if k.startswith("OP_") and isinstance(v, int)}
    lines = [
        "### Native ABI constants",
        "",
        "From `ruff/passes/abi.py`. Error kinds, as stored in `@" + abi.ERR_KIND + "`, with the message "
        "the Python side raises:",
        "",
        "| kind | constant | `NativeError.kind` | message |",
        "| --- | --- | --- | --- |",
    ]
    for code in sorted(kinds):
        if code == abi.ERR_NONE:
            lines.append(f"| {code} | `{kinds[code]}` | | (no error) |")
            continue
        message = abi.error_message(code, abi.OP_ADD, 9223372036854775807, 1)
        lines.append(f"| {code} | `{kinds[code]}` | `{abi.KIND_NAMES[code]}` | `{message}` |")
    lines += ["", "Operator codes, in `@" + abi.ERR_OP + "`:", "", "| code | constant | operator |", "| --- | --- | --- |"]
    for code in sorted(ops):
        what = "unary `-`" if code == abi.OP_NEG else f"`{abi.OP_SYMBOLS[code]}`"
        lines.append(f"| {code} | `{ops[code]}` | {what} |")
    lines += [
        "",
        "Every module's runtime-state globals (i64, external): "
        + ", ".join(f"`@{g}`" for g in abi.STATE_GLOBALS) + ".",
        f"Depth limit when nothing sets it: {abi.DEFAULT_DEPTH_LIMIT:,} (the JIT sets the baseline's own limit). "
        f"Loops poll for Ctrl-C every {abi.POLL_INTERVAL:,} back-edges. Symbols: `{abi.DEFAULT_SYMBOL_PREFIX}<name>` "
        f"(the C entry point), `{abi.DEFAULT_SYMBOL_PREFIX}<name>{abi.IMPL_SUFFIX}` (the body) and "
        f"`{abi.DEFAULT_SYMBOL_PREFIX}<name>{abi.PY_ENTRY_SUFFIX}` (the entry CPython calls).",
        "",
    ]
    return lines


SECTIONS: dict[str, Callable[[], list[str]]] = {
    "pipeline": lambda: pipeline_section() + registry_section(),
    "abi": lambda: abi_section(),
}


def render_section(name: str) -> str:
    """One section, markers included."""
    return "\n".join([begin(name), "", *SECTIONS[name](), end(name)])


def render() -> str:
    return "\n\n".join(render_section(name) for name in SECTIONS) + "\n"


def section_of(page: str, name: str) -> str | None:
    """The text of section `name` in `page`, markers included (None when its markers are missing)."""
    start, stop = page.find(begin(name)), page.find(end(name))
    if start < 0 or stop < start:
        return None
    return page[start:stop + len(end(name))]


def update(page: str) -> str:
    """`page` with each generated section replaced by what the code says now."""
    for name in SECTIONS:
        current = section_of(page, name)
        if current is None:
            raise ValueError(f"the page has no '{begin(name)}' ... '{end(name)}' section")
        page = page.replace(current, render_section(name))
    return page


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        sys.stdout.write(render())
        return 0
    if len(args) == 2 and args[0] == "--update":
        path = Path(args[1])
        path.write_text(update(path.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    print(f"usage: {GENERATOR} [--update docs/passes.md]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
