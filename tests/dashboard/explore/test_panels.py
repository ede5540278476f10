"""The explorer's views: view state in the URL, the judgements in words, the SPC, ranking and
reviewed-areas view models against the fixture, and the page layout for each view."""

import importlib
import io
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from dashboard import series_view, urls
from dashboard.explore import panels as explorer_panels
from dashboard.explore import state as explorer_state
from dashboard.explore.ranking import ranking_view
from dashboard.explore.reviewed import reviewed_view
from dashboard.explore.spc import spc_view
from dashboard.explore.trend import comparison_text, run_text, trend_statement, trend_summary
from dashboard.ui.notice import PAGE_NOTICES
from tests.dashboard.helpers import find, text_of, walk
from tests.fixtures import COUNCILS

HALTON, COVENTRY = COUNCILS[0], COUNCILS[1]
QUARTERS = [date(2016 + (m + 3) // 12, (m + 3) % 12 + 1, 1).isoformat() for m in range(0, 24, 3)]


def view(store, **changes):
    state = urls.ExplorerState(
        **{
            "metric_id": "ea65_rate",
            "area": COVENTRY,
            "method": "default",
            "period_type": "quarter",
            **changes,
        }
    )
    return series_view.explorer_view(store, state, area_name="Coventry")


def showing(explorer_view, **settings):
    """``explorer_view`` with view settings (``view="spc"``, …) in its one state object."""
    return replace(explorer_view, state=replace(explorer_view.state, **settings))


BASE = urls.ExplorerState("ea65_rate", COVENTRY, "default", "quarter")


def settings(query, notices=None, state=BASE):
    """The view settings of ``query`` read into ``state``, against the fixture's quarters."""
    notices = [] if notices is None else notices
    return explorer_state.parse_view_settings(state, query, available=QUARTERS, notices=notices)


def written(state):
    """The query ``urls.explorer_href`` writes for ``state``."""
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(urls.explorer_href(state)).query))


def monthly(store, **changes):
    return view(store, metric_id="dtoc_rate", period_type="month", **changes)


def csv_rows(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), comment="#")


class TestParseViewSettings:
    def test_defaults_without_parameters(self):
        notices = []
        assert settings({}, notices) == BASE
        assert notices == []

    def test_reads_view_baseline_and_a_period_label_or_iso_date(self):
        query = {"view": "ranking", "baseline": "first12", "at": "2016/17 Q3"}
        assert settings(query) == replace(
            BASE, view="ranking", baseline="first12", at=date(2016, 10, 1)
        )
        assert settings({"at": "2016-10-01"}).at == date(2016, 10, 1)

    @pytest.mark.parametrize(
        ("query", "words"),
        [
            ({"view": "pie"}, "Unknown view “pie”"),
            ({"baseline": "first99"}, "Unknown SPC baseline “first99”"),
            ({"at": "someday"}, "Cannot read the period “someday”"),
            ({"at": "2030/31 Q1"}, "No data for the period “2030/31 Q1”"),
        ],
    )
    def test_invalid_values_fall_back_with_a_notice(self, query, words):
        notices = []
        assert settings(query, notices) == BASE
        assert len(notices) == 1 and words in notices[0]

    def test_funnel_limits_are_read_and_unknown_ones_fall_back(self):
        state = settings({"limits": "additive"})
        assert state.limits == "additive" and state.funnel_adjustment == "additive"
        assert BASE.funnel_adjustment is None  # the metric's default
        notices = []
        state = settings({"limits": "wide"}, notices)
        assert state.limits == "default" and "Unknown funnel limits “wide”" in notices[0]

    def test_the_latest_period_is_the_default_so_it_is_not_kept(self):
        state = settings({"at": "2017/18 Q4"})
        assert state.at is None
        assert explorer_state.at_or_latest(state, QUARTERS) == date(2018, 1, 1)

    def test_the_url_state_is_kept_while_the_settings_are_read(self):
        ranged = replace(
            BASE, period_from=date(2016, 7, 1), breakdown="reason", breakdown_value="x"
        )
        assert settings({"view": "spc"}, state=ranged) == replace(ranged, view="spc")


class TestHref:
    def test_only_non_defaults_are_written(self):
        assert set(written(BASE)) == {"area", "method", "period"}
        state = replace(BASE, view="spc", baseline="first24", at=date(2016, 10, 1))
        assert urls.explorer_href(state).endswith("&view=spc&baseline=first24&at=2016/17%20Q3")

    def test_funnel_limits_round_trip_and_bad_stored_values_are_the_default(self):
        state = replace(BASE, view="ranking", limits="multiplicative")
        query = written(state)
        assert (query["view"], query["limits"]) == ("ranking", "multiplicative")
        assert settings(query) == state
        assert explorer_state.explorer_from_data(explorer_state.explorer_to_data(state)) == state
        stored = {**explorer_state.explorer_to_data(state), "limits": "<script>"}
        assert explorer_state.explorer_from_data(stored).limits == "default"

    def test_round_trip(self):
        state = replace(BASE, view="ranking", baseline="first12", at=date(2016, 10, 1))
        assert settings(written(state)) == state
        assert explorer_state.explorer_from_data(explorer_state.explorer_to_data(state)) == state

    def test_a_new_metric_drops_the_ranked_period(self):
        values = {
            "metric_id": "ea65_rate",
            "area": COVENTRY,
            "method": "default",
            "view": "ranking",
            "baseline": "all",
            "at": QUARTERS[2],
        }
        kept = explorer_state.explorer_from_controls(values, "view", available=QUARTERS)
        assert kept.at == date.fromisoformat(QUARTERS[2])
        reset = explorer_state.explorer_from_controls(values, "metric_id", available=QUARTERS)
        assert reset.view == "ranking" and reset.at is None


class TestTrendWords:
    def test_comparisons(self):
        assert comparison_text("higher", "worse", "England") == (
            "Significantly higher than England (worse)"
        )
        assert comparison_text("lower", "not compared", "England") == (
            "Significantly lower than England"
        )
        assert comparison_text("similar", "similar", "comparators").startswith("Similar to")

    def test_trend_reads_better_or_worse_by_polarity(self):
        rising = trend_statement("increasing", "lower_is_better")
        assert (
            rising.text.startswith("↑ Increasing and getting worse") and rising.verdict == "worse"
        )
        assert trend_statement("decreasing", "lower_is_better").verdict == "better"
        assert trend_statement("not enough data", "lower_is_better").verdict == "not compared"

    def test_runs(self):
        assert run_text("higher", 6, "England") == (
            "Significantly higher than England for the last 6 periods in a row."
        )
        assert (
            run_text("similar", 1, "comparators") == "Similar to comparators in the latest period."
        )
        assert run_text("not compared", 0, "England") is None

    def test_summary_of_the_fixture(self, store):
        summary = trend_summary(view(store))
        assert summary.latest.startswith("2017/18 Q4: ")
        assert "95% CI" in summary.latest
        assert "England" in summary.comparisons[0].text
        assert "comparators" in summary.comparisons[1].text
        # a quarterly series gets SPC, not the Fingertips trend, and the summary says so
        assert summary.trend.text.startswith("Quarterly series: SPC instead of a trend test")
        assert summary.trend.verdict == "not compared"

    def test_monthly_series_point_to_spc(self, store):
        summary = trend_summary(monthly(store))
        assert summary.trend.text.startswith("Monthly series: SPC instead of a trend test: ")

    def test_annual_series_get_the_fingertips_trend(self, store):
        summary = trend_summary(view(store, metric_id="ascof_2b1", period_type="financial_year"))
        # four years in the fixture: the proportion test needs five years of counts
        assert summary.trend.text == (
            "No trend: not enough data (needs counts for each of the last 5 years)"
        )


class TestSpcView:
    def test_monthly_series_has_an_xmr_chart_and_a_category(self, store):
        spc = spc_view(showing(monthly(store), view="spc"))
        assert spc.message is None
        assert len(spc.chart) == 24
        assert spc.latest_category in (
            "common cause",
            "special cause improvement",
            "special cause concern",
        )
        assert spc.summary().startswith("Mar 2018")
        assert "limits from all periods" in spc.subtitle

    def test_baseline_sets_the_limits_from_the_first_periods(self, store):
        spc = spc_view(showing(monthly(store), view="spc", baseline="first12"))
        assert spc.baseline_points == 12
        first = spc.chart["value"].iloc[:12]
        assert spc.chart["mean"].iloc[-1] == pytest.approx(first.mean())

    def test_a_baseline_longer_than_the_series_uses_all_with_a_note(self, store):
        spc = spc_view(showing(monthly(store), view="spc", baseline="first24"))
        assert spc.baseline_points is None
        assert any("use all of them" in note for note in spc.notes)

    def test_annual_metrics_explain_why_there_is_no_chart(self, store):
        spc = spc_view(view(store, metric_id="ascof_2b1", period_type="financial_year"))
        assert spc.chart.empty
        assert "monthly or quarterly" in spc.message
        assert spc.figure().layout.meta["empty"] is True

    def test_too_few_periods_say_so(self, store):
        spc = spc_view(showing(view(store), view="spc"))  # 8 quarters
        assert "at least 10 periods" in spc.message

    def test_csv_is_the_chart_rows_with_metadata(self, store):
        spc = spc_view(showing(monthly(store), view="spc"))
        text = spc.csv_text()
        assert "# baseline: all periods" in text
        rows = csv_rows(text)
        assert len(rows) == 24
        assert {"mean", "upper_limit", "category", "rules"} <= set(rows.columns)


class TestRankingView:
    def test_latest_period_by_default_and_the_area_summarised(self, store):
        ranked = ranking_view(store, showing(view(store), view="ranking"))
        assert ranked.period_label == "2017/18 Q4"
        assert ranked.summary().startswith("Coventry: ")
        assert "of 20 councils" in ranked.summary()
        assert ranked.title("ranking").endswith("2017/18 Q4 (Coventry marked)")

    def test_the_chosen_period_and_the_suppressed_council_noted(self, store):
        ranked = ranking_view(store, view(store, view="ranking", at=date(2016, 4, 1)))
        assert ranked.period_label == "2016/17 Q1"
        assert "Halton" in ranked.missing_note()
        assert len(ranked.ranked) == 19

    def test_csv_of_each_chart_is_exactly_its_plotted_rows(self, store):
        ranked = ranking_view(store, showing(view(store), view="ranking"))
        rows = csv_rows(ranked.csv_text("ranking"))
        assert rows["position"].tolist() == list(range(1, 21))
        assert "# period: 2017/18 Q4" in ranked.csv_text("funnel")
        assert len(csv_rows(ranked.csv_text("funnel"))) == len(ranked.funnel_rows)

    def test_metrics_without_counts_explain_the_missing_funnel(self, store):
        ranked = ranking_view(store, showing(view(store), view="ranking", limits="none"))
        assert ranked.funnel_message() is None
        figure = ranked.funnel_figure()
        assert [t.name for t in figure.data][:3] == ["99.8 % limits", "95 % limits", "England"]

    def test_funnel_says_which_limits_it_shows_and_whose_default(self, store):
        # ea65_rate's catalogue default is additive random effects
        ranked = ranking_view(store, showing(view(store), view="ranking"))
        assert ranked.dispersion.method == "additive"
        note = ranked.limits_note()
        assert note.startswith("Funnel: ") and "the default for this metric" in note
        if ranked.dispersion.adjusts:
            assert "additive random effects" in ranked.subtitle("funnel")
            names = [t.name for t in ranked.funnel_figure().data][:2]
            assert names == [
                "99.8 % limits (overdispersion-adjusted)",
                "95 % limits (overdispersion-adjusted)",
            ]
        chosen = ranking_view(store, showing(view(store), view="ranking", limits="none"))
        assert "binomial / Poisson limits" in chosen.subtitle("funnel")
        assert "this metric's default is additive" in chosen.limits_note()
        assert "# limits: limits from the binomial/Poisson model alone" in chosen.csv_text("funnel")

    def test_the_denominator_axis_is_explained_in_words(self, store):
        ranked = ranking_view(store, showing(view(store), view="ranking"))
        assert ranked.denominator_title.startswith("ONS mid-year population estimate aged 65+")
        daily = ranking_view(store, showing(monthly(store), view="ranking"))
        assert daily.denominator_title.startswith("Person-days aged 18+")
        title = daily.funnel_figure().layout.xaxis.title.text.replace("<br>", " ")
        assert "Person-days aged 18+" in title and "larger areas to the right" in title


class TestReviewedView:
    def test_the_reviewed_councils_in_the_chosen_range(self, store):
        reviewed = reviewed_view(store, view(store, period_from=date(2017, 4, 1)))
        assert reviewed.area_count == 2
        assert reviewed.title.startswith("Emergency admissions 65+ — the 2 reviewed areas")
        assert reviewed.frame["period_label"].iloc[0] == "2017/18 Q1"
        rows = csv_rows(reviewed.csv_text())
        assert len(rows) == 2 * 4 and set(rows["name"]) == {"Halton", "Coventry"}


@pytest.fixture()
def page(app, store):
    return importlib.import_module("dashboard.explore.page")


def graph_ids(layout) -> list:
    return [c.id for c in walk(layout) if type(c).__name__ == "Graph"]


class TestPage:
    @pytest.mark.parametrize(
        ("query", "graphs"),
        [
            ({}, ["explorer-graph"]),
            ({"view": "spc", "period": "month"}, ["explorer-spc-graph"]),
            ({"view": "ranking"}, ["explorer-ranking-graph", "explorer-funnel-graph"]),
            ({"view": "reviewed"}, ["explorer-reviewed-graph"]),
        ],
    )
    def test_each_view_renders_its_charts(self, page, query, graphs):
        metric = "dtoc_rate" if query.get("period") == "month" else "ea65_rate"
        layout = page.layout(metric, area=COVENTRY, **query)
        assert graph_ids(layout) == graphs
        assert find(layout, "explorer-view").value == query.get("view", "trend")
        assert find(layout, PAGE_NOTICES).data == []

    def test_trend_has_the_summary_with_verdict_badges(self, page):
        layout = page.layout("ea65_rate", area=COVENTRY)
        badges = [
            c for c in walk(layout) if "lsr-verdict" in (getattr(c, "className", "") or "").split()
        ]
        assert len(badges) == 3  # England, comparators, trend
        assert "Latest" in text_of(layout)

    def test_ranking_hides_the_range_and_shows_the_ranked_period(self, page):
        layout = page.layout("ea65_rate", area=COVENTRY, view="ranking", at="2016/17 Q2")
        assert find(layout, "explorer-at").value == "2016-07-01"
        hidden = [c for c in walk(layout) if getattr(c, "style", None) == {"display": "none"}]
        ids = (getattr(c, "id", None) for box in hidden for c in walk(box))
        hidden_ids = {i for i in ids if isinstance(i, str)}  # the Share field's ids are dicts
        assert {"explorer-from", "explorer-to"} <= hidden_ids
        assert "explorer-at" not in hidden_ids

    def test_bad_view_values_fall_back_with_notices(self, page):
        layout = page.layout("ea65_rate", area=COVENTRY, view="pie", baseline="x", at="never")
        assert graph_ids(layout) == ["explorer-graph"]
        assert len(find(layout, PAGE_NOTICES).data) == 3

    def test_csv_download_payload_for_a_chart(self, page, store):
        payload = explorer_panels.csv_for(store, "ranking", showing(view(store), view="ranking"))
        assert payload["filename"].startswith("emergency-admissions-65-all-councils-ranked")
        assert payload["content"].startswith("# title: ")
