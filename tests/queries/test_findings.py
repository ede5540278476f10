"""Findings over hand-built series: each sentence's numbers are the ones `lsr query` prints,
"higher"/"lower" only where the interval excludes the benchmark, runs and trends only when the
statistics support them, and synthetic figures always say so."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest

from lsr.query import _query_table
from queries import findings, judgements, periods
from queries.catalogue import load_catalogue

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def quarters(count: int, *, last: date = date(2019, 1, 1)) -> list[date]:
    end = pd.Timestamp(last)
    return [(end - pd.DateOffset(months=3 * i)).date() for i in reversed(range(count))]


def series(
    metric_id: str,
    values: list[float | None],
    *,
    comparator: float | list[float],
    england: float | list[float],
    denominator: float = 100_000,
    suppressed: list[bool] | None = None,
    synthetic: bool = False,
    starts: list[date] | None = None,
) -> tuple[pd.DataFrame, object]:
    """A metric_series frame judged as `lsr query` judges it (intervals from the counts)."""
    metric = load_catalogue().get(metric_id)
    period_type = metric.default_period_type
    starts = starts or quarters(len(values))
    value = np.array([np.nan if v is None else v for v in values], dtype=float)
    numerator = np.round(value * denominator / metric.multiplier)
    frame = pd.DataFrame(
        {
            "period_start": starts,
            "period_type": period_type,
            "area_value": numerator / denominator * metric.multiplier,
            "area_lower": np.nan,
            "area_upper": np.nan,
            "area_numerator": numerator,
            "area_denominator": np.where(np.isnan(value), np.nan, denominator),
            "area_suppressed": suppressed or [False] * len(values),
            "area_is_synthetic": synthetic,
            "comparator_mean": comparator,
            "comparator_min": np.nan,
            "comparator_max": np.nan,
            "comparator_n": 15,
            "comparator_expected": 15,
            "comparator_is_synthetic": synthetic,
            "england_value": england,
            "england_lower": np.nan,
            "england_upper": np.nan,
            "england_is_synthetic": synthetic,
        }
    )
    frame.loc[frame["area_suppressed"], "area_value"] = np.nan
    frame["period_label"] = periods.labels(frame["period_start"], period_type)
    return judgements.judged_series(frame, metric), metric


def numbers_in(sentence: str, metric, labels: list[str]) -> list[float]:
    """The numbers a sentence states, once period labels and the unit's own digits are gone."""
    for text in sorted(labels, key=len, reverse=True):
        sentence = sentence.replace(text, " ")
    unit = metric.unit_for(metric.default_period_type)
    sentence = sentence.replace(unit, " ").replace(metric.short, " ")
    return [float(n.replace(",", "")) for n in NUMBER.findall(sentence)]


def query_row(frame: pd.DataFrame, metric, label: str) -> dict:
    table = _query_table(frame, metric)
    return table[table["period"] == label].iloc[0].to_dict()


def finding(frame, metric, area="Testborough") -> findings.Finding:
    return findings.metric_finding(frame, metric, area_name=area)


class TestComparison:
    def test_significantly_higher_than_both_states_the_query_numbers(self) -> None:
        # Given an area well above both benchmarks with 20,000 events a quarter
        frame, metric = series("ea65_rate", [9277.0] * 4, comparator=7590.2, england=6551.4)
        # When the finding is written
        result = finding(frame, metric)
        # Then it says "significantly higher" and every number is the query's
        text = result.sentences[0]
        assert "significantly higher than the comparator average (7,590) and England (6,551)" in (
            text
        )
        row = query_row(frame, metric, "2018/19 Q4")
        stated = numbers_in(text, metric, frame["period_label"].tolist())
        assert stated[:3] == [row["area"], row["comparator_mean"], row["england"]]
        assert result.significant == 2 and result.side == "higher"

    def test_interval_overlapping_the_benchmark_is_similar_never_higher(self) -> None:
        # Given 80.5 % of 200 people (interval about ±5.5 points) against 79 % and 82 %
        frame, metric = series(
            "ascof_2b1",
            [80.5],
            comparator=79.0,
            england=82.0,
            denominator=200,
            starts=[date(2018, 4, 1)],
        )
        text = finding(frame, metric).text
        assert "similar to the comparator average (79.0%) and England (82.0%)" in text
        assert "higher" not in text and "lower" not in text

    def test_mixed_verdicts_name_each_benchmark_once(self) -> None:
        # Given 85 % of 10,000 (interval ±0.7): above the comparators, like England
        frame, metric = series(
            "ascof_2b1",
            [85.0],
            comparator=80.0,
            england=85.2,
            denominator=10_000,
            starts=[date(2018, 4, 1)],
        )
        text = finding(frame, metric).text
        assert "significantly higher than the comparator average (80.0%)" in text
        assert "but similar to England (85.2%)" in text

    def test_lower(self) -> None:
        frame, metric = series("ea65_rate", [5000.0], comparator=6000.0, england=6400.0)
        assert "significantly lower than the comparator average (6,000) and England (6,400)" in (
            finding(frame, metric).text
        )

    def test_context_metric_without_interval_is_not_judged(self) -> None:
        frame, metric = series(
            "sfc_turnover", [35.0], comparator=28.0, england=30.0, starts=[date(2018, 4, 1)]
        )
        text = finding(frame, metric).text
        assert "not tested for significance" in text
        assert "higher" not in text and "similar" not in text


class TestRuns:
    def test_run_counts_the_periods_the_query_marks_on_one_side(self) -> None:
        # Given 4 quarters similar then 6 significantly higher than both
        values = [6600.0] * 4 + [9000.0] * 6
        frame, metric = series("ea65_rate", values, comparator=6600.0, england=6500.0)
        text = finding(frame, metric).sentences[0]
        assert text.endswith("as it has been in each of the last 6 quarters.")
        table = _query_table(frame, metric)
        worse = (table["vs_england"] == "worse") & (table["vs_comparator"] == "worse")
        assert worse.tail(6).all() and not worse.iloc[-7]

    def test_short_run_is_not_mentioned(self) -> None:
        values = [6600.0] * 4 + [9000.0] * 2
        frame, metric = series("ea65_rate", values, comparator=6600.0, england=6500.0)
        assert "each of the last" not in finding(frame, metric).text

    def test_run_against_one_benchmark_names_it(self) -> None:
        # England 8,950 sits inside the later intervals (similar); the comparators do not
        values = [9000.0] * 5
        frame, metric = series("ea65_rate", values, comparator=6600.0, england=8950.0)
        text = finding(frame, metric).sentences[0]
        assert "significantly higher than the comparator average in each of the last 5" in text

    def test_gap_inside_a_run_is_said(self) -> None:
        starts = quarters(6)
        del starts[2]
        frame, metric = series(
            "ea65_rate", [9000.0] * 5, comparator=6600.0, england=6500.0, starts=starts
        )
        assert "each of the last 5 quarters with data" in finding(frame, metric).text


YEARS = [date(2014 + i, 4, 1) for i in range(5)]


class TestTrend:
    def test_significant_annual_rise_is_stated_with_its_polarity(self) -> None:
        # Given five years of a proportion rising by 3 points a year, 10,000 people each
        values = [70.0, 73.0, 76.0, 79.0, 82.0]
        frame, metric = series(
            "ascof_2b1", values, comparator=82.0, england=82.0, denominator=10_000, starts=YEARS
        )
        text = finding(frame, metric).text
        assert "It has risen significantly over the last 5 years (an improvement)." in text

    def test_noisy_annual_series_states_no_trend(self) -> None:
        values = [80.0, 81.0, 80.0, 81.0, 80.5]
        frame, metric = series(
            "ascof_2b1", values, comparator=80.0, england=80.0, denominator=200, starts=YEARS
        )
        text = finding(frame, metric).text
        assert "risen" not in text and "fallen" not in text

    def test_quarterly_series_gets_spc_variation_not_a_trend(self) -> None:
        # Given eleven steady quarters and a last one far above them
        values = [6000.0, 6100.0, 5900.0, 6050.0, 5950.0, 6000.0] * 2
        values[-1] = 9000.0
        frame, metric = series("ea65_rate", values, comparator=6000.0, england=6000.0)
        text = finding(frame, metric).text
        assert (
            "On an SPC chart of its last 12 quarters the latest point shows special cause "
            "concern (high)." in text
        )
        assert "risen" not in text

    def test_short_quarterly_series_states_nothing_about_change(self) -> None:
        values = [6000.0, 6300.0, 6600.0, 6900.0, 7200.0]
        frame, metric = series("ea65_rate", values, comparator=7200.0, england=7200.0)
        text = finding(frame, metric).text
        assert "risen" not in text and "SPC" not in text


class TestMissingAndSuppressed:
    def test_no_value_at_all(self) -> None:
        frame, metric = series("ea65_rate", [None, None], comparator=6000.0, england=6000.0)
        result = finding(frame, metric)
        assert result.text == "No Emergency admissions 65+ figures are available for Testborough."
        assert result.significant == -1

    def test_latest_missing_uses_the_last_value_and_says_what_is_missing(self) -> None:
        frame, metric = series(
            "ea65_rate", [9000.0, 9100.0, None], comparator=6000.0, england=6000.0
        )
        text = finding(frame, metric).text
        labels = frame["period_label"].tolist()
        assert f"stood at 9,100 per 100,000 population aged 65+ per quarter in {labels[1]}" in text
        assert f"There is no figure for Testborough for {labels[2]}." in text

    def test_suppressed_latest_value_is_never_stated(self) -> None:
        frame, metric = series(
            "ea65_rate",
            [9000.0, 5.0],
            comparator=6000.0,
            england=6000.0,
            suppressed=[False, True],
        )
        result = finding(frame, metric)
        assert "is suppressed" in result.text
        assert numbers_in(result.text, metric, frame["period_label"].tolist()) == []


class TestSynthetic:
    def test_synthetic_figures_say_so_first(self) -> None:
        frame, metric = series(
            "ea65_rate", [9000.0], comparator=6000.0, england=6000.0, synthetic=True
        )
        result = finding(frame, metric)
        assert result.is_synthetic
        assert result.sentences[0].startswith("Synthetic demo data: ")

    def test_trend_of_synthetic_figures_says_so_too(self) -> None:
        values = [70.0, 73.0, 76.0, 79.0, 82.0]
        frame, metric = series(
            "ascof_2b1",
            values,
            comparator=82.0,
            england=82.0,
            denominator=10_000,
            starts=YEARS,
            synthetic=True,
        )
        assert (
            finding(frame, metric)
            .sentences[1]
            .startswith("Synthetic demo data: it has risen significantly")
        )

    def test_runs_and_trends_never_span_real_and_synthetic_periods(self) -> None:
        # Given five rising, significantly high quarters: three synthetic, then two real
        values = [9000.0, 9300.0, 9600.0, 9900.0, 10200.0]
        frame, metric = series("ea65_rate", values, comparator=6000.0, england=6000.0)
        frame["area_is_synthetic"] = [True, True, True, False, False]
        # Then the finding is about the real periods only: no run of 5, no trend
        result = finding(frame, metric)
        assert not result.is_synthetic
        assert "each of the last" not in result.text and "risen" not in result.text

    def test_real_figures_do_not(self) -> None:
        frame, metric = series("ea65_rate", [9000.0], comparator=6000.0, england=6000.0)
        assert "ynthetic" not in finding(frame, metric).text


class TestSection:
    def make(self, values: list[float]) -> findings.Finding:
        frame, metric = series("ea65_rate", values, comparator=6600.0, england=6500.0)
        return finding(frame, metric)

    def test_two_to_five_sentences_significant_first(self) -> None:
        similar = self.make([6600.0])
        higher = self.make([9000.0])
        sentences = findings.section_findings([similar] * 6 + [higher], title="Hospital flow")
        assert 2 <= len(sentences) <= 5
        assert sentences[0].startswith("Of 7 measures here")
        assert sentences[0] == (
            "Of 7 measures here, 1 significantly higher than the comparator average "
            "and 6 similar to it."
        )
        assert sentences[1] == higher.sentences[0]

    def test_empty_section_still_has_two_sentences(self) -> None:
        assert len(findings.section_findings([], title="Funding")) == 2


@pytest.mark.parametrize(("value", "text"), [(2.25, "2.2%"), (1234.5, "1,234.5%"), (-0.01, "0.0%")])
def test_number_rounds_as_the_query_table(value: float, text: str) -> None:
    metric = load_catalogue().get("ascof_2b1")
    assert findings.number(metric, value) == text
    assert f"{pd.Series([value]).round(metric.decimals).iloc[0] + 0.0:,.1f}%" == text
