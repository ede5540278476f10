"""SPC charts on the family pages: rebase points and outlier screening in the page's URL, the
chart's segments, icons and target, and a way into the explorer's SPC controls."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard import context, urls
from dashboard.families import state as family_state
from tests.dashboard.families.test_pages import COVENTRY, HALTON, chart, view_for


@pytest.fixture()
def full_store(app, store):
    context.set_store(store)  # the main fixture: 24 months of delayed transfers
    return store


def parse(query):
    choices = urls.Choices(
        areas={HALTON: "Halton", COVENTRY: "Coventry"}, methods=("default",), default_area=COVENTRY
    )
    starts = {"month": [date(2016, 4, 1), date(2017, 4, 1)], "quarter": [date(2016, 4, 1)]}
    options = family_state.FamilyOptions(period_types=("month", "quarter"), starts=starts)
    return family_state.parse_family("dtoc", query, choices=choices, options=options)


class TestState:
    def test_rebase_and_screening_round_trip_through_the_url(self):
        state = family_state.FamilyState(
            family="dtoc",
            area=HALTON,
            method="default",
            period_type="month",
            rebase=(date(2017, 4, 1),),
            screen=True,
        )
        href = family_state.family_href("/dtoc", state)
        query = {k: v[0] for k, v in parse_qs(urlparse(href).query).items()}
        assert (query["rebase"], query["screen"]) == ("Apr 2017", "on")
        assert parse(query).state == state
        assert family_state.from_data(family_state.to_data(state)) == state

    def test_a_period_without_data_is_left_out_with_a_notice(self):
        parsed = parse({"rebase": "Apr 2017,Jan 2030"})
        assert parsed.state.rebase == (date(2017, 4, 1),)
        assert parsed.notices == ["No data for the rebase period “Jan 2030”; it is left out."]


class TestDtocSpcChart:
    def test_rebased_and_screened_as_the_url_says(self, full_store):
        view = view_for(
            full_store, "dtoc", period_type="month", rebase=(date(2017, 4, 1),), screen=True
        )
        spc = chart(view, "dtoc-spc")
        assert spc.empty_message is None
        assert spc.frame["segment"].tolist() == [0] * 12 + [1] * 12
        assert "rebased at Apr 2017" in spc.subtitle
        assert "moving-range outliers screened" in spc.subtitle
        assert spc.figure.layout.meta["icons"][0].startswith("Variation: ")
        label, href = spc.links[0]
        assert "SPC view" in label
        assert "view=spc" in href and "rebase=Apr%202017" in href and "screen=on" in href

    def test_trial_limits_are_noted(self, full_store):
        view = view_for(full_store, "dtoc", period_type="month", rebase=(date(2017, 10, 1),))
        spc = chart(view, "dtoc-spc")
        assert any(note.startswith("Trial limits: the limits from Oct 2017") for note in spc.notes)

    def test_csv_is_the_chart_rows(self, full_store):
        view = view_for(full_store, "dtoc", period_type="month")
        spc = chart(view, "dtoc-spc")
        text = spc.csv_text(view.state, "Coventry")
        assert "# comparator: not used in SPC charts" in text
        assert "# vintage: " in text and "not published" not in text
        assert text.splitlines()[-1].count(",") == len(spc.columns) - 1

    def test_too_few_months_say_so(self, full_store):
        view = view_for(full_store, "dtoc", period_type="month", period_from=date(2017, 8, 1))
        spc = chart(view, "dtoc-spc")
        assert spc.empty_message == (
            "An SPC chart needs at least 10 periods with a value for Coventry; "
            "the chosen range has 8."
        )
        assert spc.figure.layout.meta["empty"] is True


class TestChcSpcChart:
    def test_unpublished_metric_says_so(self, full_store):
        spc = chart(view_for(full_store, "chc"), "chc-28day-spc")
        assert spc.metric.target is not None and spc.metric.target.value == 80.0
        assert spc.empty_message == "Not available in the published data."
