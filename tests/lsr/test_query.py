"""`lsr query`: strict JSON, --aggregate over a window, breakdown values by code or label, and
one-line errors listing the valid choices (exit 2), on a fixture published in code."""

import json
import math
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from extracts.publish import publish
from lsr.cli import main
from queries import schema
from tests.fixtures import COUNCILS, fixture_tables

HALTON = COUNCILS[0]
LABELS = {"NHS": 1.0, "social_care": 0.3, "both": 0.1}


def _with_breakdowns(tables: dict) -> dict:
    """The fixture plus dtoc_rate by responsible organisation (NHS, social care, both)."""
    indicators = tables["indicators"].to_pandas()
    headline = indicators[indicators["metric_id"] == "dtoc_rate"]
    parts = [indicators]
    for code, share in LABELS.items():
        rows = headline.copy()
        rows["breakdown"], rows["breakdown_value"] = "responsible_org", code
        rows["numerator"] = np.round(rows["numerator"] * share)
        rows["value"] = rows["numerator"] / rows["denominator"] * 100_000
        parts.append(rows)
    frame = pd.concat(parts, ignore_index=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return {**tables, "indicators": schema.conform("indicators", table)}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("query")
    tables = _with_breakdowns(fixture_tables())
    publish(data_dir, tables=tables, fresh=True)
    return data_dir, tables["indicators"].to_pandas()


def run(capsys, data_dir, *argv):
    code = main(["--data-dir", str(data_dir), "query", *map(str, argv)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def strict_json(text: str) -> dict:
    def refuse(constant):
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


class TestStrictJson:
    def test_missing_values_are_null_not_nan(self, published, capsys) -> None:
        code, out, _ = run(
            capsys, published[0], "ea65_rate", "--area", "Halton", "--format", "json"
        )
        assert code == 0 and "NaN" not in out
        rows = strict_json(out)["rows"]
        assert rows[0]["area"] is None and rows[0]["vs_england"] == "not compared"
        assert isinstance(rows[1]["area"], float)


class TestAggregate:
    def test_dtoc_window_is_pooled_over_person_days(self, published, capsys) -> None:
        data_dir, indicators = published
        code, out, _ = run(
            capsys,
            data_dir,
            "dtoc_rate",
            "--area",
            "Halton",
            "--from",
            "2017-02",
            "--to",
            "2017-04",
            "--aggregate",
            "--format",
            "json",
        )
        assert code == 0
        [row] = strict_json(out)["rows"]
        rows = indicators[
            (indicators["metric_id"] == "dtoc_rate")
            & (indicators["area_code"] == HALTON)
            & (indicators["breakdown"] == "all")
            & (indicators["period_start"] >= date(2017, 2, 1))
            & (indicators["period_start"] <= date(2017, 4, 1))
        ]
        expected = rows["numerator"].sum() / rows["denominator"].sum() * 1e5  # person-days
        assert row["area"] == round(expected, 1)
        assert row["period"] == "Feb 2017 to Apr 2017" and row["periods"] == 3
        assert row["weighted_by"] == "person-days"
        assert row["area_lower"] <= row["area"] <= row["area_upper"]
        assert row["comparator_n"] == "15/15"
        assert row["vs_england"] in ("better", "similar", "worse")

    def test_count_rate_window_is_sum_over_sum(self, published, capsys) -> None:
        data_dir, indicators = published
        code, out, _ = run(
            capsys,
            data_dir,
            "ea65_rate",
            "--area",
            "Coventry",
            "--from",
            "2016/17 Q2",
            "--to",
            "2016/17 Q4",
            "--aggregate",
            "--format",
            "csv",
        )
        assert code == 0
        table = pd.read_csv(pd.io.common.StringIO(out), comment="#")
        rows = indicators[
            (indicators["metric_id"] == "ea65_rate")
            & (indicators["area_code"] == COUNCILS[1])
            & (indicators["period_start"] >= date(2016, 7, 1))
            & (indicators["period_start"] <= date(2017, 1, 1))
        ]
        assert len(rows) == 3 and len(table) == 1
        expected = rows["numerator"].sum() / rows["denominator"].sum() * 1e5
        assert table.loc[0, "area"] == round(expected)
        assert table.loc[0, "weighted_by"] == "denominator"

    def test_a_suppressed_period_leaves_no_area_figure(self, published, capsys) -> None:
        code, out, _ = run(
            capsys,
            published[0],
            "ea65_rate",
            "--area",
            "Halton",
            "--to",
            "2016/17 Q3",
            "--aggregate",
            "--format",
            "json",
        )
        [row] = strict_json(out)["rows"]
        assert code == 0 and row["area"] is None and row["vs_england"] == "not compared"
        assert row["england"] is not None and math.isfinite(row["england"])


class TestBreakdownMatching:
    @pytest.mark.parametrize(
        "breakdown",
        [
            "responsible_org=Social care",
            "responsible_org=social_care",
            "Responsible_Org=SOCIAL CARE",
        ],
    )
    def test_code_or_label_in_any_case(self, published, capsys, breakdown) -> None:
        data_dir, indicators = published
        code, out, _ = run(
            capsys,
            data_dir,
            "dtoc_rate",
            "--area",
            "Halton",
            "--breakdown",
            breakdown,
            "--format",
            "json",
        )
        assert code == 0
        document = strict_json(out)
        assert document["breakdown"] == "responsible_org=social_care"
        expected = (
            indicators[
                (indicators["metric_id"] == "dtoc_rate")
                & (indicators["area_code"] == HALTON)
                & (indicators["breakdown_value"] == "social_care")
            ]
            .sort_values("period_start")["value"]
            .round(1)
        )
        assert [row["area"] for row in document["rows"]] == expected.tolist()


class TestChoices:
    @pytest.mark.parametrize(
        ("argv", "listed"),
        [
            (["--period-type", "weekly"], "month"),
            (["--breakdown", "reason=A"], "responsible_org"),
            (["--breakdown", "responsible_org=council"], "social_care (Social care)"),
            (["--breakdown", "responsible_org"], "responsible_org=NHS|social_care|both"),
        ],
    )
    def test_unknown_choice_is_one_line_listing_choices(self, published, capsys, argv, listed):
        code, out, err = run(capsys, published[0], "dtoc_rate", "--area", "Halton", *argv)
        assert code == 2 and out == ""
        assert len(err.strip().splitlines()) == 1 and listed in err
        assert "no data" not in err and "Traceback" not in err

    def test_period_type_without_data_lists_those_with(self, published, capsys) -> None:
        code, _, err = run(
            capsys, published[0], "ea65_rate", "--area", "Halton", "--period-type", "month"
        )
        assert code == 2 and "choose one of: quarter" in err


class TestUnit:
    def test_counted_rate_names_its_period_in_csv_and_json(self, published, capsys) -> None:
        code, out, _ = run(capsys, published[0], "ea65_rate", "--area", "Halton", "--format", "csv")
        assert code == 0
        assert out.splitlines()[1] == "# unit: per 100,000 population aged 65+ per quarter"
        _, out, _ = run(capsys, published[0], "ea65_rate", "--area", "Halton", "--format", "json")
        assert strict_json(out)["unit"] == "per 100,000 population aged 65+ per quarter"
