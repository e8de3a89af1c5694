"""The documentation stays true to the code.

* Runnable examples (docs/*.md and README.md): a ```ruff block followed by an ```output block is run with
  `ruff run` and must print exactly that (stdout and stderr together; `output exit=N` expects exit code N,
  otherwise 0). ```ruff file=NAME saves the block as NAME in the page's working directory (a module, a test
  file) and, if an output block follows, runs that file. A ```console block is a shell session: each `$ `
  line runs in bash (`ruff` and `ruff-opt` are this checkout's) and must print the lines that follow it.
  Durations ("3ms", "370.2 ms") are masked, as they differ from run to run. The blocks of a page run in
  order, in one fresh directory with one fresh native-code cache.
* docs/tour.md: every ```ruff block is checked that way (an example with its output, or a file a later
  block uses).
* IR excerpts (docs/passes.md): an ```mlir (or ```llvm) block whose first line is `// $ ruff-opt ARGS` must
  be an excerpt of what that command prints; one (or a ```ruff block) whose first line is `// tests/...` an
  excerpt of that file. `...` lines
  stand for lines left out; the other lines must appear in that order, consecutive between the `...`s.
* Generated pages: docs/dialect.md is what `python -m ruff.tools.gen_dialect_docs` prints (and every op of
  the dialect has a docstring of its own); the generated sections of docs/passes.md are what
  `python -m ruff.tools.gen_pass_docs` prints.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md")) + [ROOT / "README.md"]
FENCE = re.compile(r"^(`{3,})(.*)$")
DURATION = re.compile(r"\d+(?:\.\d+)? ?ms\b")


@dataclass(frozen=True)
class Block:
    """A fenced code block: its info string split into the language and `key=value` options."""

    lang: str
    options: dict[str, str]
    body: str
    line: int  # 1-based line of the opening fence
    follows_directly: bool  # only blank lines between the previous block's closing fence and this one


def blocks(text: str) -> list[Block]:
    out: list[Block] = []
    lines = text.split("\n")
    i, last_close = 0, -2
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, info = m.group(1), m.group(2).split()
        start = i
        i += 1
        body: list[str] = []
        while i < len(lines) and lines[i].rstrip() != fence:
            body.append(lines[i])
            i += 1
        between = lines[last_close + 1:start] if last_close >= 0 else ["x"]
        options = dict(o.split("=", 1) for o in info[1:] if "=" in o)
        out.append(Block(info[0] if info else "", options, "\n".join(body) + "\n" if body else "", start + 1,
                         all(not s.strip() for s in between)))
        last_close = i
        i += 1
    return out


def normalize(text: str) -> str:
    return DURATION.sub("<N> ms", text)


def tool_dir(tmp: Path) -> Path:
    """A bin/ with `ruff` and `ruff-opt` running this checkout under this Python (never a linter called ruff)."""
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    for name, module in (("ruff", "ruff"), ("ruff-opt", "ruff.tools.ruff_opt")):
        path = bin_dir / name
        path.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m {module} "$@"\n')
        path.chmod(0o755)
    return bin_dir


def environment(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUFF_")}
    env["RUFF_CACHE_DIR"] = str(tmp / "cache")
    env["PATH"] = f"{tool_dir(tmp)}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    # As on a terminal, where stdout is line-buffered: what a program prints and what it reports on stderr
    # (an error, the JIT log) interleave in the order they happen.
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_console(script: str, cwd: Path, env: dict[str, str]) -> list[tuple[str, str, str]]:
    """(command, expected, actual) for each `$ ` command of a console block, run in one bash session."""
    commands: list[tuple[str, list[str]]] = []
    for line in script.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
    marker = "@@ruff-docs-command-end@@"
    # `{ cmd; } 2>&1`: stderr joins stdout unless the command redirects it itself (`2>/dev/null`)
    program = "".join(f"{{ {cmd}\n}} 2>&1\n__rc=$?\necho {marker}\n(exit $__rc)\n" for cmd, _ in commands)
    proc = subprocess.run(["bash", "-c", program], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    outputs = proc.stdout.split(marker + "\n")
    return [(cmd, "\n".join(expected).rstrip("\n"), outputs[i].rstrip("\n") if i < len(outputs) else "<not run>")
            for i, (cmd, expected) in enumerate(commands)]


def check_page(page: Path) -> tuple[int, list[str]]:
    """Run a page's examples; (how many ran, a description of each mismatch)."""
    found = blocks(page.read_text(encoding="utf-8"))
    failures: list[str] = []
    ran = 0
    with tempfile.TemporaryDirectory(prefix="ruff-docs-") as tmp_name:
        tmp = Path(tmp_name)
        work = tmp / "work"
        work.mkdir()
        env = environment(tmp)
        for index, block in enumerate(found):
            nxt = found[index + 1] if index + 1 < len(found) else None
            where = f"{page.relative_to(ROOT)}:{block.line}"
            if block.lang == "ruff":
                name = block.options.get("file", "example.ruff")
                (work / name).parent.mkdir(parents=True, exist_ok=True)
                (work / name).write_text(block.body, encoding="utf-8")
                if nxt is None or nxt.lang != "output" or not nxt.follows_directly:
                    continue
                expected_code = int(nxt.options.get("exit", "0"))
                proc = subprocess.run([sys.executable, "-m", "ruff", "run", name], cwd=work, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
                ran += 1
                actual, expected = normalize(proc.stdout), normalize(nxt.body)
                if actual != expected or proc.returncode != expected_code:
                    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                        "documented", "actual"))
                    failures.append(f"{where}: exit {proc.returncode} (documented {expected_code})\n{diff}")
            elif block.lang == "console":
                for cmd, expected, actual in run_console(block.body, work, env):
                    ran += 1
                    if normalize(actual) != normalize(expected):
                        diff = "\n".join(difflib.unified_diff(normalize(expected).split("\n"),
                                                              normalize(actual).split("\n"),
                                                              "documented", "actual", lineterm=""))
                        failures.append(f"{where}: $ {cmd}\n{diff}")
    return ran, failures


@pytest.mark.parametrize("page", [p for p in PAGES if any(b.lang in ("ruff", "console") for b in
                                                            blocks(p.read_text(encoding="utf-8")))],
                         ids=lambda p: p.name)
def test_examples_print_what_the_page_says(page: Path) -> None:
    ran, failures = check_page(page)
    assert not failures, f"{len(failures)} of {ran} examples differ:\n\n" + "\n\n".join(failures)


def test_every_tour_example_is_checked() -> None:
    found = blocks((DOCS / "tour.md").read_text(encoding="utf-8"))
    unchecked = []
    for index, block in enumerate(found):
        if block.lang != "ruff" or "file" in block.options:
            continue
        nxt = found[index + 1] if index + 1 < len(found) else None
        if nxt is None or nxt.lang != "output" or not nxt.follows_directly:
            unchecked.append(block.line)
    assert not unchecked, f"```ruff blocks of docs/tour.md without an ```output block right after: lines {unchecked}"
    examples = sum(1 for b in found if b.lang == "output")
    commands = sum(1 for b in found if b.lang == "console" for line in b.body.split("\n") if line.startswith("$ "))
    assert examples >= 25 and commands >= 10, (f"only {examples} examples and {commands} commands found in "
                                                "docs/tour.md: is the block parser broken?")


def test_blocks_parser() -> None:
    text = "x\n```ruff\nprint(1)\n```\n\n```output exit=4\n1\n```\ntext\n```console\n$ ruff\n```\n"
    found = blocks(text)
    assert [(b.lang, b.options, b.body, b.line, b.follows_directly) for b in found] == [
        ("ruff", {}, "print(1)\n", 2, False),
        ("output", {"exit": "4"}, "1\n", 6, True),
        ("console", {}, "$ ruff\n", 10, False),
    ]


# ----------------------------------------------------------------------------------------- IR excerpts


def excerpt_mismatch(excerpt: list[str], text: str) -> str | None:
    """None when the excerpt's runs of lines (split at `...`) appear in `text` in order; else the first
    run that does not."""
    lines = [line.rstrip() for line in text.split("\n")]
    runs: list[list[str]] = [[]]
    for line in excerpt:
        if line.strip() == "...":
            runs.append([])
        else:
            runs[-1].append(line.rstrip())
    pos = 0
    for run in (r for r in runs if r):
        for start in range(pos, len(lines) - len(run) + 1):
            if lines[start:start + len(run)] == run:
                pos = start + len(run)
                break
        else:
            return "\n".join(run)
    return None


def ir_excerpts(page: Path) -> list[tuple[Block, str, list[str]]]:
    """(block, source: a `$ ruff-opt ...` command or a file path, excerpt lines) of a page's IR blocks."""
    out = []
    for block in blocks(page.read_text(encoding="utf-8")):
        if block.lang not in ("mlir", "llvm", "ruff"):
            continue
        first, *rest = block.body.rstrip("\n").split("\n")
        source = re.sub(r"^(//|;)\s*", "", first)
        if source.startswith(("$ ruff-opt ", "tests/")):
            out.append((block, source, rest))
    return out


def test_ir_excerpts_match_ruff_opt_and_the_tests() -> None:
    page = DOCS / "passes.md"
    found = ir_excerpts(page)
    assert len(found) >= 12, f"only {len(found)} IR excerpts found in {page.name}"
    failures = []
    with tempfile.TemporaryDirectory(prefix="ruff-docs-") as tmp:
        env = environment(Path(tmp))
        for block, source, excerpt in found:
            if source.startswith("$ "):
                proc = subprocess.run(["bash", "-c", source[2:]], cwd=ROOT, env=env, capture_output=True,
                                      text=True, timeout=300)
                assert proc.returncode == 0, f"passes.md:{block.line}: {source} failed:\n{proc.stderr}"
                text = proc.stdout
            else:
                text = (ROOT / source).read_text(encoding="utf-8")
            missing = excerpt_mismatch(excerpt, text)
            if missing is not None:
                failures.append(f"passes.md:{block.line} ({source}): not found in order:\n{missing}")
    assert not failures, "\n\n".join(failures)


def test_excerpt_matching() -> None:
    text = "a\nb\nc\nd\ne\n"
    assert excerpt_mismatch(["a", "b", "...", "d"], text) is None
    assert excerpt_mismatch(["b", "d"], text) == "b\nd"  # not consecutive
    assert excerpt_mismatch(["d", "...", "b"], text) == "b"  # out of order


# ------------------------------------------------------------------------------------- generated pages


def test_dialect_page_is_generated_from_the_op_definitions() -> None:
    from ruff.tools.gen_dialect_docs import render

    committed = (DOCS / "dialect.md").read_text(encoding="utf-8")
    fresh = render()
    diff = "".join(difflib.unified_diff(committed.splitlines(True), fresh.splitlines(True), "docs/dialect.md",
                                        "generated"))
    assert committed == fresh, ("docs/dialect.md is stale: run `python -m ruff.tools.gen_dialect_docs > "
                                "docs/dialect.md`\n" + diff[:6000])


def test_every_op_has_a_docstring() -> None:
    from ruff.tools.gen_dialect_docs import undocumented

    assert undocumented() == [], "ops whose class has no docstring of its own (write one: it is their doc)"


def test_every_op_is_on_the_dialect_page() -> None:
    from ruff.dialects.ruff import Ruff

    page = (DOCS / "dialect.md").read_text(encoding="utf-8")
    missing = [op.name for op in Ruff.operations if f"### `{op.name}`" not in page]
    assert missing == []


@pytest.mark.parametrize("section", ["pipeline", "abi"])
def test_pass_page_sections_are_generated_from_the_code(section: str) -> None:
    from ruff.tools.gen_pass_docs import SECTIONS, render_section, section_of

    assert section in SECTIONS
    committed = section_of((DOCS / "passes.md").read_text(encoding="utf-8"), section)
    assert committed is not None, f"docs/passes.md lost the markers of its generated '{section}' section"
    fresh = render_section(section)
    diff = "".join(difflib.unified_diff(committed.splitlines(True), fresh.splitlines(True), "docs/passes.md",
                                        "generated"))
    assert committed == fresh, ("docs/passes.md is stale: run `python -m ruff.tools.gen_pass_docs --update "
                                "docs/passes.md`\n" + diff[:6000])


def test_pass_page_names_every_registered_pass_and_pipeline_step() -> None:
    from ruff.passes import RUFF_PASSES
    from ruff.tiering import NATIVE_PIPELINE, PIPELINE

    page = (DOCS / "passes.md").read_text(encoding="utf-8")
    for name in [*RUFF_PASSES, *PIPELINE, *NATIVE_PIPELINE]:
        assert f"`{name}`" in page, name


def test_readme_links_every_doc() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in ("docs/tour.md", "docs/LANGUAGE.md", "docs/dialect.md", "docs/passes.md", "docs/environment.md"):
        assert f"]({page})" in readme, page


def test_links_within_and_between_pages_resolve() -> None:
    """`[text](#anchor)` names a heading of the page; `[text](page.md#anchor)` a heading of that page."""
    from ruff.tools.gen_dialect_docs import anchor

    def anchors(page: Path) -> set[str]:
        text = page.read_text(encoding="utf-8")
        return {anchor(m.group(1).strip()) for m in re.finditer(r"^#+ (.+)$", text, re.M)}

    broken = []
    for page in PAGES:
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
        for target, fragment in re.findall(r"\]\(([\w./-]*?\.md)?#([\w-]+)\)", text):
            linked = (page.parent / target) if target else page
            if not linked.exists() or fragment not in anchors(linked):
                broken.append(f"{page.relative_to(ROOT)}: {target}#{fragment}")
    assert not broken, broken
