import numpy as np
import pandas as pd
import pytest

from queries import judgements
from queries.catalogue import load_catalogue


def series_frame(area_numerators, denominator=1000.0, england=50.0, comparator=50.0):
    n = len(area_numerators)
    return pd.DataFrame(
        {
            "area_numerator": area_numerators,
            "area_denominator": [denominator] * n,
            "area_value": [x / denominator * 100 for x in area_numerators],
            "area_lower": [np.nan] * n,
            "area_upper": [np.nan] * n,
            "area_suppressed": [False] * n,
            "england_value": [england] * n,
            "comparator_mean": [comparator] * n,
        }
    )


class TestJudgedSeries:
    def test_wilson_intervals_are_filled_from_counts(self):
        metric = load_catalogue().get("ascof_2b1")
        frame = judgements.fill_intervals(series_frame([820.0]), metric, "area")
        assert frame.loc[0, "area_lower"] < 82.0 < frame.loc[0, "area_upper"]
        assert frame.loc[0, "area_upper"] - frame.loc[0, "area_lower"] == pytest.approx(
            4.76, abs=0.05
        )

    def test_published_intervals_are_kept(self):
        metric = load_catalogue().get("ascof_2b1")
        frame = series_frame([820.0])
        frame.loc[0, ["area_lower", "area_upper"]] = [1.0, 99.0]
        frame = judgements.fill_intervals(frame, metric, "area")
        assert (frame.loc[0, "area_lower"], frame.loc[0, "area_upper"]) == (1.0, 99.0)

    def test_verdict_uses_polarity(self):
        higher_is_better = load_catalogue().get("ascof_2b1")
        frame = judgements.judged_series(
            series_frame([900.0, 500.0, 100.0], england=50.0), higher_is_better
        )
        assert frame["vs_england"].tolist() == ["better", "similar", "worse"]

    def test_suppressed_and_uncountable_values_are_not_compared(self):
        metric = load_catalogue().get("ascof_2b1")
        frame = series_frame([900.0, 900.0])
        frame.loc[0, "area_suppressed"] = True
        frame.loc[1, "area_numerator"] = np.nan
        frame = judgements.judged_series(frame, metric)
        assert frame["vs_england"].tolist() == ["not compared", "not compared"]

    def test_context_metrics_are_never_judged(self):
        metric = load_catalogue().get("pop_65_pct")
        frame = judgements.judged_series(series_frame([900.0]), metric)
        assert frame["vs_england"].tolist() == ["not compared"]

    def test_a_steady_rise_is_a_significant_increase(self):
        metric = load_catalogue().get("ascof_2b1")
        frame = judgements.judged_series(
            series_frame([500.0, 550.0, 600.0, 650.0, 700.0], denominator=1000.0), metric
        )
        assert judgements.trend(frame).direction == "increasing"
        assert judgements.consistency(frame, "england_value") == ("higher", 4)


class TestFilledInterval:
    """One value's interval, as fill_intervals gives it for a frame."""

    def test_missing_bounds_come_from_the_counts(self):
        metric = load_catalogue().get("ascof_2b1")
        frame = judgements.fill_intervals(series_frame([820.0]), metric, "area")
        lower, upper = judgements.filled_interval(metric, None, np.nan, 820.0, 1000.0)
        assert (lower, upper) == pytest.approx(
            (frame.loc[0, "area_lower"], frame.loc[0, "area_upper"])
        )

    def test_given_bounds_are_kept_and_only_the_missing_one_is_filled(self):
        metric = load_catalogue().get("ascof_2b1")
        lower, upper = judgements.filled_interval(metric, 1.0, None, 820.0, 1000.0)
        assert lower == 1.0 and 82.0 < upper < 90.0

    def test_without_usable_counts_the_interval_is_empty(self):
        metric = load_catalogue().get("ascof_2b1")
        lower, upper = judgements.filled_interval(metric, None, None, 20.0, 10.0)  # num > den
        assert np.isnan(lower) and np.isnan(upper)


class TestJudgedMetrics:
    """Many metrics in one frame, each row judged by its own metric: the same as judging
    each metric's rows on their own."""

    def test_each_metric_is_judged_by_its_own_method_and_polarity(self):
        catalogue = load_catalogue()
        proportion, rate = catalogue.get("ascof_2b1"), catalogue.get("ea65_rate")
        frame = pd.concat(
            [
                series_frame([900.0, 500.0]).assign(metric_id=proportion.id),
                series_frame([900.0, 500.0], england=50.0).assign(metric_id=rate.id),
                series_frame([1.0]).assign(metric_id="not_in_the_catalogue"),
            ],
            ignore_index=True,
        )
        judged = judgements.judged_metrics(frame, catalogue.metrics)
        assert judged["metric_id"].tolist() == [proportion.id] * 2 + [rate.id] * 2
        for metric in (proportion, rate):
            alone = judgements.attach_verdicts(
                judgements.fill_intervals(
                    frame[frame["metric_id"] == metric.id].reset_index(drop=True), metric, "area"
                ),
                metric,
            )
            mine = judged[judged["metric_id"] == metric.id].reset_index(drop=True)
            pd.testing.assert_frame_equal(mine, alone, check_dtype=False)
        # a high value is better for the proportion and worse for the emergency rate
        assert judged["vs_england"].tolist()[::2] == ["better", "worse"]


class TestRealAndSyntheticNeverJudgedTogether:
    """Issue 13.1 in the query layer: a mixed series is split, never judged across the join."""

    def mixed(self):
        # five synthetic years rising steeply, then three real years
        frame = series_frame([100.0, 200.0, 300.0, 400.0, 500.0, 600.0, 610.0, 620.0])
        metric = load_catalogue().get("ascof_2b1")
        frame = judgements.fill_intervals(frame, metric, "area")
        frame["area_is_synthetic"] = [True] * 5 + [False] * 3
        frame["england_is_synthetic"] = [True] * 5 + [False] * 3
        frame["comparator_is_synthetic"] = [True] * 8
        return frame

    def test_one_kind_keeps_only_the_latest_run(self):
        kept = judgements.one_kind(self.mixed())
        assert len(kept) == 3 and not kept["area_is_synthetic"].any()

    def test_trend_is_not_computed_across_the_join(self):
        frame = self.mixed()
        # across all eight points the rise is significant; within the three real ones there
        # are too few points for a trend
        assert judgements.trend(frame).points_used == 3
        assert judgements.trend(frame).direction == "not enough data"
        whole = frame.assign(area_is_synthetic=False)
        assert judgements.trend(whole).direction != "not enough data"

    def test_run_against_a_benchmark_counts_one_kind_only(self):
        frame = self.mixed().assign(england_value=10.0)
        side, run = judgements.consistency(frame, "england_value")
        assert (side, run) == ("higher", 3)

    def test_a_real_value_is_not_judged_against_a_synthetic_benchmark(self):
        metric = load_catalogue().get("ascof_2b1")
        frame = judgements.attach_verdicts(self.mixed(), metric)
        # comparator values are synthetic throughout: real years are not compared with them
        assert set(frame["vs_comparator"].iloc[5:]) == {"not compared"}
        assert set(frame["vs_comparator"].iloc[:5]) != {"not compared"}
        # England is real in the real years, so those are judged
        assert set(frame["vs_england"].iloc[5:]) == {"better"}
