"""Properties every interval, verdict and chart must have, for any input."""

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from queries.stats import intervals, significance, spc  # noqa: E402

FAST = settings(max_examples=40, deadline=None)


@st.composite
def proportions(draw):
    denominator = draw(st.integers(min_value=1, max_value=1_000_000))
    numerator = draw(st.integers(min_value=0, max_value=denominator))
    return numerator, denominator


counts = st.integers(min_value=0, max_value=1_000_000)


class TestWilsonProperties:
    @FAST
    @given(proportions())
    def test_contains_the_estimate_and_stays_in_range(self, case):
        numerator, denominator = case
        low, high = intervals.wilson_interval(numerator, denominator, multiplier=100)
        value = 100 * numerator / denominator
        assert 0 <= low <= value + 1e-9 and value - 1e-9 <= high <= 100

    @FAST
    @given(proportions())
    def test_99_8_contains_95(self, case):
        low95, high95 = intervals.wilson_interval(*case, confidence=0.95)
        low998, high998 = intervals.wilson_interval(*case, confidence=0.998)
        assert low998 <= low95 and high95 <= high998

    @FAST
    @given(proportions())
    def test_mirrors_for_the_complement(self, case):
        # The interval for p is one minus the interval for 1 - p, reversed
        numerator, denominator = case
        low, high = intervals.wilson_interval(numerator, denominator, multiplier=1)
        low_c, high_c = intervals.wilson_interval(
            denominator - numerator, denominator, multiplier=1
        )
        assert low == pytest.approx(1 - high_c, abs=1e-12)
        assert high == pytest.approx(1 - low_c, abs=1e-12)

    @FAST
    @given(proportions(), st.integers(min_value=2, max_value=50))
    def test_narrows_as_counts_grow_at_a_fixed_proportion(self, case, factor):
        numerator, denominator = case
        low, high = intervals.wilson_interval(numerator, denominator)
        low_k, high_k = intervals.wilson_interval(numerator * factor, denominator * factor)
        assert high_k - low_k < high - low


class TestPoissonProperties:
    @FAST
    @given(counts)
    def test_contains_the_count_and_widens_at_99_8(self, count):
        low95, high95 = intervals.poisson_count_interval(count, 0.95)
        low998, high998 = intervals.poisson_count_interval(count, 0.998)
        assert 0 <= low998 <= low95 <= count <= high95 <= high998

    @FAST
    @given(st.integers(min_value=0, max_value=100_000), st.integers(min_value=2, max_value=50))
    def test_relative_width_shrinks_as_counts_grow_at_a_fixed_rate(self, count, factor):
        low, high = intervals.byar_interval(count, 10_000, multiplier=100_000)
        low_k, high_k = intervals.byar_interval(count * factor, 10_000 * factor, multiplier=100_000)
        assert high_k - low_k < high - low


class TestVerdictProperties:
    @FAST
    @given(
        st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=20),
        st.floats(0, 1e3),
        st.floats(-1e6, 1e6),
    )
    def test_context_is_never_coloured_and_others_always_are(self, centres, half, benchmark):
        lower = np.array(centres) - half
        upper = np.array(centres) + half
        assert set(significance.verdict(lower, upper, benchmark, "context")) == {"not compared"}
        coloured = significance.verdict(lower, upper, benchmark, "lower_is_better")
        assert set(coloured) <= {"better", "similar", "worse"}


class TestXmrProperties:
    @FAST
    @given(st.floats(-1e6, 1e6), st.integers(min_value=2, max_value=40))
    def test_a_constant_series_has_no_special_cause(self, level, length):
        assert not spc.xmr([level] * length)["special_cause"].any()

    @FAST
    @given(
        st.lists(st.integers(-1000, 1000), min_size=3, max_size=40),
        st.integers(-1000, 1000),
        st.integers(1, 100),
    )
    def test_flags_do_not_depend_on_units(self, values, offset, scale):
        # Changing units (a linear map) must not change which points are special
        base = spc.xmr(np.array(values, dtype=float))
        moved = spc.xmr(np.array(values, dtype=float) * scale + offset)
        assert base["rules"].tolist() == moved["rules"].tolist()

    @FAST
    @given(
        st.lists(st.integers(-1000, 1000), min_size=4, max_size=40),
        st.integers(2, 38),
        st.booleans(),
    )
    def test_a_rebased_chart_is_two_charts_side_by_side(self, values, split, screen):
        # Rebasing at a point must judge each side exactly as if it were charted alone
        values = np.array(values, dtype=float)
        split = min(split, len(values) - 2)
        whole = spc.xmr(values, rebase_at=[split], screen_outliers=screen)
        for part, rows in (
            (values[:split], whole.iloc[:split]),
            (values[split:], whole.iloc[split:]),
        ):
            alone = spc.xmr(part, screen_outliers=screen)
            assert rows["rules"].tolist() == alone["rules"].tolist()
            assert rows["upper_limit"].tolist() == pytest.approx(alone["upper_limit"].tolist())

    @FAST
    @given(st.lists(st.integers(-1000, 1000), min_size=3, max_size=40))
    def test_two_in_three_points_are_beyond_two_sigma_on_one_side(self, values):
        chart = spc.xmr(np.array(values, dtype=float))
        flagged = chart[chart["two_in_three"]]
        beyond = (flagged["value"] > flagged["upper_two_sigma"]) | (
            flagged["value"] < flagged["lower_two_sigma"]
        )
        assert beyond.all()
