"""Stacked charts: shares that sum to 100, catalogue labels in the legend, message figures."""

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts import stacked
from tests.dashboard.charts.test_frame_trusted_figure import as_json


@pytest.fixture()
def components() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_label": ["Apr 2017"] * 3 + ["May 2017"] * 3,
            "component": [
                "A: Completion of assessment",
                "C: Further non-acute NHS care",
                "O: Other",
            ]
            * 2,
            "value": [2.0, 1.0, 1.0, 3.0, 0.0, 1.0],
        }
    )


def spec(**changes) -> stacked.StackedSpec:
    values = dict(title="Delayed days by reason — Halton", subtitle="unit", source_note="src")
    return stacked.StackedSpec(**{**values, **changes})


class TestToShares:
    def test_each_period_sums_to_100(self, components):
        # Given rates per component, When turned into shares of each period's total
        shares = stacked.to_shares(components, by=["period_label"])
        # Then every period sums to exactly 100
        totals = shares.groupby(components["period_label"]).sum()
        assert totals.tolist() == pytest.approx([100.0, 100.0])
        assert shares.iloc[0] == pytest.approx(50.0)

    def test_a_zero_total_gives_no_share(self):
        frame = pd.DataFrame({"period_label": ["x", "x"], "value": [0.0, 0.0]})
        assert stacked.to_shares(frame, by=["period_label"]).isna().all()


class TestOverTime:
    def test_one_trace_per_component_in_catalogue_order(self, components):
        order = ("O: Other", "A: Completion of assessment", "C: Further non-acute NHS care")
        figure = stacked.over_time(components, spec=spec(order=order))
        assert [trace.name for trace in figure.data] == list(order)
        assert figure.layout.barmode == "stack"

    def test_a_component_missing_a_period_has_a_gap_there(self, components):
        # Given "O: Other" has no row for the first period, and rows out of period order
        frame = components.drop(index=2).iloc[::-1]
        # When stacked, Then each trace follows the periods in the frame's order of first
        # appearance, with a gap where a component has no row
        figure = stacked.over_time(frame, spec=spec())
        other = next(trace for trace in figure.data if trace.name == "O: Other")
        assert list(figure.data[0].x) == ["May 2017", "Apr 2017"]
        assert other.y[0] == 1.0 and other.y[1] is None  # null in the JSON, as NaN was
        assert [trace.y for trace in figure.data if trace.name.startswith("A")][0] == (3.0, 2.0)

    def test_stacked_shares_reach_100_with_a_percent_axis(self, components):
        frame = components.assign(value=stacked.to_shares(components, by=["period_label"]))
        figure = stacked.over_time(frame, spec=spec(percent=True))
        heights = [sum(trace.y[i] for trace in figure.data) for i in range(2)]
        assert heights == pytest.approx([100.0, 100.0])
        assert figure.layout.yaxis.ticksuffix == "%"

    def test_area_kind_uses_one_stack_group(self, components):
        figure = stacked.over_time(components, spec=spec(kind="area"))
        assert {trace.stackgroup for trace in figure.data} == {"total"}

    def test_title_and_source_are_in_the_figure(self, components):
        figure = stacked.over_time(components, spec=spec())
        assert "Delayed days by reason — Halton" in figure.layout.title.text
        assert any(a.text == "src" for a in figure.layout.annotations)

    def test_nothing_to_plot_gives_a_message(self):
        frame = pd.DataFrame({"period_label": ["x"], "component": ["A"], "value": [None]})
        figure = stacked.over_time(
            frame, spec=spec(empty_message="Not available in the published data.")
        )
        assert figure.layout.meta["message"] == "Not available in the published data."


class TestShareBars:
    def frame(self) -> pd.DataFrame:
        rows = []
        for bar, good in (("Halton", 60.0), ("Comparator group (mean)", 70.0), ("England", 80.0)):
            for component, value in (("Good", good), ("Inadequate", 100 - good)):
                rows.append(dict(group="Nursing home", bar=bar, component=component, value=value))
        return pd.DataFrame(rows)

    def test_every_bar_sums_to_100_with_rating_colours(self):
        bars_spec = stacked.ShareBarsSpec(title="t", subtitle="s", source_note="n")
        figure = stacked.share_bars(self.frame(), spec=bars_spec)
        totals = [sum(trace.x[i] for trace in figure.data) for i in range(3)]
        assert totals == pytest.approx([100.0] * 3)
        colours = {trace.name: trace.marker.color for trace in figure.data}
        assert colours == {"Good": "#6BAED6", "Inadequate": "#A63603"}
        assert figure.data[0].orientation == "h"

    def test_area_bar_is_on_top_of_each_group(self):
        bars_spec = stacked.ShareBarsSpec(
            title="t", subtitle="s", source_note="n", bars=("Halton", "England")
        )
        figure = stacked.share_bars(self.frame(), spec=bars_spec)
        assert list(figure.data[0].y)[-1] == "Halton"  # plotted bottom-up

    def test_one_panel_per_group_headed_by_its_name(self):
        """Two-level axes put the group names beside the bars, where a phone cut them off."""
        frame = pd.concat(
            [self.frame(), self.frame().assign(group="Domiciliary care agency")], ignore_index=True
        )
        spec = stacked.ShareBarsSpec(title="t", subtitle="s", source_note="n")
        figure = stacked.share_bars(frame, spec=spec)
        bar_names = {"Halton", "Comparator group (mean)", "England"}
        assert all(set(trace.y) == bar_names for trace in figure.data)
        assert {trace.yaxis for trace in figure.data} == {"y", "y2"}
        assert [t.name for t in figure.data if t.showlegend] == ["Good", "Inadequate"]
        headings = {a.text: a.y for a in figure.layout.annotations if a.yanchor == "bottom"}
        assert list(headings) == ["<b>Nursing home</b>", "<b>Domiciliary care agency</b>"]
        top, bottom = figure.layout.yaxis.domain, figure.layout.yaxis2.domain
        assert bottom[1] < top[0]  # first group on top, with room for the heading between
        assert headings["<b>Domiciliary care agency</b>"] == bottom[1]
        assert figure.layout.xaxis2.showticklabels and not figure.layout.xaxis.showticklabels


class TestWithoutValidation:
    """Built without Plotly's validation: the figure must be exactly what validation makes
    of the same dicts (a None or a misspelt property would show here)."""

    @pytest.mark.parametrize("kind", ["bar", "area"])
    @pytest.mark.parametrize("percent", [False, True])
    def test_over_time_is_what_validation_makes_of_it(self, components, kind, percent):
        figure = stacked.over_time(components, spec=spec(kind=kind, percent=percent))
        assert as_json(figure) == as_json(go.Figure(figure.to_dict()))

    def test_share_bars_are_what_validation_makes_of_them(self):
        bars_spec = stacked.ShareBarsSpec(title="t", subtitle="s", source_note="n")
        figure = stacked.share_bars(TestShareBars().frame(), spec=bars_spec)
        assert as_json(figure) == as_json(go.Figure(figure.to_dict()))
