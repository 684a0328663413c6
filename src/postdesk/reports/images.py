"""A report's chart as a PNG for pasting into an email, drawn server-side by matplotlib
from the same description as the browser's chart (charts.py): title, axis labels with
units, a legend; stacked bars where the browser stacks them."""

import io

from matplotlib.figure import Figure  # a Figure draws to memory (Agg), no display


def _bar(value) -> float:
    return 0.0 if value is None else float(value)


def _point(value) -> float:
    # A missing figure (a currency without a rate) is a gap in the line, not a zero.
    return float("nan") if value is None else float(value)


def png(chart: dict) -> bytes:
    figure = Figure(figsize=(10, 5), dpi=100)
    ax = figure.subplots()
    labels = chart["labels"]
    positions = range(len(labels))
    bars = [s for s in chart["series"] if s["type"] == "bar"]
    width = 0.8 if chart["stacked"] else 0.8 / max(len(bars), 1)
    bottoms: dict = {}
    for n, series in enumerate(bars):
        values = [_bar(v) for v in series["data"]]
        if chart["stacked"]:
            base = bottoms.setdefault(series["stack"], [0.0] * len(values))
            ax.bar(
                positions, values, width, bottom=base, label=series["label"], color=series["colour"]
            )
            bottoms[series["stack"]] = [b + v for b, v in zip(base, values, strict=True)]
        else:
            offset = (n - (len(bars) - 1) / 2) * width
            ax.bar(
                [p + offset for p in positions],
                values,
                width,
                label=series["label"],
                color=series["colour"],
            )
    for series in chart["series"]:
        if series["type"] == "line":
            ax.plot(
                list(positions),
                [_point(v) for v in series["data"]],
                label=series["label"],
                color=series["colour"],
                marker="o",
            )
    ax.set_title(chart["title"])
    ax.set_xlabel(chart["x"])
    ax.set_ylabel(chart["y"])
    ax.set_xticks(list(positions), labels, rotation=45, ha="right", fontsize=8)
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
