"""Bar chart of the medians (log scale).  matplotlib is imported lazily and is optional:
`pip install -e '.[bench]'`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from bench.catalog import Program
from bench.contenders import Contender
from bench.report import METRICS
from bench.runner import Cell

COLORS = {"ruff-jit": "#d62728", "ruff-nojit": "#ff7f0e", "ruff-interp": "#bcbd22",
          "cpython": "#1f77b4", "pypy": "#9467bd", "gcc": "#2ca02c"}


def write_chart(path: Path, programs: list[Program], contenders: list[Contender],
                cells: dict[tuple[str, str], Cell], title: str = "") -> Optional[str]:
    """Write the PNG; returns None on success, else why no chart was drawn."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed (pip install -e '.[bench]')"

    cols = [c for c in contenders if c.available]
    if not cols or not programs:
        return "nothing to draw"
    fig, axes = plt.subplots(2, 1, figsize=(max(8.0, 1.1 * len(programs) + 3), 9), sharex=True)
    width = 0.8 / len(cols)
    xs = list(range(len(programs)))
    for ax, metric in zip(axes, ("work", "process")):
        attr, heading = METRICS[metric]
        for k, c in enumerate(cols):
            vals, pos = [], []
            for i, p in enumerate(programs):
                cell = cells.get((p.name, c.name))
                v = getattr(cell, attr) if cell is not None and cell.status == "ok" else None
                if v is not None and v > 0:
                    vals.append(v)
                    pos.append(i - 0.4 + width * (k + 0.5))
            ax.bar(pos, vals, width, label=c.label, color=COLORS.get(c.name))
        ax.set_yscale("log")
        ax.set_ylabel("ms (log scale)")
        ax.set_title(heading, fontsize=10)
        ax.grid(axis="y", which="both", alpha=0.3)
    axes[-1].set_xticks(xs)
    axes[-1].set_xticklabels([p.name for p in programs], rotation=30, ha="right")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=min(3, len(cols)), fontsize=8,
               bbox_to_anchor=(0.5, 0.955), frameon=False)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.91))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None
