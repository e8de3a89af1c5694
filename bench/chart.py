"""Bar chart of the results (log scale, lower is better).  matplotlib is imported lazily and is
optional: `pip install -e '.[bench]'`.

Top panel: work time divided by CPython's (so programs of very different sizes, and the slow
`--tier=interp` bars, share one readable scale), with CPython as the 1x line; without CPython in the
run, work time in ms.  Bottom panel: process wall time in ms.  Every bar carries its value."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from bench.catalog import Program
from bench.contenders import BASELINE, LABELS, Contender
from bench.report import METRICS, fmt_ms, fmt_ratio, ratios
from bench.runner import Cell

# the six contenders of the main suite keep their colours from chart to chart
COLORS = {"ruff-jit": "#d62728", "ruff-nojit": "#ff7f0e", "ruff-interp": "#bcbd22",
          "cpython": "#1f77b4", "pypy": "#9467bd", "gcc": "#2ca02c"}
# any other contender (the ablation variants) takes the next of these that no one has yet
EXTRA_COLORS = ["#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#393b79", "#e7ba52", "#843c39",
                "#637939", "#7b4173", "#000000", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896",
                "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5"]


def contender_colors(names: list[str]) -> dict[str, str]:
    """A colour per contender, no two alike (while there are colours left): the six main contenders
    keep their own, the others get the unused extra colours in order."""
    out = {n: COLORS[n] for n in names if n in COLORS}
    spare = [c for c in EXTRA_COLORS if c not in out.values()]
    for n in names:
        if n not in out:
            out[n] = spare.pop(0) if spare else EXTRA_COLORS[len(out) % len(EXTRA_COLORS)]
    return out


def _panel(ax, bars: list[tuple[Contender, list[Optional[float]], list[str]]],
           colors: dict[str, str], fmt, ylabel: str, heading: str, base: float = 0.0) -> None:
    """Grouped bars on a log axis, each with its value written at its end.  Each entry of bars is
    (contender, value per program, note per program shown where there is no value, e.g. "skipped").
    With a base (1.0 for ratios) the bars grow from it: up when slower, down when faster."""
    width = 0.8 / max(1, len(bars))
    shown_values = [base] if base else []
    for k, (c, values, notes) in enumerate(bars):
        xs = [i - 0.4 + width * (k + 0.5) for i in range(len(values))]
        pos = [x for x, v in zip(xs, values) if v is not None and v > 0]
        vals = [v for v in values if v is not None and v > 0]
        shown_values += vals
        for x, v, note in zip(xs, values, notes):
            if v is None and note:
                ax.text(x, 0.02, note, transform=ax.get_xaxis_transform(), rotation=90,
                        fontsize=6, ha="center", va="bottom", color="dimgray")
        if not vals:
            continue
        heights = [v - base for v in vals] if base else vals
        container = ax.bar(pos, heights, width, bottom=base or None, label=c.label,
                           color=colors[c.name])
        ax.bar_label(container, labels=[fmt(v) for v in vals], rotation=90, fontsize=6, padding=2)
    ax.set_yscale("log")
    if shown_values:  # room beyond the longest bars for their labels
        ax.set_ylim(min(shown_values) / 12.0, max(shown_values) * 12.0)
    ax.set_ylabel(ylabel)
    ax.set_title(heading, fontsize=10)
    ax.grid(axis="y", which="major", alpha=0.3)


def write_chart(path: Path, programs: list[Program], contenders: list[Contender],
                cells: dict[tuple[str, str], Cell], title: str = "") -> Optional[str]:
    """Write the PNG; returns None on success, else why no chart was drawn."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed (pip install -e '.[bench]')"

    fig = draw(programs, contenders, cells, title)
    if fig is None:
        return "nothing to draw"
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None


def draw(programs: list[Program], contenders: list[Contender], cells: dict[tuple[str, str], Cell],
         title: str = ""):
    """The matplotlib figure (matplotlib must be importable), or None when there is nothing to draw."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    cols = [c for c in contenders if c.available]
    if not cols or not programs:
        return None
    colors = contender_colors([c.name for c in cols])

    def values(c: Contender, attr: str) -> list[Optional[float]]:
        out: list[Optional[float]] = []
        for p in programs:
            cell = cells.get((p.name, c.name))
            out.append(getattr(cell, attr) if cell is not None and cell.status == "ok" else None)
        return out

    def notes(c: Contender) -> list[str]:
        """What to write where a bar is missing: why (nothing where there is no twin)."""
        out = []
        for p in programs:
            cell = cells.get((p.name, c.name))
            status = cell.status if cell is not None else "n/a"
            out.append("" if status in ("ok", "n/a", "unavailable") else status)
        return out

    has_base = any(c.name == BASELINE for c in cols)
    fig, axes = plt.subplots(2, 1, figsize=(max(8.0, 1.25 * len(programs) + 3), 11), sharex=True)
    if has_base:
        rs = ratios(programs, cols, cells, "work")
        _panel(axes[0], [(c, [rs[p.name][c.name] for p in programs], notes(c))
                         for c in cols if c.name != BASELINE],
               colors, fmt_ratio, f"work time / {LABELS[BASELINE]} work time (log scale)",
               f"Work time relative to {LABELS[BASELINE]} (timed inside the program) — "
               "lower is better: bars going down are faster", base=1.0)
        axes[0].axhline(1.0, color=colors[BASELINE], linewidth=1.5)
    else:
        attr, heading = METRICS["work"]
        _panel(axes[0], [(c, values(c, attr), notes(c)) for c in cols], colors, fmt_ms,
               "ms (log scale)", f"{heading} — lower is better")
    attr, heading = METRICS["process"]
    _panel(axes[1], [(c, values(c, attr), notes(c)) for c in cols], colors, fmt_ms,
           "ms (log scale)", f"{heading} — lower is better")
    # a dashed line between groups of programs (micro-benchmarks | Benchmarks-Game set)
    for i in range(1, len(programs)):
        if programs[i].group != programs[i - 1].group:
            for ax in axes:
                ax.axvline(i - 0.5, color="black", linestyle="--", linewidth=0.8, alpha=0.6)
    axes[-1].set_xticks(list(range(len(programs))))
    axes[-1].set_xticklabels([p.name for p in programs], rotation=30, ha="right")
    # one legend entry per contender, in its colour, whether or not a panel has bars of it
    handles = [Patch(facecolor=colors[c.name], label=c.label) for c in cols]
    if has_base:
        handles.append(Line2D([], [], color=colors[BASELINE], linewidth=1.5,
                              label=f"{LABELS[BASELINE]} = 1x (top)"))
    fig.legend(handles=handles, loc="upper center", ncol=min(4, len(handles)), fontsize=8,
               bbox_to_anchor=(0.5, 0.955), frameon=False)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.91))
    return fig
