"""The family pages against a fixture with breakdown rows: URL state, the view models behind
each chart (plotted rows, labels, fallbacks, CSV) and the page layouts."""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import parse_qs, urlparse

import dash
import pandas as pd
import pytest

from dashboard import context, urls
from dashboard.families import state as family_state
from dashboard.families import view as family_views
from dashboard.families.chart_views import NOT_AVAILABLE
from dashboard.ui.notice import PAGE_NOTICES
from queries.store import DataStore
from tests.dashboard.helpers import find, text_of, walk
from tests.fixtures import COUNCILS
from tests.queries.test_family import MONTHS, SNAPSHOTS

HALTON, COVENTRY = COUNCILS[0], COUNCILS[1]
PAGE_PATHS = ("/hospital", "/dtoc", "/social-care", "/chc", "/ratings")


def view_for(store, family_id, **changes):
    page = family_views.page_for(family_id)
    options = family_views.family_options(store, page)
    values = dict(family=family_id, area=COVENTRY, method="default")
    values["period_type"] = options.period_types[0]
    state = family_state.FamilyState(**{**values, **changes})
    return family_views.family_view(store, state, area_name="Coventry", options=options)


def chart(view, key):
    return next(c for _, charts in view.sections for c in charts if c.chart.key == key)


class TestFamilyState:
    def parse(self, query, options=None):
        choices = urls.Choices(
            areas={HALTON: "Halton", COVENTRY: "Coventry"},
            methods=("default",),
            default_area=COVENTRY,
        )
        options = options or family_state.FamilyOptions(
            period_types=("quarter", "month"), starts={}, snapshots=tuple(SNAPSHOTS)
        )
        return family_state.parse_family("hospital", query, choices=choices, options=options)

    def test_defaults_when_the_url_names_nothing(self):
        parsed = self.parse({})
        assert parsed.state.area == COVENTRY and parsed.state.period_type == "quarter"
        assert parsed.notices == []

    def test_bad_values_fall_back_with_notices(self):
        parsed = self.parse({"area": "Atlantis", "period": "aeon", "from": "?", "show": "pie"})
        assert parsed.state.period_type == "quarter" and parsed.state.show == "rates"
        assert len(parsed.notices) == 4

    def test_round_trip_through_the_url(self):
        state = family_state.FamilyState(
            family="hospital",
            area=HALTON,
            method="default",
            period_type="quarter",
            period_from=date(2016, 7, 1),
            show="shares",
        )
        href = family_state.family_href("/hospital", state)
        assert href.startswith("/hospital?area=E06000001&method=default&period=quarter")
        query = {k: v[0] for k, v in parse_qs(urlparse(href).query).items()}
        assert query["from"] == "2016/17 Q2"
        assert self.parse(query).state == state

    def test_a_snapshot_between_publications_snaps_to_the_earlier_one(self):
        assert self.parse({"at": "2018-12-01"}).state.at == SNAPSHOTS[0]

    def test_another_period_type_drops_the_range_when_the_previous_type_is_unknown(self):
        values = dict(
            area=HALTON,
            method="default",
            period_type="month",
            period_from="2016-07-01",
            period_to=None,
            show="rates",
            at=None,
        )
        state = family_state.from_controls("hospital", values, "period_type")
        assert state.period_from is None

    def test_monthly_to_quarterly_keeps_the_range_as_containing_quarters(self):
        values = dict(
            area=HALTON,
            method="default",
            period_type="quarter",
            period_from="2016-06-01",
            period_to="2017-02-01",
            show="rates",
            at=None,
        )
        state = family_state.from_controls(
            "dtoc", values, "period_type", previous_period_type="month"
        )
        assert (state.period_type, state.period_from, state.period_to) == (
            "quarter",
            date(2016, 4, 1),
            date(2017, 1, 1),
        )

    def test_a_range_end_at_the_last_period_stays_open_across_a_type_change(self):
        values = dict(
            area=HALTON,
            method="default",
            period_type="quarter",
            period_from="2016-06-01",
            period_to="2019-03-01",
            show="rates",
            at=None,
        )
        state = family_state.from_controls(
            "dtoc",
            values,
            "period_type",
            available=["2016-05-01", "2016-06-01", "2019-03-01"],
            previous_period_type="month",
        )
        assert (state.period_from, state.period_to) == (date(2016, 4, 1), None)

    def test_a_rolling_period_type_drops_the_range(self):
        values = dict(
            area=HALTON,
            method="default",
            period_type="rolling_12m",
            period_from="2016-06-01",
            period_to="2017-02-01",
            show="rates",
            at=None,
        )
        state = family_state.from_controls(
            "hospital", values, "period_type", previous_period_type="month"
        )
        assert (state.period_from, state.period_to) == (None, None)

    def test_range_ends_at_the_extremes_stay_open(self):
        values = dict(
            area=HALTON,
            method="default",
            period_type="quarter",
            period_from="2016-04-01",
            period_to="2017-01-01",
            show="rates",
            at="2019-01-01",
        )
        state = family_state.from_controls(
            "ratings",
            values,
            "area",
            available=["2016-04-01", "2017-01-01"],
            snapshots=["2018-04-01", "2019-01-01"],
        )
        assert (state.period_from, state.period_to, state.at) == (None, None, None)


class TestHospitalView:
    def test_default_period_type_comes_from_the_catalogue(self, family_store):
        options = family_views.family_options(family_store, family_views.page_for("hospital"))
        assert options.period_types == ("quarter",)

    def test_options_are_worked_out_once_per_data_version(self, family_store):
        page = family_views.page_for("hospital")
        first = family_views.family_options(family_store, page)
        assert family_views.family_options(family_store, page) is first
        assert family_views.family_options(family_store, family_views.page_for("dtoc")) != first

    def test_source_panels_with_catalogue_labels(self, family_store):
        view = chart(view_for(family_store, "hospital"), "ea65-source")
        assert list(dict.fromkeys(view.frame["panel"])) == ["Own home", "Care home"]
        assert (
            view.title == "Emergency admissions 65+ by source — Coventry vs comparators vs England"
        )
        assert view.synthetic and view.empty_message is None
        assert [label for label, _ in view.links] == [
            "Open Own home in Metric explorer",
            "Open Care home in Metric explorer",
        ]
        assert "breakdown=admission_source:own_home" in view.links[0][1]
        assert "area=E06000002" in view.links[0][1]

    def test_missing_metrics_say_so_in_place(self, family_store):
        view = chart(view_for(family_store, "hospital"), "readmit-destination")
        assert view.empty_message == NOT_AVAILABLE
        assert view.figure.layout.meta["message"] == NOT_AVAILABLE

    def test_stacked_shares_sum_to_100_per_period(self, family_store):
        view = chart(view_for(family_store, "hospital", show="shares"), "ea65-source-mix")
        totals = view.frame.groupby("period_label")["value"].sum()
        assert totals.tolist() == pytest.approx([100.0] * len(totals))
        assert view.subtitle.startswith("% of the total")

    def test_suppressed_values_are_explained(self, family_store):
        view = chart(view_for(family_store, "hospital", area=HALTON), "ea65-source")
        assert any("suppressed (small numbers)" in note for note in view.notes)

    def test_period_range_limits_the_plotted_rows(self, family_store):
        view = chart(
            view_for(family_store, "hospital", period_from=date(2016, 10, 1)), "ea65-source"
        )
        assert view.frame["period_label"].iloc[0] == "2016/17 Q3"

    def test_csv_is_the_plotted_rows_with_metadata(self, family_store):
        state = view_for(family_store, "hospital").state
        text = family_views.chart_csv(family_store, state, "ea65-source", area_name="Coventry")
        lines = text.splitlines()
        metadata = [line for line in lines if line.startswith("#")]
        assert metadata[0].startswith("# title: Emergency admissions 65+ by source — Coventry")
        assert "# synthetic data: yes (demo values, not real figures)" in metadata
        table = pd.read_csv(io.StringIO(text), comment="#")
        assert table.columns[0] == "panel" and len(table) == 8
        assert set(table["panel"]) == {"Own home", "Care home"}


class TestOtherFamilies:
    def test_dtoc_reasons_are_labelled_from_the_catalogue(self, family_store):
        view = chart(view_for(family_store, "dtoc"), "dtoc-reason-mix")
        assert set(view.frame["component"]) == {
            "A: Completion of assessment",
            "C: Further non-acute NHS care",
            "Dii: Nursing home",
        }
        assert view.frame["period_start"].min() == MONTHS[0]
        assert view.synthetic is False

    def test_ascof_marks_published_and_synthetic_years(self, family_store):
        view = chart(view_for(family_store, "social_care"), "ascof_1a")
        assert view.frame["area_is_synthetic"].tolist() == [True, True, False]
        names = {trace.name for trace in view.figure.data if trace.showlegend is not False}
        assert {"Published data", "Synthetic (demo values)"} <= names
        assert chart(view_for(family_store, "social_care"), "ascof_4a").empty_message

    def test_rating_bars_at_the_latest_snapshot_sum_to_100(self, family_store):
        view = chart(view_for(family_store, "care_services"), "rating-mix")
        assert view.subtitle.endswith("1 Jan 2019")
        nursing = view.frame[view.frame["group"] == "Nursing home"]
        totals = nursing.groupby("bar")["value"].sum()
        assert set(totals.index) == {"Coventry", "Comparator group (mean)", "England"}
        assert totals.tolist() == pytest.approx([100.0] * 3)
        assert "Residential home: not available in the published data." in view.notes

    def test_chosen_snapshot_is_used(self, family_store):
        view = chart(view_for(family_store, "care_services", at=SNAPSHOTS[0]), "rating-mix")
        assert view.subtitle.endswith("1 Apr 2018")

    def test_chc_note_says_values_are_apportioned(self, family_store):
        assert "apportioned" in family_views.page_for("chc").note


@pytest.fixture()
def pages(app, family_store):
    """Each family page's registered layout, by path, as the router calls it."""
    layouts = {page["path"]: page["layout"] for page in dash.page_registry.values()}
    return {path: layouts[path] for path in PAGE_PATHS}


def test_each_family_page_is_registered_from_its_definition(app):
    """Path and name are written once (families/definitions.py); the registration, the
    navigation, the browser title and the answer cache's key all follow from it."""
    from dashboard.families.definitions import PAGES
    from dashboard.serving.response_cache import query_parameters
    from dashboard.ui.page import page_title
    from dashboard.ui.shell import area_pages, nav_links

    registered = {page["path"]: page for page in dash.page_registry.values()}
    for spec in PAGES.values():
        page = registered[spec.path]
        assert (page["name"], page["title"]) == (spec.name, page_title(spec.name))
        assert (spec.name, spec.path) in nav_links()
        assert spec.path in area_pages()
        assert set(query_parameters()[spec.path]) == set(family_state.QUERY_PARAMETERS)


class TestPageLayouts:
    def test_every_page_renders_its_area_with_no_notices(self, pages):
        for name, layout_for in pages.items():
            layout = layout_for(area=HALTON)
            assert "Halton" in text_of(find(layout, "family-heading")), name
            assert find(layout, PAGE_NOTICES).data == [], name

    def test_controls_restore_the_url(self, pages):
        layout = pages["/hospital"](area=HALTON, show="shares", **{"from": "2016/17 Q2"})
        assert find(layout, "family-area").value == HALTON
        assert find(layout, "family-show").value == "shares"
        assert find(layout, "family-from").value == "2016-07-01"

    def test_bad_url_still_renders_with_notices(self, pages):
        layout = pages["/dtoc"](area="Atlantis", period="aeon", show="pie")
        assert len(find(layout, PAGE_NOTICES).data) == 3

    def test_every_chart_is_a_card_with_a_download(self, pages):
        layout = pages["/ratings"](area=COVENTRY)
        buttons = [
            c
            for c in walk(layout)
            if isinstance(getattr(c, "id", None), dict)
            and c.id.get("type") == "family-download-button"
        ]
        assert len(buttons) == 6
        assert "Not available in the published data." in text_of(layout)

    def test_nothing_published_explains_instead_of_failing(self, pages, tmp_path):
        context.set_store(DataStore(tmp_path))
        for name, layout_for in pages.items():
            assert "lsr demo" in text_of(layout_for()), name


def test_every_family_chart_kind_is_a_registered_chart_kind_with_a_view_and_a_spec():
    from dashboard.charts import registry
    from dashboard.families import chart_views, figures
    from dashboard.families.definitions import PAGES

    kinds = {
        chart.kind
        for page in PAGES.values()
        for section in page.sections
        for chart in section.charts
    }
    assert kinds <= set(registry.KINDS)
    assert kinds <= set(chart_views.VIEWS) and kinds <= set(figures.SPECS)


class TestBreakdownNamed:
    """A chart split by a breakdown names it, and the values plotted, in its CSV."""

    def state(self):
        return family_state.FamilyState(
            family="hospital", area=COVENTRY, method="default", period_type="quarter"
        )

    def test_split_chart_csv_names_the_breakdown_and_values_plotted(self, family_store):
        content = family_views.chart_csv(
            family_store, self.state(), "ea65-source", area_name="Coventry"
        )
        assert "# breakdown: Admission source: Own home, Care home\n" in content
        name = family_views.chart_filename(self.state(), "ea65-source", area_name="Coventry")
        assert name == "hospital-ea65-source-by-admission-source-coventry"

    def test_headline_chart_has_neither(self, family_store):
        state = self.state()
        content = family_views.chart_csv(
            family_store, state, "weekend_discharge_ea65", area_name="X"
        )
        assert "# breakdown:" not in content
        name = family_views.chart_filename(state, "weekend_discharge_ea65", area_name="Coventry")
        assert name == "hospital-weekend_discharge_ea65-coventry"


class TestWarmUp:
    def test_after_the_warm_up_every_page_is_a_look_up(self, family_store):
        # Given every family page's look-ups built ahead (as a worker does per version)
        family_views.warm(family_store)
        stats = family_store.cache.stats.per_query
        built = len(stats["shared:family_all_areas"])
        assert built == len(family_views.PAGES)  # each page under the default method
        # When a council's page is drawn under the default method
        for family_id in family_views.PAGES:
            view_for(family_store, family_id, method="default")
        # Then nothing was built again and no chart ran its own query
        assert len(stats["shared:family_all_areas"]) == built
        assert "family_breakdown_series" not in stats
        # and another method is built when first asked for
        view_for(family_store, "dtoc", method="oflog-nn")
        assert len(stats["shared:family_all_areas"]) == built + 1
