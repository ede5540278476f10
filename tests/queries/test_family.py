"""The family query API against the fixture publish plus a few breakdown rows built here:
admissions by source, delayed days by reason, CQC ratings by service type and an ASCOF
series that is part published, part synthetic."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow as pa
import pytest

from extracts.publish import publish
from queries import family, schema
from queries.store import DataStore
from tests.fixtures import COUNCILS, ENGLAND, fixture_tables

HALTON, COVENTRY = COUNCILS[0], COUNCILS[1]
QUARTERS = [date(2016, 4, 1), date(2016, 7, 1), date(2016, 10, 1), date(2017, 1, 1)]
MONTHS = [date(2017, 4, 1), date(2017, 5, 1), date(2017, 6, 1)]
SNAPSHOTS = [date(2018, 4, 1), date(2019, 1, 1)]
YEARS = [date(2016, 4, 1), date(2017, 4, 1), date(2018, 4, 1)]
SOURCE_RATES = {"own_home": 50.0, "care_home": 10.0, "other": 4.0}
REASON_RATES = {"A": 2.0, "C": 1.0, "Dii": 3.0}
RATING_SHARES = {"outstanding": 2.0, "good": 70.0, "requires_improvement": 24.0, "inadequate": 4.0}


def _rows(metric_id, source, period_type, starts, breakdown, values, *, synthetic=True):
    rows = []
    for index, code in enumerate([ENGLAND, *COUNCILS]):
        for start in starts:
            for value_code, level in values.items():
                value = level * (1 + 0.01 * index)
                rows.append(
                    dict(
                        metric_id=metric_id,
                        area_code=code,
                        period_start=start,
                        period_end=start,
                        period_type=period_type,
                        breakdown=breakdown,
                        breakdown_value=value_code,
                        numerator=value * 10,
                        denominator=1000.0 if metric_id != "ea65_rate" else 1_000_000.0,
                        value=value,
                        lower_ci=None,
                        upper_ci=None,
                        suppressed=False,
                        is_synthetic=synthetic(start) if callable(synthetic) else synthetic,
                        vintage="family fixture",
                        source=source,
                    )
                )
    return rows


def family_tables() -> dict[str, pa.Table]:
    """The shared fixture plus breakdown rows for every kind of family chart."""
    tables = fixture_tables()
    rows = [
        *_rows("ea65_rate", "hes", "quarter", QUARTERS, "admission_source", SOURCE_RATES),
        *_rows("dtoc_rate", "dtoc", "month", MONTHS, "reason", REASON_RATES, synthetic=False),
        *_rows(
            "cqc_rating_share",
            "cqc",
            "snapshot",
            SNAPSHOTS,
            "service_type:nursing_home",
            RATING_SHARES,
        ),
        *_rows(
            "ascof_1a",
            "ascof",
            "financial_year",
            YEARS,
            "all",
            {"all": 19.0},
            synthetic=lambda start: start < date(2018, 4, 1),
        ),
    ]
    frame = pd.DataFrame(rows)
    frame.loc[
        (frame["area_code"] == HALTON)
        & (frame["metric_id"] == "ea65_rate")
        & (frame["breakdown_value"] == "care_home")
        & (frame["period_start"] == QUARTERS[0]),
        ["value", "numerator", "suppressed"],
    ] = [None, None, True]
    extra = schema.conform("indicators", pa.Table.from_pandas(frame, preserve_index=False))
    tables["indicators"] = pa.concat_tables([tables["indicators"], extra])
    return tables


def publish_family_fixture(data_dir) -> str:
    return publish(data_dir, tables=family_tables(), fresh=True)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    directory = tmp_path_factory.mktemp("family")
    publish_family_fixture(directory)
    return DataStore(directory)


class TestFamilyAvailability:
    def test_holds_only_the_familys_metrics(self, store):
        # Given the hes source (only ea65_rate in the fixture), When asked for hospital
        availability = family.family_availability(store, "hospital")
        # Then only hospital metrics appear, with both headline and breakdown rows
        assert set(availability.rows["metric_id"]) == {"ea65_rate"}
        assert availability.has("ea65_rate", "quarter", "admission_source")
        assert availability.has("ea65_rate", "quarter", "all")
        assert not availability.has("readmit30_65")

    def test_kept_once_per_data_version(self, store):
        # a page asks on every render: the second ask is the same object, no new work
        first = family.family_availability(store, "hospital")
        assert family.family_availability(store, "hospital") is first
        assert family.family_availability(store, "dtoc") is not first

    def test_has_answers_as_filtering_the_rows_would(self):
        rows = pd.DataFrame(
            {
                "metric_id": ["a", "a", "b"],
                "period_type": ["month", "quarter", "month"],
                "breakdown": ["all", "reason", "all"],
            }
        )
        availability = family.Availability(rows)
        for metric_id in ("a", "b", "c"):
            for period_type in ("month", "quarter", "snapshot", None):
                for breakdown in ("all", "reason", None):
                    matches = rows[rows["metric_id"] == metric_id]
                    if period_type is not None:
                        matches = matches[matches["period_type"] == period_type]
                    if breakdown is not None:
                        matches = matches[matches["breakdown"] == breakdown]
                    expected = not matches.empty
                    assert availability.has(metric_id, period_type, breakdown) == expected

    def test_period_types_in_reading_order_and_starts_sorted(self, store):
        availability = family.family_availability(store, "dtoc")
        assert availability.period_types() == ["month"]
        starts = availability.period_starts("month")
        assert starts == sorted(starts) and MONTHS[0] in starts

    def test_period_type_falls_back_to_one_the_metric_has(self, store):
        availability = family.family_availability(store, "hospital")
        metric = family.load_catalogue().get("ea65_rate")
        assert availability.period_type_for(metric, "month") == "quarter"
        assert availability.period_type_for(metric, "quarter") == "quarter"

    def test_a_family_with_no_data_is_empty_not_an_error(self, store):
        availability = family.family_availability(store, "chc")
        assert availability.rows.empty
        assert availability.period_types() == []
        assert availability.vintage("chc_28day") is None


class TestBreakdownSeries:
    def request(self, **changes):
        values = dict(
            metric_id="ea65_rate",
            area_code=COVENTRY,
            method="default",
            period_type="quarter",
            breakdown="admission_source",
        )
        return family.BreakdownRequest(**{**values, **changes})

    def test_one_row_per_value_and_period_with_catalogue_labels(self, store):
        frame = family.breakdown_series(store, self.request())
        assert len(frame) == len(SOURCE_RATES) * len(QUARTERS)
        assert set(frame["breakdown_label"]) == {"Own home", "Care home", "Other"}
        assert frame["period_label"].iloc[0] == "2016/17 Q1"

    def test_area_comparator_and_england_values(self, store):
        frame = family.breakdown_series(store, self.request())
        row = frame[frame["breakdown_value"] == "own_home"].iloc[0]
        assert row["area_value"] == pytest.approx(50.0 * 1.02)  # Coventry is council 2
        assert row["england_value"] == pytest.approx(50.0)
        assert row["comparator_n"] == 15
        assert row["comparator_min"] <= row["comparator_mean"] <= row["comparator_max"]

    def test_intervals_are_filled_from_counts(self, store):
        frame = family.breakdown_series(store, self.request())
        assert frame["area_lower"].notna().all()
        assert (frame["area_lower"] <= frame["area_value"]).all()

    def test_suppressed_values_are_flagged_not_dropped(self, store):
        frame = family.breakdown_series(store, self.request(area_code=HALTON))
        row = frame[
            (frame["breakdown_value"] == "care_home") & (frame["period_start"] == QUARTERS[0])
        ]
        assert bool(row["area_suppressed"].iloc[0]) is True
        assert pd.isna(row["area_value"].iloc[0])

    def test_rating_shares_within_a_service_type_use_rating_labels(self, store):
        frame = family.breakdown_series(
            store,
            self.request(
                metric_id="cqc_rating_share",
                period_type="snapshot",
                breakdown="service_type:nursing_home",
            ),
        )
        assert set(frame["breakdown_label"]) == {
            "Outstanding",
            "Good",
            "Requires improvement",
            "Inadequate",
        }

    def test_synthetic_flag_per_period(self, store):
        frame = family.breakdown_series(
            store,
            self.request(metric_id="ascof_1a", period_type="financial_year", breakdown="all"),
        )
        assert frame["area_is_synthetic"].tolist() == [True, True, False]
        assert frame["breakdown_label"].unique().tolist() == ["All"]


class TestAllAreas:
    """Every council's series from one query over all of them: each council's slice is what
    the per-area query gives (the comparator means may differ in the last bit: DuckDB sums
    the peers in another order)."""

    def keys(self, store) -> list[family.SeriesKey]:
        rows = store.query("family_availability", source="hes")
        for source in ("dtoc", "cqc", "ascof"):
            rows = pd.concat([rows, store.query("family_availability", source=source)])
        combos = rows[["metric_id", "period_type", "breakdown"]].drop_duplicates()
        return [family.SeriesKey(*combo) for combo in combos.itertuples(index=False)]

    @pytest.mark.parametrize("method", ["default", "oflog-nn"])
    def test_every_councils_slice_is_its_per_area_series(self, store, method):
        keys = self.keys(store)
        assert len(keys) >= 7
        table = family.all_areas(store, tuple(keys), method)
        for area in COUNCILS:
            for key in keys:
                request = family.BreakdownRequest(
                    key.metric_id, area, method, key.period_type, key.breakdown
                )
                expected = family.breakdown_series(store, request)
                found = table.series(request)
                assert not expected.empty
                pd.testing.assert_frame_equal(found, expected, check_exact=False, rtol=1e-12)
                every, rows = table.rows_of(request)  # the same rows, where they are
                pd.testing.assert_frame_equal(every.take(rows).reset_index(drop=True), found)

    def test_a_key_no_council_has_gives_the_per_area_empty_frame(self, store):
        key = family.SeriesKey("ea65_rate", "month", "admission_source")
        request = family.BreakdownRequest("ea65_rate", HALTON, "default", "month", key.breakdown)
        found = family.all_areas(store, (key,), "default").series(request)
        expected = family.breakdown_series(store, request)
        assert found.empty and expected.empty
        assert list(found.columns) == list(expected.columns)

    def test_england_and_unknown_keys_are_left_to_the_per_area_query(self, store):
        key = family.SeriesKey("ea65_rate", "quarter", "admission_source")
        table = family.all_areas(store, (key,), "default")
        england = family.BreakdownRequest("ea65_rate", ENGLAND, "default", "quarter", key.breakdown)
        assert table.series(england) is None and table.rows_of(england) is None
        other = family.BreakdownRequest("dtoc_rate", HALTON, "default", "month", "reason")
        assert table.series(other) is None and table.rows_of(other) is None

    def test_one_query_per_version_keys_and_method(self, store):
        key = family.SeriesKey("dtoc_rate", "month", "reason")
        before = len(store.cache.stats.per_query.get("shared:family_all_areas", []))
        first = family.all_areas(store, (key,), "oflog-nn")
        assert family.all_areas(store, (key,), "oflog-nn") is first
        assert len(store.cache.stats.per_query["shared:family_all_areas"]) == before + 1

    def test_callers_cannot_change_the_kept_rows(self, store):
        key = family.SeriesKey("ea65_rate", "quarter", "admission_source")
        request = family.BreakdownRequest(
            "ea65_rate", COVENTRY, "default", "quarter", key.breakdown
        )
        table = family.all_areas(store, (key,), "default")
        first = table.series(request)
        first["area_value"] = -1.0
        first.loc[0, "breakdown_label"] = "changed"
        again = table.series(request)
        assert again["area_value"].gt(0).all() and "changed" not in set(again["breakdown_label"])
