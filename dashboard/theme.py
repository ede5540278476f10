"""One set of colour and type tokens: the Plotly template and the CSS variables come from here.

Area, comparator and England keep the same colours everywhere. The palette is the UK
Government Analysis Function's colour-blind-safe categorical palette; verdict colours always
travel with a text label, never alone.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

AREA = "#12436D"  # dark blue
COMPARATOR = "#F46A25"  # orange
COMPARATOR_BAND = "rgba(244, 106, 37, 0.18)"
ENGLAND = "#3D3D3D"  # dark grey, dashed
PEER = "#A285D1"  # light purple
HIGHLIGHT = "#28A197"  # turquoise
REVIEWED = "#801650"  # dark pink: the square ring around a reviewed area's point
MUTED = "#6F777B"

VERDICT_COLOURS = {
    "better": "#00703C",
    "similar": "#505A5F",
    "worse": "#D4351C",
    "not compared": "#B1B4B6",
}
SYNTHETIC_MARK = "#912B88"
RATING_COLOURS = {  # one colour per CQC rating, ordinal blue (best) to orange (worst): safe for
    "Outstanding": "#08519C",  # red-green colour deficiency; every chart of ratings uses these
    "Good": "#6BAED6",
    "Requires improvement": "#FDAE6B",
    "Inadequate": "#A63603",
}

FONT_FAMILY = '"Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif'
TEMPLATE_NAME = "lsr"


def _template() -> go.layout.Template:
    template = go.layout.Template()
    template.layout = go.Layout(
        font=dict(family=FONT_FAMILY, size=14, color="#0B0C0C"),
        colorway=[AREA, COMPARATOR, ENGLAND, HIGHLIGHT, PEER, "#801650", "#3D3D3D"],
        paper_bgcolor="white",
        plot_bgcolor="white",
        hovermode="x unified",
        margin=dict(l=64, r=24, t=24, b=56),
        xaxis=dict(showgrid=False, linecolor="#B1B4B6", ticks="outside", automargin=True),
        yaxis=dict(gridcolor="#E5E6E7", zeroline=False, automargin=True, rangemode="tozero"),
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0),
    )
    return template


pio.templates[TEMPLATE_NAME] = _template()

CSS_VARIABLES = {
    "--lsr-area": AREA,
    "--lsr-comparator": COMPARATOR,
    "--lsr-england": ENGLAND,
    "--lsr-better": VERDICT_COLOURS["better"],
    "--lsr-similar": VERDICT_COLOURS["similar"],
    "--lsr-worse": VERDICT_COLOURS["worse"],
    "--lsr-not-compared": VERDICT_COLOURS["not compared"],
    "--lsr-synthetic": SYNTHETIC_MARK,
}


def css_variables_block() -> str:
    """The :root block written to assets/10-theme-tokens.css (checked by a test)."""
    lines = [f"  {name}: {value};" for name, value in CSS_VARIABLES.items()]
    return ":root {\n" + "\n".join(lines) + "\n}\n"
