"""One basis per rate on screen and in exports: a counted rate names its period in the tile,
the chart subtitles, every CSV header and the explorer's definition, for the period type on
show; monthly views never say "quarter"."""

from __future__ import annotations

import importlib

import pandas as pd
import pyarrow as pa
import pytest

from dashboard import context, reference, series_view
from dashboard.explore import view as explorer
from dashboard.profile.tiles import metric_tile
from dashboard.profile.view import profile_view, spine_csv, spine_frame
from dashboard.select import view as selection
from dashboard.select.url_state import parse_selection
from dashboard.urls import ExplorerState, ProfileState
from extracts.publish import publish
from queries import schema
from queries.store import DataStore
from tests.dashboard.helpers import text_of
from tests.fixtures import COUNCILS, fixture_tables

HALTON, COVENTRY = COUNCILS[0], COUNCILS[1]
PER_QUARTER = "per 100,000 population aged 65+ per quarter"
PER_MONTH = "per 100,000 population aged 65+ per month"


def _with_monthly_admissions(tables: dict) -> dict:
    """The fixture plus ea65_rate by month (a third of each quarter's admissions)."""
    indicators = tables["indicators"].to_pandas()
    quarters = indicators[indicators["metric_id"] == "ea65_rate"]
    months = []
    for offset in range(3):
        rows = quarters.copy()
        rows["period_type"] = "month"
        rows["period_start"] = [
            (pd.Timestamp(start) + pd.DateOffset(months=offset)).date()
            for start in rows["period_start"]
        ]
        rows["period_end"] = [
            (pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date() for start in rows["period_start"]
        ]
        rows["numerator"] = (rows["numerator"] / 3).round()
        rows["value"] = rows["numerator"] / rows["denominator"] * 100_000
        months.append(rows)
    frame = pd.concat([indicators, *months], ignore_index=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return {**tables, "indicators": schema.conform("indicators", table)}


@pytest.fixture(scope="module")
def monthly_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("monthly")
    publish(directory, tables=_with_monthly_admissions(fixture_tables()), fresh=True)
    return directory


@pytest.fixture()
def monthly_store(app, monthly_dir):
    store = DataStore(monthly_dir)
    context.set_store(store)
    return store


def explorer_view(store, period_type: str):
    state = ExplorerState(
        metric_id="ea65_rate", area=HALTON, method="default", period_type=period_type
    )
    return series_view.explorer_view(store, state, area_name="Halton")


class TestExplorer:
    @pytest.mark.parametrize(
        ("period_type", "unit"), [("quarter", PER_QUARTER), ("month", PER_MONTH)]
    )
    def test_subtitle_and_csv_name_the_period(self, monthly_store, period_type, unit) -> None:
        view = explorer_view(monthly_store, period_type)
        assert view.subtitle.startswith(unit + " · ")
        assert f"# unit: {unit}\n" in explorer.csv_text(view)

    def test_monthly_page_definition_never_says_quarter(self, monthly_store) -> None:
        page = importlib.import_module("dashboard.explore.page")
        text = text_of(page.layout("ea65_rate", area=HALTON, period="month"))
        definition = next(p for p in text.split("  ") if "Emergency hospital admissions" in p)
        assert "in the month" in definition and "quarter" not in definition


class TestProfile:
    def test_tile_unit_is_per_quarter(self, store) -> None:
        profile = profile_view(
            store, ProfileState(COVENTRY, "default"), areas=reference.directory()
        )
        summary = next(s for s in profile.summaries if s.metric.id == "ea65_rate")
        tile = text_of(metric_tile(summary, explore_href="/metric/ea65_rate"))
        assert PER_QUARTER in tile

    def test_spine_csv_has_a_unit_per_metric(self, store) -> None:
        frame = spine_frame(store, ProfileState(COVENTRY, "default"))
        text = spine_csv(frame, area_name="Coventry", scope="england", method="default")
        rows = pd.read_csv(pd.io.common.StringIO(text), comment="#")
        assert rows.set_index("metric_id").loc["ea65_rate", "unit"] == PER_QUARTER


class TestSelectAreas:
    def test_yearly_values_built_from_quarters_say_per_quarter(self, store) -> None:
        choices = selection.selection_choices(store, areas=reference.directory())
        state = parse_selection({"year": "2016"}, choices).state
        view = selection.selection_view(store, state, areas=reference.directory())
        metric = view.metric("ea65_rate")
        assert view.basis("ea65_rate") == "quarter"
        assert view.unit(metric) == PER_QUARTER
        assert f"| {PER_QUARTER} |" in selection.csv_text(view)
        assert any(PER_QUARTER in note for note in selection.footnotes(view))


class TestMethodsPage:
    def test_states_the_rule_and_the_generic_unit(self) -> None:
        from dashboard import methods_and_sources
        from dashboard.methods import view as methods

        sections = methods_and_sources.method_sections()
        section = next(s for s in sections if s.anchor == "rate-basis")
        text = " ".join(section.paragraphs)
        assert "never annualised" in text and "per quarter" in text and "person-days" in text
        facts = {
            entry.metric.id: dict(entry.facts)
            for _, _, group in methods.metric_definitions()
            for entry in group
        }
        assert facts["ea65_rate"]["Unit"].endswith("per quarter, month or year (as labelled)")
        assert facts["ascof_2a2"]["Unit"].endswith("per year")
