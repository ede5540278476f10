"""Making Data Count icons drawn by the project as SVG: variation (common cause; special cause
improvement, concern or neither, high or low) and assurance (pass, fail, hit and miss).

Pure: a key in, an SVG document out, with a text alternative for each. The colours are the SPC
chart's (blue improvement, orange concern, purple neither, grey common cause), and the letter
(H / L, P / F / ?) carries the meaning without colour.
"""

from __future__ import annotations

import base64
from functools import cache, lru_cache

from dashboard import theme
from dashboard.charts import svg_uri

IMPROVEMENT = "#1D70B8"
CONCERN = "#C75000"
NEITHER = "#4C2C92"
COMMON = theme.MUTED
VARIATION_COLOURS = {"improvement": IMPROVEMENT, "concern": CONCERN, "neither": NEITHER}
VARIATION_ALT = {
    "common_cause": "Variation: common cause, no significant change",
    "improvement_high": "Variation: special cause improvement, higher values",
    "improvement_low": "Variation: special cause improvement, lower values",
    "concern_high": "Variation: special cause concern, higher values",
    "concern_low": "Variation: special cause concern, lower values",
    "neither_high": "Variation: special cause, neither improvement nor concern, higher values",
    "neither_low": "Variation: special cause, neither improvement nor concern, lower values",
}
ASSURANCE_ALT = {
    "pass": "Assurance: the process will consistently meet the target",
    "fail": "Assurance: the process will consistently miss the target",
    "hit_and_miss": "Assurance: the process will sometimes meet and sometimes miss the target",
}
ASSURANCE_STYLE = {
    "pass": (IMPROVEMENT, "P"),
    "fail": (CONCERN, "F"),
    "hit_and_miss": (COMMON, "?"),
}
DOT_X = (24, 32, 40, 48, 56, 64, 72)
COMMON_Y = (52, 46, 54, 48, 53, 47, 50)
HIGH_Y = (60, 56, 61, 57, 46, 40, 34)


@cache  # the same few icons on every page
def variation_svg(key: str) -> str:
    """The variation icon for a key of ``VARIATION_ALT``."""
    if key not in VARIATION_ALT:
        raise ValueError(f"unknown variation icon {key!r}")
    if key == "common_cause":
        return _document(VARIATION_ALT[key], COMMON, _dots(COMMON_Y, COMMON, special=0))
    kind, side = key.rsplit("_", 1)
    colour = VARIATION_COLOURS[kind]
    heights = HIGH_Y if side == "high" else tuple(100 - y for y in HIGH_Y)
    letter_y = 31 if side == "high" else 84
    body = _dots(heights, colour, special=3) + _letter(
        "H" if side == "high" else "L", colour, 22, letter_y
    )
    return _document(VARIATION_ALT[key], colour, body)


@cache
def assurance_svg(key: str) -> str:
    """The assurance icon for a key of ``ASSURANCE_ALT``."""
    if key not in ASSURANCE_ALT:
        raise ValueError(f"unknown assurance icon {key!r}")
    colour, letter = ASSURANCE_STYLE[key]
    target = (
        f'<line x1="18" y1="72" x2="82" y2="72" stroke="{colour}" stroke-width="4" '
        'stroke-dasharray="8 5"/>'
    )
    return _document(ASSURANCE_ALT[key], colour, target + _letter(letter, colour, 44, 60))


@lru_cache(maxsize=32)  # called with the icons' few documents
def data_uri(document: str) -> str:
    """The SVG as an ``img`` source (percent-encoded UTF-8)."""
    return svg_uri.data_uri(document)


def base64_uri(document: str) -> str:
    """The SVG as a base64 data URI, which Plotly's layout images and image export accept."""
    return "data:image/svg+xml;base64," + base64.b64encode(document.encode()).decode("ascii")


def _document(title: str, colour: str, body: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" '
        f'height="100" role="img" aria-label="{title}"><title>{title}</title>'
        f'<circle cx="50" cy="50" r="45" fill="#FFFFFF" stroke="{colour}" stroke-width="6"/>'
        f"{body}</svg>"
    )


def _dots(heights: tuple[int, ...], colour: str, *, special: int) -> str:
    """A line of seven points; the last ``special`` ones in the icon's colour."""
    points = " ".join(f"{x},{y}" for x, y in zip(DOT_X, heights, strict=True))
    line = f'<polyline points="{points}" fill="none" stroke="{COMMON}" stroke-width="2"/>'
    fills = [COMMON] * (len(DOT_X) - special) + [colour] * special
    dots = "".join(
        f'<circle cx="{x}" cy="{y}" r="4" fill="{fill}"/>'
        for x, y, fill in zip(DOT_X, heights, fills, strict=True)
    )
    return line + dots


def _letter(letter: str, colour: str, size: int, baseline: int) -> str:
    return (
        f'<text x="50" y="{baseline}" text-anchor="middle" font-family="Arial, sans-serif" '
        f'font-size="{size}" font-weight="bold" fill="{colour}">{letter}</text>'
    )
