"""The hex tile map: one hexagon per council, quartile colours with names, shortlist outlined."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.charts import hexmap
from dashboard.charts.hexmap import HexMapSpec, build

SPEC = HexMapSpec(
    title="Delayed transfers of care — all English councils by quartile",
    subtitle="delayed days per day per 100,000 aged 18+ · 2017/18",
    source_note="Source: NHS England · <b>Synthetic data</b>",
    metric_name="Delayed transfers",
)


@pytest.fixture()
def tiles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": ["A", "B", "C", "D", "E"],
            "name": ["Avon", "Bath", "Cork", "Derby", "Ely"],
            "q": [0, 1, 2, 0, 1],
            "r": [0, 0, 0, 1, 1],
            "value_text": ["1.0", "2.0", "3.0", "4.0", "suppressed"],
            "quartile": [1, 2, 3, 4, None],
            "shortlisted": [False, True, False, True, False],
            "reviewed": [True, False, False, False, False],
        }
    )


def trace(figure, name, *, legend=True):
    return next(t for t in figure.data if t.name == name and (t.showlegend is not False) == legend)


class TestGeometry:
    def test_neighbouring_centres_are_one_unit_apart(self):
        # Given (0, 0) and its neighbours on the same row and the row above (odd, shifted right)
        x0, y0 = hexmap.centre(0, 0)
        for q, r in ((1, 0), (0, 1)):
            x, y = hexmap.centre(q, r)
            assert math.dist((x0, y0), (x, y)) == pytest.approx(1.0)

    def test_a_hex_has_six_corners_closed_back_to_the_first(self):
        points = hexmap.corners(2, 3)
        assert len(points) == 7 and points[0] == points[-1]
        x, y = hexmap.centre(2, 3)
        assert all(math.dist((x, y), p) == pytest.approx(hexmap.RADIUS) for p in points)


class TestBuild:
    def test_one_filled_trace_per_quartile_with_its_colour_and_name(self, tiles):
        figure = build(tiles, spec=SPEC)
        for quartile, colour in hexmap.QUARTILE_COLOURS.items():
            name = hexmap.QUARTILE_NAMES[quartile]
            filled = next(t for t in figure.data if t.name == name and t.fill == "toself")
            assert filled.fillcolor == colour
            assert trace(figure, name).marker.color == colour  # the legend swatch
        no_data = next(t for t in figure.data if t.name == hexmap.NO_DATA_NAME and t.fill)
        assert no_data.fillcolor == hexmap.NO_DATA_COLOUR

    def test_quartile_colours_run_light_to_dark(self):
        def luminance(colour: str) -> float:
            red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
            return 0.2126 * red + 0.7152 * green + 0.0722 * blue

        values = [luminance(hexmap.QUARTILE_COLOURS[q]) for q in (1, 2, 3, 4)]
        assert values == sorted(values, reverse=True)

    def test_hover_names_the_council_its_value_and_quartile(self, tiles):
        figure = build(tiles, spec=SPEC)
        hover = next(
            t
            for t in figure.data
            if t.name == hexmap.QUARTILE_NAMES[4] and t.customdata is not None
        )
        assert list(hover.customdata[0]) == ["Derby", "4.0"]
        assert "Quartile 4" in hover.hovertemplate

    def test_shortlist_is_outlined_once_per_shortlisted_council(self, tiles):
        figure = build(tiles, spec=SPEC)
        outline = next(
            t for t in figure.data if t.name == hexmap.SHORTLIST_NAME and t.mode == "lines"
        )
        assert outline.fill is None
        assert outline.line.width == 3
        assert list(outline.x).count(None) == 2  # two hexes, each closed by a gap

    def test_reviewed_areas_are_marked(self, tiles):
        figure = build(tiles, spec=SPEC)
        assert len(trace(figure, hexmap.REVIEWED_NAME).x) == 1

    def test_hexes_keep_their_shape_and_title_and_source_are_baked_in(self, tiles):
        figure = build(tiles, spec=SPEC)
        assert figure.layout.yaxis.scaleanchor == "x"
        assert SPEC.title in figure.layout.title.text
        assert any("Synthetic data" in a.text for a in figure.layout.annotations)

    def test_no_tiles_gives_a_message_not_an_empty_map(self):
        figure = build(pd.DataFrame(columns=hexmap.COLUMNS), spec=SPEC)
        assert figure.layout.meta["empty"] is True
