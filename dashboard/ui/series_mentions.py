"""Which words of a chart's title, subtitle and source note speak of which plotted series, so
an exported image of a chart with series hidden via its legend leaves those words out too
("… Coventry vs comparators vs England" with England hidden exports as "… Coventry vs
comparators", without England's line or legend entry).

Each mention is a regular expression that JavaScript and Python read alike, and the legend
names of the series it speaks of; assets/export.js removes a mention's words when every one of
its series that the chart draws is hidden.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go

from dashboard.ui.figure_parts import figure_parts

GAP = r"(?:\s|<br>)+"  # titles and notes are wrapped with <br> where they run long
COMPARATOR_SERIES = (
    "Comparator mean",
    "Comparator range (min–max)",
    "Comparator maximum",  # the band's invisible upper edge, hidden with the band
    "Comparator peers",
)
MENTIONS = (
    (rf"{GAP}vs{GAP}comparators\b", COMPARATOR_SERIES),
    (rf"{GAP}vs{GAP}England\b", ("England",)),
    (r"<br>Comparators?:[\s\S]*$", COMPARATOR_SERIES),  # the note's last line
)


def series_mentions(figure: go.Figure, texts: list[str]) -> list[dict]:
    """The mentions found in ``texts`` whose series ``figure`` draws, each with the legend
    names of those series."""
    drawn = {trace["name"] for trace in figure_parts(figure)[0] if trace.get("name")}
    found = []
    for pattern, series in MENTIONS:
        present = [name for name in series if name in drawn]
        if present and any(re.search(pattern, text or "") for text in texts):
            found.append({"pattern": pattern, "series": present})
    return found


def figure_texts(figure: go.Figure) -> list[str]:
    """The title, subtitle and annotation texts the figure carries (read from its dicts)."""
    layout = figure_parts(figure)[1]
    title = layout.get("title") or {}
    if isinstance(title, str):
        title = {"text": title}
    subtitle = title.get("subtitle") or {}
    if isinstance(subtitle, str):
        subtitle = {"text": subtitle}
    texts = [title.get("text") or "", subtitle.get("text") or ""]
    return texts + [note.get("text") or "" for note in layout.get("annotations") or ()]
