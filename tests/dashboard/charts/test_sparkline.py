import re
import xml.etree.ElementTree as ElementTree
from urllib.parse import unquote

import numpy as np
import pandas as pd

from dashboard import theme
from dashboard.charts.frame import Spec
from dashboard.charts.sparkline import SparklineSpec, data_uri, runs, svg

SVG = "{http://www.w3.org/2000/svg}"
WORDS = dict(
    title="Trend of Delayed transfers: area, comparators and England",
    subtitle="per 100,000 · Monthly · Apr 2016 to Mar 2017",
    source_note="Source: DToC (NHS England) · Data vintage: fixture · <b>Synthetic data</b>",
)


def spec(**changes) -> SparklineSpec:
    return SparklineSpec(**(WORDS | changes))


def parse(document: str) -> ElementTree.Element:
    return ElementTree.fromstring(document)


def polylines(document: str) -> dict[str, list[ElementTree.Element]]:
    """Polylines by the series name in their <title>."""
    named: dict[str, list[ElementTree.Element]] = {}
    for line in parse(document).iter(f"{SVG}polyline"):
        named.setdefault(line.find(f"{SVG}title").text, []).append(line)
    return named


def points(line: ElementTree.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in line.get("points").split()]


class TestSvg:
    def test_the_image_carries_the_chart_s_title_and_source(self, series_frame):
        """A tile's image draws no words, but says what it is and where from, as every
        chart does (one ``Spec``), so a saved sparkline explains itself."""
        assert issubclass(SparklineSpec, Spec)
        for frame in (series_frame, series_frame.assign(area_value=None)):
            document = parse(svg(frame, spec=spec(source_note=WORDS["source_note"] + "<br>x")))
            assert document.find(f"{SVG}title").text == WORDS["title"]
            assert document.find(f"{SVG}desc").text == (
                "per 100,000 · Monthly · Apr 2016 to Mar 2017 · Source: DToC (NHS England) · "
                "Data vintage: fixture · Synthetic data · x"
            )

    def test_area_over_comparator_and_england_in_fixed_colours(self, series_frame):
        document = svg(series_frame, spec=spec())
        lines = polylines(document)
        colours = {name: found[0].get("stroke") for name, found in lines.items()}
        assert colours == {
            "Comparator mean": theme.COMPARATOR,
            "England": theme.ENGLAND,
            "Area": theme.AREA,
        }
        drawn = [line.find(f"{SVG}title").text for line in parse(document).iter(f"{SVG}polyline")]
        assert drawn[-1] == "Area"  # on top
        assert lines["England"][0].get("stroke-dasharray")

    def test_missing_period_breaks_the_area_line_and_a_lone_value_is_a_dot(self, series_frame):
        document = svg(series_frame, spec=spec())
        assert [len(points(line)) for line in polylines(document)["Area"]] == [2]
        assert len(list(parse(document).iter(f"{SVG}circle"))) == 1  # the last area value

    def test_higher_values_are_drawn_higher_and_all_stay_inside(self, series_frame):
        small = spec(height=48, width=200)
        document = svg(series_frame, spec=small)
        comparator = points(polylines(document)["Comparator mean"][0])
        ys = [y for _, y in comparator]
        assert ys == sorted(ys, reverse=True)  # rising values, falling SVG y
        every = [
            pt for found in polylines(document).values() for line in found for pt in points(line)
        ]
        assert all(0 <= x <= 200 and 0 <= y <= 48 for x, y in every)
        assert parse(document).get("viewBox") == "0 0 200 48"

    def test_no_area_values_gives_a_message(self, series_frame):
        document = svg(series_frame.assign(area_value=None), spec=spec())
        assert not polylines(document)
        assert parse(document).find(f"{SVG}text").text == "No series"

    def test_a_flat_series_is_drawn_without_dividing_by_zero(self):
        frame = pd.DataFrame({"period_label": ["a", "b"], "area_value": [5.0, 5.0]})
        assert len(points(polylines(svg(frame, spec=spec()))["Area"][0])) == 2


def test_runs_split_at_gaps():
    known = np.array([True, False, True, True, False])
    assert runs(known) == [slice(0, 1), slice(2, 4)]
    assert runs(np.array([False, False])) == []


def test_data_uri_round_trips_and_has_no_raw_angle_brackets(series_frame):
    document = svg(series_frame, spec=spec())
    uri = data_uri(document)
    assert uri.startswith("data:image/svg+xml;charset=utf-8,")
    assert not re.search(r"[<>#]", uri)  # a raw "#" would end the URI at a colour
    assert unquote(uri.split(",", 1)[1]) == document
