"""The summary table and the detailed Markdown report of a sweep."""

from __future__ import annotations

from tests.refsweep.model import Category, Judgement, Verdict


def counts(verdicts: list[Verdict]) -> dict[Category, int]:
    result = {c: 0 for c in Category}
    for v in verdicts:
        result[v.category] += 1
    return result


def summary(verdicts: list[Verdict]) -> str:
    n = counts(verdicts)
    width = max(len(c.value) for c in Category)
    lines = [f"{'category':<{width}}  count", f"{'-' * width}  -----"]
    lines += [f"{c.value:<{width}}  {n[c]:5d}" for c in Category]
    lines.append(f"{'total':<{width}}  {len(verdicts):5d}")
    lines.append(f"{'could be ours (differs, fails, times out)':<{width}}  "
                 f"{sum(n[c] for c in Category if c.could_be_ours):5d}")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report(verdicts: list[Verdict], command: str, judgements: dict[str, Judgement], note: str) -> str:
    out = ["# Sweep of the reference's tests/ and examples/", "", f"Command: `{command}`", "", note, "",
           "```", summary(verdicts), "```", ""]
    for category in Category:
        group = [v for v in verdicts if v.category is category]
        if not group:
            continue
        out += [f"## {category.value} ({len(group)})", ""]
        if category in (Category.PASSES,):
            out += [", ".join(f"`{v.program}`" for v in group), ""]
            continue
        out += ["| program | exit | s | what the run showed | why |", "| --- | ---: | ---: | --- | --- |"]
        for v in group:
            code = "-" if v.run is None or v.run.exit_code is None else str(v.run.exit_code)
            secs = "-" if v.run is None else f"{v.run.seconds:.1f}"
            out.append(f"| `{v.program}` | {code} | {secs} | {_cell(v.detail)} | {_cell(v.reason)} |")
        out.append("")
    stale = [v for v in verdicts if v.stale_judgement]
    if stale:
        out += ["## Stale judgements (these programs pass now)", ""]
        out += [f"* `{v.program}`: {v.stale_judgement}" for v in stale]
        out.append("")
    unused = sorted(set(judgements) - {v.program for v in verdicts})
    if unused:
        out += ["## Judgements for programs that were not run", ""] + [f"* `{p}`" for p in unused] + [""]
    return "\n".join(out)
