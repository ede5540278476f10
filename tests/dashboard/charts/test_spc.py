import json
from dataclasses import replace

import numpy as np
import pandas as pd
import plotly
import plotly.graph_objects as go

from dashboard.charts import spc
from dashboard.charts.spc import SpcSpec, build
from queries import stats

SPEC = SpcSpec(title="DTOC — Halton: SPC chart (XmR)", subtitle="per 100,000", source_note="Source")


def chart_frame(values, polarity="lower_is_better", baseline=None) -> pd.DataFrame:
    chart = stats.xmr(np.asarray(values, dtype=float), baseline)
    chart["period_label"] = [f"P{i}" for i in range(len(values))]
    special = chart["special_cause"].to_numpy(dtype=bool)
    high = (chart["direction"] == "high").to_numpy()
    improving = high == (polarity == "higher_is_better")
    chart["category"] = np.select(
        [~special, improving], [spc.COMMON, spc.IMPROVEMENT], default=spc.CONCERN
    )
    chart["rules_text"] = chart["rules"]
    return chart


def trace(figure, name):
    return next(t for t in figure.data if t.name == name)


STEADY_THEN_HIGH = [10, 11, 10, 9, 10, 11, 10, 9, 10, 11, 10, 9, 30]


class TestBuild:
    def test_a_high_point_on_a_lower_is_better_metric_is_a_concern_square(self):
        # Given a steady series ending far above its limits, lower being better
        figure = build(chart_frame(STEADY_THEN_HIGH), spec=SPEC)
        # Then the point is drawn as a concern: orange square, named in the legend
        concern = trace(figure, spc.LEGEND_NAMES[spc.CONCERN])
        assert list(concern.x) == ["P12"]
        assert concern.marker.symbol == "square"
        assert concern.marker.color == spc.COLOURS[spc.CONCERN]

    def test_the_same_point_is_an_improvement_diamond_when_higher_is_better(self):
        figure = build(chart_frame(STEADY_THEN_HIGH, "higher_is_better"), spec=SPEC)
        improvement = trace(figure, spc.LEGEND_NAMES[spc.IMPROVEMENT])
        assert list(improvement.x) == ["P12"]
        assert improvement.marker.symbol == "diamond"
        assert improvement.marker.color == spc.COLOURS[spc.IMPROVEMENT]

    def test_every_category_differs_by_symbol_not_colour_alone(self):
        assert len(set(spc.SYMBOLS.values())) == len(spc.CATEGORIES)
        assert len(set(spc.COLOURS.values())) == len(spc.CATEGORIES)

    def test_legend_explains_each_flag_even_when_absent(self):
        figure = build(chart_frame([10, 11, 10, 9, 10, 11, 10, 9, 10, 11]), spec=SPEC)
        names = {t.name for t in figure.data if t.showlegend is not False}
        assert {spc.LEGEND_NAMES[c] for c in (spc.COMMON, spc.IMPROVEMENT, spc.CONCERN)} <= names
        assert spc.LEGEND_NAMES[spc.NEITHER] not in names

    def test_context_metrics_show_neither_instead_of_better_or_worse(self):
        frame = chart_frame(STEADY_THEN_HIGH)
        frame["category"] = np.where(frame["special_cause"], spc.NEITHER, spc.COMMON)
        figure = build(frame, spec=SpcSpec(title="t", subtitle="s", source_note="n", context=True))
        names = {t.name for t in figure.data}
        assert spc.LEGEND_NAMES[spc.NEITHER] in names
        assert spc.LEGEND_NAMES[spc.CONCERN] not in names
        assert trace(figure, spc.LEGEND_NAMES[spc.NEITHER]).marker.symbol == "triangle-up"

    def test_mean_limits_and_two_sigma_lines(self):
        frame = chart_frame(STEADY_THEN_HIGH)
        figure = build(frame, spec=SPEC)
        assert list(trace(figure, spc.MEAN_NAME).y) == list(frame["mean"])
        assert list(trace(figure, spc.LIMITS_NAME).y) == list(frame["upper_limit"])
        assert trace(figure, spc.LIMITS_NAME).line.dash == "dash"
        assert trace(figure, spc.TWO_SIGMA_NAME).line.dash == "dot"
        lower = trace(figure, "Lower process limit")
        assert lower.showlegend is False and list(lower.y) == list(frame["lower_limit"])

    def test_a_shorter_baseline_is_marked_on_the_chart(self):
        figure = build(
            chart_frame(STEADY_THEN_HIGH, baseline=12),
            spec=SpcSpec(title="t", subtitle="s", source_note="n", baseline_points=12),
        )
        assert figure.layout.shapes[0].x0 == 11.5
        assert any("first 12 periods" in a.text for a in figure.layout.annotations)

    def test_periods_are_category_labels(self):
        figure = build(chart_frame(STEADY_THEN_HIGH), spec=SPEC)
        assert figure.layout.xaxis.type == "category"

    def test_no_points_gives_a_message_figure(self):
        figure = build(
            pd.DataFrame(),
            spec=SpcSpec(
                title="t", subtitle="s", source_note="n", empty_message="Needs monthly data."
            ),
        )
        assert figure.layout.meta["empty"] is True
        assert figure.layout.annotations[0].text == "Needs monthly data."


class TestRebasedAndTargeted:
    def rebased(self):
        chart = stats.xmr(np.asarray([10, 11, 10, 9] * 3 + [20, 21, 20, 19], float), rebase_at=[12])
        chart["period_label"] = [f"P{i}" for i in range(len(chart))]
        chart["category"] = spc.COMMON
        chart["rules_text"] = ""
        return chart

    def test_each_segment_has_its_own_limit_lines(self):
        figure = build(self.rebased(), spec=SPEC)
        means = [t for t in figure.data if t.name == spc.MEAN_NAME]
        assert [list(t.x) for t in means] == [
            [f"P{i}" for i in range(12)],
            [f"P{i}" for i in range(12, 16)],
        ]
        assert [t.y[0] for t in means] == [10.0, 20.0]
        assert [t.showlegend for t in means] == [True, False]

    def test_rebase_and_trial_limits_are_marked(self):
        figure = build(self.rebased(), spec=SPEC)
        assert [shape.x0 for shape in figure.layout.shapes] == [11.5]
        texts = [a.text for a in figure.layout.annotations]
        assert "Rebased from P12" in texts
        assert texts.count(spc.TRIAL_TEXT) == 1  # only the 4-point segment

    def test_target_line_and_icons(self):
        spec = SpcSpec(
            title="t",
            subtitle="s",
            source_note="n",
            target=15.0,
            target_label="National expectation: 15",
            variation_icon="concern_high",
            assurance_icon="fail",
        )
        figure = build(self.rebased(), spec=spec)
        target = trace(figure, "National expectation: 15")
        assert set(target.y) == {15.0} and target.line.dash == "longdash"
        assert [
            image.source.startswith("data:image/svg+xml;base64,") for image in figure.layout.images
        ] == [True, True]
        assert figure.layout.meta["icons"] == [
            "Variation: special cause concern, higher values",
            "Assurance: the process will consistently miss the target",
        ]


def as_json(figure) -> object:
    return json.loads(json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder))


class TestWithoutValidation:
    """Built from dicts without Plotly's validation: the figure must be exactly what
    validation makes of the same dicts (a None or a misspelt property would show here)."""

    def test_plain_baselined_rebased_targeted_and_context_charts(self):
        rebased = TestRebasedAndTargeted().rebased()
        context = chart_frame(STEADY_THEN_HIGH)
        context["category"] = np.where(context["special_cause"], spc.NEITHER, spc.COMMON)
        targeted = SpcSpec(
            title="t",
            subtitle="s",
            source_note="n",
            percent=True,
            target=15.0,
            target_label="National expectation: 15",
            variation_icon="concern_high",
            assurance_icon="fail",
        )
        for frame, spec in (
            (chart_frame(STEADY_THEN_HIGH), SPEC),
            (chart_frame(STEADY_THEN_HIGH * 2, baseline=12), replace(SPEC, baseline_points=12)),
            (rebased, SPEC),
            (rebased, targeted),
            (context, replace(SPEC, context=True, variation_icon="common_cause")),
        ):
            figure = build(frame, spec=spec)
            assert as_json(figure) == as_json(go.Figure(figure.to_dict()))
