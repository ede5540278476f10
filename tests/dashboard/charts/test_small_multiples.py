import dataclasses
import json

import pandas as pd
import plotly
import plotly.graph_objects as go
import pytest

from dashboard import theme
from dashboard.charts.small_multiples import SmallMultiplesSpec, build

SPEC = SmallMultiplesSpec(
    title="DTOC — the 20 reviewed areas",
    subtitle="per 100,000",
    source_note="Source",
    highlight="Area 3",
)
LABELS = ["Apr 2017", "May 2017", "Jun 2017"]


@pytest.fixture()
def reviewed() -> pd.DataFrame:
    rows = []
    for index in range(20):
        for step, label in enumerate(LABELS):
            rows.append(
                dict(
                    name=f"Area {index + 1}",
                    period_start=pd.Timestamp(2017, 4 + step, 1).date(),
                    period_label=label,
                    area_value=10.0 + index + step,
                    comparator_mean=12.0,
                    england_value=11.0,
                )
            )
    return pd.DataFrame(rows)


def titles(figure) -> list[str]:
    return [a.text for a in figure.layout.annotations if a.yanchor == "bottom"]


class TestBuild:
    def test_one_panel_per_area_titled_with_its_name(self, reviewed):
        figure = build(reviewed, spec=SPEC)
        assert len(titles(figure)) == 20
        assert titles(figure)[0] == "Area 1"
        assert {t.xaxis for t in figure.data} == {"x", *(f"x{i}" for i in range(2, 21))}

    def test_three_lines_per_panel_in_the_fixed_colours(self, reviewed):
        figure = build(reviewed, spec=SPEC)
        assert len(figure.data) == 60
        first = figure.data[:3]
        assert [t.line.color for t in first] == [theme.ENGLAND, theme.COMPARATOR, theme.AREA]
        assert [t.showlegend for t in figure.data[3:6]] == [False, False, False]

    def test_every_panel_shares_the_y_axis_and_the_periods(self, reviewed):
        figure = build(reviewed, spec=SPEC)
        layout = figure.layout
        for index in range(2, 21):
            assert layout[f"yaxis{index}"].matches == "y"
            assert layout[f"xaxis{index}"].matches == "x"
        assert list(layout.xaxis.categoryarray) == LABELS

    def test_five_columns_four_rows(self, reviewed):
        layout = build(reviewed, spec=SPEC).layout
        lefts = {round(layout[f"xaxis{i if i > 1 else ''}"].domain[0], 3) for i in range(1, 21)}
        tops = {round(layout[f"yaxis{i if i > 1 else ''}"].domain[1], 3) for i in range(1, 21)}
        assert len(lefts) == 5 and len(tops) == 4

    def test_the_selected_area_is_highlighted(self, reviewed):
        figure = build(reviewed, spec=SPEC)
        highlighted = [a for a in figure.layout.annotations if a.text == "<b>Area 3</b>"]
        assert highlighted and highlighted[0].font.color == theme.AREA

    def test_no_values_gives_a_message(self, reviewed):
        figure = build(reviewed.assign(area_value=float("nan")), spec=SPEC)
        assert figure.layout.meta["empty"] is True


def test_each_panel_title_carries_its_note_and_the_panels_grow_to_fit(reviewed):
    notes = {f"Area {i}": f"{i}.0 · worse than England" for i in range(1, 21)}
    figure = build(reviewed, spec=dataclasses.replace(SPEC, notes=notes))
    assert (
        titles(figure)[0]
        == "Area 1<br><span style='font-size:10px'>1.0 · worse than England</span>"
    )
    assert all(note in title for note, title in zip(notes.values(), titles(figure), strict=True))
    assert figure.layout.height > build(reviewed, spec=SPEC).layout.height


def as_json(figure) -> object:
    return json.loads(json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder))


class TestWithoutValidation:
    """Built from dicts without Plotly's validation: the figure must be exactly what
    validation makes of the same dicts (a None or a misspelt property would show here)."""

    @pytest.mark.parametrize("areas", [1, 3, 20])
    def test_the_figure_is_what_validation_makes_of_it(self, reviewed, areas):
        shown = reviewed[reviewed["name"].isin([f"Area {n + 1}" for n in range(areas)])]
        spec = dataclasses.replace(SPEC, percent=areas == 3, notes={"Area 1": "Latest 12"})
        figure = build(shown, spec=spec)
        assert as_json(figure) == as_json(go.Figure(figure.to_dict()))
        assert "matches" not in figure.to_dict()["layout"]["xaxis"]
