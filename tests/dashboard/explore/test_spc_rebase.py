"""The explorer's SPC settings: rebase points and outlier screening in the URL, and what the
SPC view and chart make of them (segments, trial-limit warnings, icons, a target line)."""

from dataclasses import replace
from datetime import date

import pytest

from dashboard import urls
from dashboard.charts import spc as spc_chart
from dashboard.explore import state as explorer_state
from dashboard.explore.spc import spc_view
from queries.catalogue import Target
from tests.dashboard.explore.test_panels import (
    BASE,
    QUARTERS,
    monthly,
    settings,
    showing,
    text_of,
    written,
)

MONTHS = [date(2016 + (m + 3) // 12, (m + 3) % 12 + 1, 1).isoformat() for m in range(24)]


class TestRebaseInTheUrl:
    def test_labels_or_iso_dates_sorted_and_unique(self):
        query = {"view": "spc", "rebase": "2017/18 Q1, 2016-10-01,2017/18 Q1"}
        assert settings(query).rebase == (date(2016, 10, 1), date(2017, 4, 1))

    @pytest.mark.parametrize(
        ("text", "words"),
        [
            ("someday", "Cannot read the rebase period “someday”"),
            ("2030/31 Q1", "No data for the rebase period “2030/31 Q1”"),
        ],
    )
    def test_unusable_periods_are_left_out_with_a_notice(self, text, words):
        notices = []
        assert settings({"rebase": f"2016/17 Q3,{text}"}, notices).rebase == (date(2016, 10, 1),)
        assert len(notices) == 1 and words in notices[0]

    def test_screening_is_off_unless_asked(self):
        assert not settings({}).screen
        assert settings({"screen": "on"}).screen
        notices = []
        assert not settings({"screen": "yes"}, notices).screen
        assert "Unknown outlier screening" in notices[0]

    def test_written_as_readable_labels_and_read_back(self):
        state = replace(BASE, view="spc", rebase=(date(2016, 10, 1), date(2017, 4, 1)), screen=True)
        assert urls.explorer_href(state).endswith(
            "&view=spc&rebase=2016/17%20Q3%2C2017/18%20Q1&screen=on"
        )
        assert settings(written(state)) == state
        assert explorer_state.explorer_from_data(explorer_state.explorer_to_data(state)) == state

    def test_controls_set_them_and_a_new_metric_drops_the_rebase(self):
        values = {
            "metric_id": "ea65_rate",
            "area": BASE.area,
            "method": "default",
            "view": "spc",
            "rebase": [QUARTERS[4], QUARTERS[2]],
            "screen": ["on"],
        }
        kept = explorer_state.explorer_from_controls(values, "rebase")
        assert kept.rebase == (date(2016, 10, 1), date(2017, 4, 1)) and kept.screen
        reset = explorer_state.explorer_from_controls(values, "metric_id")
        assert reset.rebase == () and reset.screen


class TestSpcViewRebased:
    def test_limits_split_at_the_chosen_period(self, store):
        spc = spc_view(monthly(store, view="spc", rebase=(date(2017, 4, 1),)))
        assert spc.rebased_at == ("Apr 2017",)
        assert spc.chart["segment"].tolist() == [0] * 12 + [1] * 12
        second = spc.chart["value"].iloc[12:]
        assert spc.chart["mean"].iloc[-1] == pytest.approx(second.mean())
        assert "rebased at Apr 2017" in spc.subtitle
        assert "# rebased at: Apr 2017" in spc.csv_text()

    def test_short_segments_carry_a_trial_limits_warning(self, store):
        spc = spc_view(showing(monthly(store), view="spc", rebase=(date(2017, 9, 1),)))
        assert spc.chart["trial_limits"].tolist() == [False] * 17 + [True] * 7
        warnings = [n for n in spc.notes if n.startswith("Trial limits")]
        assert warnings == [
            "Trial limits: the limits from Sep 2017 rest on 7 points (fewer than 12); "
            "they will move as points are added."
        ]
        annotations = [a.text for a in spc.figure().layout.annotations]
        assert spc_chart.TRIAL_TEXT in annotations and "Rebased from Sep 2017" in annotations

    def test_a_rebase_leaving_one_point_is_left_out(self, store):
        spc = spc_view(showing(monthly(store), view="spc", rebase=(date(2018, 3, 1),)))
        assert spc.chart["segment"].eq(0).all()
        assert any("fewer than 2 points" in note for note in spc.notes)

    def test_a_rebase_outside_the_plotted_range_is_left_out(self, store):
        view = monthly(store, period_from=date(2016, 4, 1), period_to=date(2017, 3, 1))
        spc = spc_view(showing(view, view="spc", rebase=(date(2017, 9, 1),)))
        assert spc.rebased_at == ()
        assert any("outside the periods plotted" in note for note in spc.notes)

    def test_screening_is_said_on_the_chart(self, store):
        plain = spc_view(showing(monthly(store), view="spc"))
        screened = spc_view(showing(monthly(store), view="spc", screen=True))
        assert "moving-range outliers not screened" in plain.subtitle
        assert "moving-range outliers screened" in screened.subtitle
        assert "# moving ranges: moving-range outliers screened" in screened.csv_text()


class TestIconsAndTarget:
    def test_the_variation_icon_is_drawn_with_its_words(self, store):
        spc = spc_view(showing(monthly(store), view="spc"))
        figure = spc.figure()
        assert len(figure.layout.images) == 1  # no target: no assurance icon
        assert figure.layout.meta["icons"][0].startswith("Variation: ")
        assert spc.assurance_icon is None

    def test_a_target_adds_the_line_and_the_assurance_icon(self, store):
        view = monthly(store)
        metric = replace(view.metric, target=Target(12.0, "Local ambition: 12"))
        spc = spc_view(showing(replace(view, metric=metric), view="spc"))
        figure = spc.figure()
        line = next(t for t in figure.data if t.name == "Local ambition: 12")
        assert set(line.y) == {12.0}
        assert spc.assurance_icon in ("pass", "fail", "hit_and_miss")
        assert len(figure.layout.images) == 2
        assert figure.layout.meta["icons"][1].startswith("Assurance: ")
        assert "# target: Local ambition: 12" in spc.csv_text()


class TestPanel:
    def test_icons_have_text_alternatives_on_the_page(self, store):
        from dashboard.explore import panels as explorer_panels

        spc = spc_view(showing(monthly(store), view="spc"))
        body = explorer_panels.spc_panels(spc, spc.figure())
        images = [c for c in _walk(body) if getattr(c, "alt", None)]
        assert images and images[0].alt.startswith("Variation: ")
        assert "Variation:" in text_of(body[0])


def _walk(component):
    from tests.dashboard.helpers import walk

    return list(walk(component))
