"""The explorer's URL state: parsed with notices, written back, from its controls."""

import json
from dataclasses import replace
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest

from dashboard import urls
from dashboard.explore import state as explorer_state
from dashboard.urls import ExplorerState, MetricOptions
from tests.dashboard.test_urls import CHOICES

METRICS = {"ea65_rate": "Emergency admissions 65+", "dtoc_rate": "Delayed transfers of care"}
OPTIONS = {
    "ea65_rate": MetricOptions(period_types=("quarter",)),
    "dtoc_rate": MetricOptions(
        period_types=("month", "quarter"),
        breakdowns=(("responsible_org", "NHS"), ("reason", "Dii")),
    ),
}


def explorer(metric, **query):
    return explorer_state.parse_explorer(
        metric, query, choices=CHOICES, metrics=METRICS, options_for=OPTIONS.__getitem__
    )


class TestParseExplorer:
    def test_defaults(self):
        parsed = explorer(None)
        assert parsed.state == ExplorerState("ea65_rate", "E08000012", "default", "quarter")
        assert parsed.notices == []

    def test_full_query(self):
        parsed = explorer(
            "dtoc_rate",
            area="E06000001",
            method="oflog-nn",
            period="quarter",
            breakdown="reason:Dii",
            **{"from": "2016/17 Q2", "to": "2017-09"},
        )
        assert parsed.notices == []
        assert parsed.state == ExplorerState(
            metric_id="dtoc_rate",
            area="E06000001",
            method="oflog-nn",
            period_type="quarter",
            breakdown="reason",
            breakdown_value="Dii",
            period_from=date(2016, 7, 1),
            period_to=date(2017, 9, 30),
        )

    def test_to_bound_covers_the_whole_named_period(self):
        assert explorer("dtoc_rate", to="2017/18").state.period_to == date(2018, 3, 31)
        assert explorer("dtoc_rate", to="2017-09-01").state.period_to == date(2017, 9, 1)

    @pytest.mark.parametrize(
        ("query", "expected_field", "expected", "mentions"),
        [
            ({"period": "decade"}, "period_type", "month", "decade"),
            ({"breakdown": "reason:Z"}, "breakdown", "all", "reason:Z"),
            ({"from": "sometime"}, "period_from", None, "sometime"),
            ({"to": "2017-02-30"}, "period_to", None, "2017-02-30"),
            ({"area": "Atlantis"}, "area", "E08000012", "Atlantis"),
            ({"method": "dice"}, "method", "default", "dice"),
        ],
    )
    def test_bad_parameters_fall_back_with_a_notice(
        self, query, expected_field, expected, mentions
    ):
        parsed = explorer("dtoc_rate", **query)
        assert getattr(parsed.state, expected_field) == expected
        assert len(parsed.notices) == 1 and mentions in parsed.notices[0]

    def test_unknown_metric_falls_back_to_the_default_metric(self):
        parsed = explorer("not_a_metric")
        assert parsed.state.metric_id == "ea65_rate"
        assert "not_a_metric" in parsed.notices[0]
        assert "Emergency admissions 65+" in parsed.notices[0]

    def test_period_type_of_another_metric_is_refused(self):
        parsed = explorer("ea65_rate", period="month")
        assert parsed.state.period_type == "quarter"
        assert parsed.notices

    def test_reversed_range_is_dropped(self):
        parsed = explorer("dtoc_rate", **{"from": "2018-01", "to": "2017-01"})
        assert parsed.state.period_from is None and parsed.state.period_to is None
        assert "ends before it starts" in parsed.notices[0]

    def test_breakdown_only_metric_starts_on_its_first_breakdown(self):
        options = MetricOptions(("snapshot",), (("rating", "Good"),), headline=False)
        parsed = explorer_state.parse_explorer(
            "x", {}, choices=CHOICES, metrics={"x": "X"}, options_for=lambda _: options
        )
        assert (parsed.state.breakdown, parsed.state.breakdown_value) == ("rating", "Good")


class TestExplorerFromControls:
    VALUES = {
        "metric_id": "dtoc_rate",
        "area": "E06000001",
        "method": "default",
        "period_type": "month",
        "breakdown": "reason:Dii",
        "period_from": "2016-05-01",
        "period_to": "2017-03-01",
    }

    def test_area_change_keeps_everything_else(self):
        state = explorer_state.explorer_from_controls(self.VALUES, "area")
        assert state.breakdown_value == "Dii"
        assert state.period_from == date(2016, 5, 1)

    def test_metric_change_resets_period_type_breakdown_and_range(self):
        state = explorer_state.explorer_from_controls(self.VALUES, "metric_id")
        assert (state.period_type, state.breakdown, state.period_from) == ("", "all", None)

    def test_range_ends_at_the_first_or_last_period_stay_open(self):
        available = ["2016-04-01", "2016-05-01", "2017-03-01"]
        values = {**self.VALUES, "period_from": "2016-04-01"}
        state = explorer_state.explorer_from_controls(values, "area", available=available)
        assert state.period_from is None and state.period_to is None
        narrowed = explorer_state.explorer_from_controls(self.VALUES, "area", available=available)
        assert narrowed.period_from == date(2016, 5, 1)

    def test_period_type_change_resets_the_range(self):
        state = explorer_state.explorer_from_controls(self.VALUES, "period_type")
        assert state.period_from is None and state.breakdown == "reason"

    def test_monthly_to_quarterly_keeps_the_range_as_containing_quarters(self):
        values = {**self.VALUES, "period_type": "quarter"}
        state = explorer_state.explorer_from_controls(
            values, "period_type", previous_period_type="month"
        )
        assert (state.period_from, state.period_to) == (date(2016, 4, 1), date(2017, 1, 1))
        query = _query(urls.explorer_href(state))
        assert (query["from"], query["to"]) == ("2016/17 Q1", "2016/17 Q4")

    def test_open_range_ends_stay_open_across_a_period_type_change(self):
        available = ["2016-04-01", "2016-05-01", "2017-03-01"]
        values = {**self.VALUES, "period_type": "quarter", "period_to": "2017-03-01"}
        state = explorer_state.explorer_from_controls(
            values, "period_type", available=available, previous_period_type="month"
        )
        assert (state.period_from, state.period_to) == (date(2016, 4, 1), None)


class TestStoreData:
    def test_round_trip(self):
        state = ExplorerState(
            "dtoc_rate", "E06000001", "default", "month", period_from=date(2016, 5, 1)
        )
        assert explorer_state.explorer_from_data(explorer_state.explorer_to_data(state)) == state


class TestExplorerHref:
    def test_labels_people_can_read(self):
        state = ExplorerState(
            "dtoc_rate",
            "E06000001",
            "default",
            "quarter",
            "reason",
            "Dii",
            period_from=date(2016, 7, 1),
            period_to=date(2018, 1, 1),
        )
        href = urls.explorer_href(state)
        assert href == (
            "/metric/dtoc_rate?area=E06000001&method=default&period=quarter"
            "&breakdown=reason:Dii&from=2016/17%20Q2&to=2017/18%20Q4"
        )

    @pytest.mark.parametrize("period_type", ["month", "quarter"])
    def test_round_trip(self, period_type):
        state = ExplorerState(
            "dtoc_rate",
            "E06000002",
            "oflog-nn",
            period_type,
            period_from=date(2016, 4, 1),
            period_to=date(2017, 4, 1),
        )
        query = _query(urls.explorer_href(state))
        parsed = explorer("dtoc_rate", **query)
        assert parsed.notices == []
        assert parsed.state.period_from == state.period_from
        assert parsed.state.period_to >= state.period_to

    def test_one_state_round_trips_through_one_href_and_one_store(self):
        """Every field, the view settings with the rest: the one href builder writes them,
        the parser (URL state, then the settings against the periods found) reads them
        back into an equal object, and the page's one store keeps them."""
        months = [date(2016 + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(24)]
        state = ExplorerState(
            "dtoc_rate",
            "E06000002",
            "oflog-nn",
            "month",
            "reason",
            "Dii",
            period_from=months[1],
            period_to=months[-1],
            view="spc",
            baseline="first12",
            at=months[5],
            rebase=(months[3], months[9]),
            screen=True,
            limits="additive",
            reviewed_only=True,
        )
        query = _query(urls.explorer_href(state))
        parsed = explorer("dtoc_rate", **query)
        read = explorer_state.parse_view_settings(
            parsed.state,
            query,
            available=[month.isoformat() for month in months],
            notices=parsed.notices,
        )
        assert parsed.notices == []
        assert read == replace(state, period_to=date(2018, 3, 31))  # "to" is a whole month
        stored = explorer_state.explorer_to_data(state)
        assert json.loads(json.dumps(stored)) == stored
        assert explorer_state.explorer_from_data(stored) == state

    def test_periods_without_a_parseable_label_are_iso_dates(self):
        assert urls.period_text(date(2017, 4, 1), "rolling_12m") == "2017-04-01"
        assert urls.period_text(date(2017, 9, 1), "month") == "Sep 2017"

    def test_optional_parts_are_left_out(self):
        state = ExplorerState("ea65_rate", "E06000001", "default", "")
        assert urls.explorer_href(state) == "/metric/ea65_rate?area=E06000001&method=default"


def _query(href: str) -> dict:
    return dict(parse_qsl(urlsplit(href).query))
