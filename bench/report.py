"""Tables (terminal text and markdown), the markdown report, and the JSON document."""

from __future__ import annotations

from typing import Optional

from bench.catalog import GROUP_LABELS, Program, groups
from bench.contenders import BASELINE, LABELS, Contender
from bench.runner import Cell
from bench.stats import geomean, ratio

METRICS = {
    "work": ("work_ms", "Work time (median ms, timed inside the program)"),
    "process": ("wall_ms", "Process wall time (median ms, whole process including start-up)"),
}

Table = tuple[list[str], list[list[str]]]


def fmt_ms(v: Optional[float]) -> str:
    if v is None:
        return "-"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    if v >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def fmt_ratio(r: Optional[float]) -> str:
    if r is None:
        return "-"
    if r >= 100:
        return f"{r:.0f}x"
    return f"{r:.3g}x"


def shown(contenders: list[Contender]) -> list[Contender]:
    """The contenders that get a column (the available ones)."""
    return [c for c in contenders if c.available]


def row_label(program: str, cells: dict[tuple[str, str], Cell], contenders: list[Contender]) -> str:
    row = [cells.get((program, c.name)) for c in contenders]
    if any(cell is not None and cell.status == "mismatch" for cell in row):
        return f"{program} !! MISMATCH"
    if any(cell is not None and cell.failing for cell in row):
        return f"{program} !! FAILED"
    return program


def cell_text(cell: Optional[Cell], metric: str) -> str:
    """Median of the metric ("work" or "process"), or what went wrong."""
    if cell is None or cell.status in ("n/a", "unavailable"):
        return "-"
    value = getattr(cell, METRICS[metric][0])
    if cell.status == "skipped":
        return "skipped"
    if cell.status == "ok":
        return fmt_ms(value)
    if cell.status == "mismatch":
        return f"{fmt_ms(value)} (wrong result)" if value is not None else "wrong result"
    return cell.status  # error / timeout / bad-output


def median_table(programs: list[Program], contenders: list[Contender],
                 cells: dict[tuple[str, str], Cell], metric: str) -> Table:
    cols = shown(contenders)
    headers = ["program", *[c.name for c in cols]]
    rows = [[row_label(p.name, cells, cols), *[cell_text(cells.get((p.name, c.name)), metric)
                                                for c in cols]] for p in programs]
    return headers, rows


def ratios(programs: list[Program], contenders: list[Contender], cells: dict[tuple[str, str], Cell],
           metric: str, baseline: str = BASELINE) -> dict[str, dict[str, Optional[float]]]:
    """program -> contender -> metric / baseline's metric, for cells that are ok on both sides."""
    attr = METRICS[metric][0]
    out: dict[str, dict[str, Optional[float]]] = {}
    for p in programs:
        base = cells.get((p.name, baseline))
        base_v = getattr(base, attr) if base is not None and base.status == "ok" else None
        row: dict[str, Optional[float]] = {}
        for c in contenders:
            cell = cells.get((p.name, c.name))
            v = getattr(cell, attr) if cell is not None and cell.status == "ok" else None
            row[c.name] = ratio(v, base_v)
        out[p.name] = row
    return out


def ratio_table(programs: list[Program], contenders: list[Contender],
                cells: dict[tuple[str, str], Cell], metric: str, baseline: str = BASELINE) -> Table:
    """Ratios to the baseline, plus a geometric-mean row (over the programs each column has); when
    the programs come from more than one group, a geometric-mean row per group first."""
    cols = shown(contenders)
    rs = ratios(programs, cols, cells, metric, baseline)
    headers = ["program", *[c.name for c in cols]]
    rows = [[row_label(p.name, cells, cols), *[fmt_ratio(rs[p.name][c.name]) for c in cols]]
            for p in programs]
    present = groups(programs)
    if len(present) > 1:
        for g in present:
            members = [p for p in programs if p.group == g]
            rows.append([f"geometric mean, {GROUP_LABELS[g]}",
                         *[fmt_ratio(geomean(rs[p.name][c.name] for p in members)) for c in cols]])
    rows.append(["geometric mean" + (", all" if len(present) > 1 else ""),
                 *[fmt_ratio(geomean(rs[p.name][c.name] for p in programs)) for c in cols]])
    return headers, rows


# the baselines of the per-group summary: CPython, and PyPy (the other Python)
GROUP_BASELINES = (BASELINE, "pypy")


def group_geomeans(programs: list[Program], contenders: list[Contender],
                   cells: dict[tuple[str, str], Cell], metric: str,
                   group: str) -> dict[str, dict[str, Optional[float]]]:
    """contender -> baseline -> geometric mean over the group's programs of the contender's time
    divided by that baseline's time (programs where either side failed or did not run are left out);
    also contender -> "programs" -> how many programs the CPython mean covers."""
    members = [p for p in programs if p.group == group]
    out: dict[str, dict[str, Optional[float]]] = {c.name: {} for c in contenders}
    for base in GROUP_BASELINES:
        rs = ratios(members, contenders, cells, metric, base)
        for c in contenders:
            out[c.name][base] = geomean(rs[p.name][c.name] for p in members)
            if base == BASELINE:
                out[c.name]["programs"] = sum(1 for p in members if rs[p.name][c.name] is not None)
    return out


def group_table(programs: list[Program], contenders: list[Contender],
                cells: dict[tuple[str, str], Cell], metric: str, group: str) -> Table:
    """One row per contender: geometric mean of its ratio to CPython and to PyPy over the group."""
    cols = shown(contenders)
    gm = group_geomeans(programs, cols, cells, metric, group)
    total = sum(1 for p in programs if p.group == group)
    bases = [b for b in GROUP_BASELINES if any(c.name == b for c in cols)]
    headers = ["contender", *[f"vs {LABELS.get(b, b)}" for b in bases], "programs"]
    rows = [[c.name, *[fmt_ratio(gm[c.name][b]) for b in bases], f"{gm[c.name]['programs']}/{total}"]
            for c in cols]
    return headers, rows


def render_text(table: Table, align: Optional[str] = None) -> str:
    """Aligned plain-text table.  align has one letter per column, "l" or "r"; by default the
    first column is left-aligned and the others right-aligned."""
    headers, rows = table
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    align = align or "l" + "r" * (len(headers) - 1)

    def line(cells: list[str]) -> str:
        parts = [str(v).ljust(w) if a == "l" else str(v).rjust(w)
                 for v, w, a in zip(cells, widths, align)]
        return "  ".join(parts).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), sep, *[line(r) for r in rows]])


def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|")


def render_markdown(table: Table, align: Optional[str] = None) -> str:
    headers, rows = table
    align = align or "l" + "r" * (len(headers) - 1)
    out = ["| " + " | ".join(_md_escape(h) for h in headers) + " |",
           "|" + "|".join(":---" if a == "l" else "---:" for a in align) + "|"]
    out += ["| " + " | ".join(_md_escape(v) for v in r) + " |" for r in rows]
    return "\n".join(out)


def failures(cells: dict[tuple[str, str], Cell]) -> list[Cell]:
    return [c for c in cells.values() if c.failing]


def failure_lines(cells: dict[tuple[str, str], Cell]) -> list[str]:
    lines = []
    for c in failures(cells):
        word = "RESULT MISMATCH" if c.status == "mismatch" else c.status.upper()
        lines.append(f"{word}: {c.program} under {c.contender}: {c.detail}")
    return lines


def startup_table(startup: dict) -> Table:
    rows = []
    for name, m in startup.get("median_ms", {}).items():
        r = startup.get("ratio_to_python", {}).get(name)
        rows.append([name, fmt_ms(m), fmt_ratio(r)])
    for name, err in startup.get("errors", {}).items():
        if not startup.get("samples_ms", {}).get(name):
            rows = [r for r in rows if r[0] != name] + [[name, err, "-"]]
    return ["command", "median ms", "vs python3 -c pass"], rows


def jit_table(jit: dict) -> Table:
    rows = []
    for prog, entry in jit.items():
        if entry["compiled"]:
            for name, ms in entry["compiled"]:
                rows.append([prog, name, f"{ms:.1f}"])
        else:
            why = "n/a" if entry["status"] == "ok" else f"n/a ({entry['detail']})"
            rows.append([prog, why, "-"])
    return ["program", "compiled function", "compile ms"], rows


def to_json(meta: dict, programs: list[Program], contenders: list[Contender],
            cells: dict[tuple[str, str], Cell], startup: Optional[dict], jit: Optional[dict]) -> dict:
    work_r = ratios(programs, contenders, cells, "work")
    proc_r = ratios(programs, contenders, cells, "process")
    return {
        **meta,
        "protocol": "stdout: `result: <value>` then `work_ms: <float>`",
        "baseline": BASELINE,
        "contenders": [{"name": c.name, "label": c.label, "kind": c.kind,
                        "command": c.display_command(), "available": c.available,
                        "note": c.note, "version": c.version,
                        "compile_errors": c.compile_errors} for c in contenders],
        "programs": {p.name: {
            "description": p.description,
            "group": p.group,
            "expected": p.expected,
            "cells": {c.name: cells[(p.name, c.name)].to_json() for c in contenders
                      if (p.name, c.name) in cells},
            "ratio_to_baseline": {"work": work_r[p.name], "process": proc_r[p.name]},
        } for p in programs},
        "geomean_ratio_to_baseline": {
            "work": {c.name: geomean(work_r[p.name][c.name] for p in programs) for c in contenders},
            "process": {c.name: geomean(proc_r[p.name][c.name] for p in programs)
                        for c in contenders},
        },
        "geomean_by_group": {g: {metric: group_geomeans(programs, contenders, cells, metric, g)
                                 for metric in METRICS} for g in groups(programs)},
        "startup": startup,
        "jit_compile": jit,
        "failures": failure_lines(cells),
        "ok": not failures(cells),
    }


def render_report(meta: dict, programs: list[Program], contenders: list[Contender],
                  cells: dict[tuple[str, str], Cell], startup: Optional[dict], jit: Optional[dict],
                  chart_name: Optional[str], chart_note: str = "") -> str:
    """The markdown report (bench/results/latest.md)."""
    m = meta.get("machine", {})
    out = [f"# Ruff benchmarks — {meta.get('date', '')}", ""]
    out += [f"Command: `{meta.get('command', '')}`  ",
            f"Date: {meta.get('date', '')}  ",
            f"Repetitions: {meta.get('repeat')} per contender, round-robin order, medians reported; "
            f"timeout {meta.get('timeout'):g} s per run  ",
            f"Git revision: {m.get('git', 'unknown')}", ""]
    out += ["## Machine", ""]
    out += [f"- {k}: {v}" for k, v in m.items() if k != "git"]
    out += ["", "## Contenders", "",
            render_markdown((["name", "runs", "version", "status"],
                             [[c.name, f"`{c.display_command()}`", c.version or "-",
                               "ok" if c.available else f"skipped: {c.note}"]
                              for c in contenders]), "llll"), ""]
    fails = failure_lines(cells)
    out += ["## Result check", ""]
    if fails:
        out += ["**FAILED** — contenders disagree or crashed:", ""]
        out += [f"- {line}" for line in fails]
    else:
        out += ["All contenders printed identical `result:` lines (checked against the expected "
                "value of each program)."]
    out += [""]
    for metric in ("work", "process"):
        out += [f"## {METRICS[metric][1]}", "",
                render_markdown(median_table(programs, contenders, cells, metric)), ""]
    for metric, what in (("work", "work time"), ("process", "process wall time")):
        out += [f"## Relative to CPython — {what}", "",
                "Time divided by CPython's time: lower is better, 0.10x = ten times faster than "
                "CPython, 2x = twice as slow. The geometric mean of a column covers the programs "
                "that contender ran successfully (there are no C twins of the string, dict and "
                "closure programs); with more than one group of programs, one mean per group first.",
                "",
                render_markdown(ratio_table(programs, contenders, cells, metric)), ""]
    out += skipped_note(programs, contenders, cells)
    out += group_sections(programs, contenders, cells)
    out += ["## Start-up", ""]
    if startup and startup.get("median_ms"):
        out += [f"Whole-process wall time, median of {startup.get('reps')} alternating runs.", "",
                render_markdown(startup_table(startup), "lrr"), ""]
    else:
        out += ["not measured", ""]
    out += ["## JIT compile time", "",
            "From one extra `ruff run --jit-log FILE` per program (lines "
            "`[jit] compiled NAME in N ms`).", ""]
    if jit and any(e["compiled"] for e in jit.values()):
        out += [render_markdown(jit_table(jit), "llr"), ""]
    elif jit:
        reasons = sorted({e["detail"] for e in jit.values() if e["detail"]})
        out += ["n/a" + (f" ({'; '.join(reasons)})" if reasons else " (no `[jit] compiled` lines)"),
                ""]
    else:
        out += ["n/a (not measured)", ""]
    out += ["## Chart", ""]
    if chart_name:
        out += [f"![work time relative to CPython and process time per program, log scale, lower is "
                f"better]({chart_name})", ""]
    else:
        out += [f"not generated: {chart_note or 'disabled'}", ""]
    out += ["## Programs", "",
            render_markdown((["program", "group", "what it does", "expected result line"],
                             [[p.name, GROUP_LABELS[p.group], p.description, f"`{p.expected}`"]
                              for p in programs]), "llll"), ""]
    return "\n".join(out)


def skipped_note(programs: list[Program], contenders: list[Contender],
                 cells: dict[tuple[str, str], Cell]) -> list[str]:
    """Report lines naming the programs a contender skipped as too slow for it (none: no lines)."""
    lines = []
    for c in shown(contenders):
        names = [p.name for p in programs
                 if (cell := cells.get((p.name, c.name))) is not None and cell.status == "skipped"]
        if names:
            lines.append(f"- `{c.name}` skipped {', '.join(names)}: too slow for it (minutes per "
                         f"run); name it in `--contenders` to run them.")
    return lines + [""] if lines else []


def group_sections(programs: list[Program], contenders: list[Contender],
                   cells: dict[tuple[str, str], Cell]) -> list[str]:
    """The per-group geometric means (work time), one section per group of the run."""
    out = []
    for g in groups(programs):
        members = [p.name for p in programs if p.group == g]
        out += [f"## {GROUP_LABELS[g]} — geometric mean of the work-time ratio", "",
                f"Programs: {', '.join(members)}. Each cell is the geometric mean, over the programs "
                "of the set that both sides ran successfully, of the contender's work time divided by "
                "the baseline's (lower is better; 0.5x = twice as fast).", "",
                render_markdown(group_table(programs, contenders, cells, "work", g)), ""]
    return out
