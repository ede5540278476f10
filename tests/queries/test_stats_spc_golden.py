"""XmR charts against NHSRplotthedots' own test cases (github:nhs-r-community/NHSRplotthedots,
v0.2.2, tests/testthat/*). Each test names the file its figures come from.

The R package screens moving-range outliers by default (``screen_outliers = TRUE``), so its
limits are compared with screening on; the project's default is off, as in NHS England's Excel
tool. Where NHSRplotthedots and the Making Data Count team's 2023 guidance on the two-in-three
rule differ (NHSRplotthedots issue 194: points beyond a limit count), the guidance is followed
and the one R case it changes is stated.
"""

import numpy as np
import pytest

from queries.stats import spc

# R: set.seed(123); rnorm(24) — the series test-ptd_spc_standard.R, test-ptd_spc.R and
# test-geom_ptd_icon.R build their charts from (first 20 points; the icons test uses 24).
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
    -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
    -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141, -1.06782371,
    -0.21797491, -1.02600445, -0.72889123,
]  # fmt: skip
SNAPSHOT_TOLERANCE = 1e-6  # pillar::glimpse prints seven significant figures


def limits(chart, row=0):
    return tuple(chart.loc[row, ["mean", "lower_limit", "upper_limit"]])


class TestLimits:
    """tests/testthat/_snaps/ptd_spc_standard.md ("it returns expected values")."""

    def test_twenty_points_screened(self):
        chart = spc.xmr(RNORM_123[:20], screen_outliers=True)
        assert limits(chart) == pytest.approx(
            (0.1416238, -3.01138, 3.294627), abs=SNAPSHOT_TOLERANCE
        )

    def test_an_outlier_screened(self):
        values = list(RNORM_123[:20])
        values[14] = 10.0  # data$y[15] <- 10
        chart = spc.xmr(values, screen_outliers=True)
        assert limits(chart) == pytest.approx(
            (0.6694159, -2.383666, 3.722497), abs=SNAPSHOT_TOLERANCE
        )

    def test_an_outlier_not_screened(self):
        values = list(RNORM_123[:20])
        values[14] = 10.0
        chart = spc.xmr(values, screen_outliers=False)
        assert limits(chart) == pytest.approx(
            (0.6694159, -4.596625, 5.935457), abs=SNAPSHOT_TOLERANCE
        )
        # and the unscreened range is the wider, as the R test asserts
        screened = spc.xmr(values, screen_outliers=True)
        assert np.ptp(limits(chart)[1:]) > np.ptp(limits(screened)[1:])

    def test_the_outlier_is_beyond_the_upper_limit_either_way(self):
        # 10 is above both upper limits of the snapshots (3.722497 and 5.935457): "Above UCL"
        values = list(RNORM_123[:20])
        values[14] = 10.0
        for screen in (True, False):
            chart = spc.xmr(values, screen_outliers=screen)
            assert chart.loc[14, "beyond_limits"] and chart.loc[14, "direction"] == "high"


class TestRebasing:
    """tests/testthat/_snaps/ptd_spc.md (summary of two groups of ten: 0.0746 -2.60 2.75 and
    0.209 -3.28 3.70, printed to three significant figures) and test-ptd_spc_standard.R ("it
    sets the rebase_group field": a rebase at the 11th of 20 points makes groups 0 × 10, 1 × 10).
    """

    def test_two_segments_of_ten(self):
        chart = spc.xmr(RNORM_123[:20], rebase_at=[10], screen_outliers=True)
        assert chart["segment"].tolist() == [0] * 10 + [1] * 10
        assert limits(chart, 0) == pytest.approx((0.0746, -2.60, 2.75), abs=0.005)
        assert limits(chart, 10) == pytest.approx((0.209, -3.28, 3.70), abs=0.005)

    def test_a_rebase_at_the_first_point_changes_nothing(self):
        # the summary with rebase = "2020-01-01" (before the first point) matches no rebase
        plain = spc.xmr(RNORM_123[:20], screen_outliers=True)
        assert limits(plain) == pytest.approx((0.142, -3.01, 3.29), abs=0.005)
        assert plain["segment"].eq(0).all()

    @pytest.mark.parametrize(
        ("segment_sizes", "expected_warning"),
        [
            # test-ptd_add_short_group_warnings.R, threshold 12
            ((11,), [True]),
            ((12,), [False]),
            ((20, 20), [False, False]),
            ((35, 5), [False, True]),
        ],
    )
    def test_short_segments_have_trial_limits(self, segment_sizes, expected_warning):
        values = np.tile([1.0, 2.0, 1.5], 20)[: sum(segment_sizes)]
        rebase_at = np.cumsum(segment_sizes)[:-1].tolist()
        chart = spc.xmr(values, rebase_at=rebase_at)
        assert chart.groupby("segment")["trial_limits"].first().tolist() == expected_warning


class TestShift:
    """tests/testthat/test-ptd_calculate_point_type.R: ptd_seven_point_one_side_mean then
    ptd_part_of_seven_trend (a point is flagged when it belongs to a run of seven)."""

    @pytest.mark.parametrize(
        ("side", "expected"),
        [
            ([], []),
            ([1] * 6, [0] * 6),
            ([1] * 6 + [-1], [0] * 7),
            ([1] * 8 + [-1], [1] * 8 + [0]),
            ([-1] * 8 + [1], [1] * 8 + [0]),
        ],
    )
    def test_runs_of_seven(self, side, expected):
        assert spc.shift_members(side).astype(int).tolist() == expected


class TestTrend:
    """tests/testthat/test-ptd_calculate_point_type.R: ptd_seven_point_trend (the marker falls on
    the 7th point of a trend) spread back over the trend by ptd_part_of_seven_trend."""

    @pytest.mark.parametrize(
        ("values", "rising", "falling"),
        [
            ([], [], []),
            (list(range(1, 7)), [0] * 6, [0] * 6),
            ([1, 2, 3, 3, 4, 5, 6], [0] * 7, [0] * 7),  # a repeat breaks the trend
            (list(range(1, 8)), [1] * 7, [0] * 7),
            ([2, *range(1, 8), 3], [0] + [1] * 7 + [0], [0] * 9),
            (list(range(7, 0, -1)), [0] * 7, [1] * 7),
            ([2, *range(7, 0, -1), 3], [0] * 9, [0] + [1] * 7 + [0]),
        ],
    )
    def test_seven_point_trends(self, values, rising, falling):
        up, down = spc.trend_members(values)
        assert (up.astype(int).tolist(), down.astype(int).tolist()) == (rising, falling)


class TestTwoInThree:
    """tests/testthat/test-ptd_calculate_point_type.R: ptd_two_in_three and
    ptd_part_of_two_in_three (only the points beyond 2σ are flagged)."""

    @pytest.mark.parametrize(
        ("beyond", "side", "expected"),
        [
            ([], [], []),
            ([0, 0, 0], [0, 0, 0], [0, 0, 0]),
            ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
            ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
            ([1, 1, 0], [1, 1, 1], [1, 1, 0]),
            ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
            ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 0, 1, 1, 0, 0, 0]),
            ([1, 0, 0, 1], [1] * 4, [0, 0, 0, 0]),
            ([1, 0, 0, 1, 1], [1] * 5, [0, 0, 0, 1, 1]),
        ],
    )
    def test_same_side(self, beyond, side, expected):
        assert spc.two_in_three_members(beyond, side).astype(int).tolist() == expected

    @pytest.mark.parametrize(
        ("beyond", "side"),
        [
            ([1, 0, 1], [1, -1, 1]),
            ([0, 1, 1], [1, -1, 1]),
            ([1, 1, 0], [1, -1, 1]),
            ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1]),
            ([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1]),
        ],
    )
    def test_opposite_sides_never_count(self, beyond, side):
        assert not spc.two_in_three_members(beyond, side).any()

    def test_near_limit_points_on_opposite_sides_are_common_cause(self):
        # test-ptd_spc_standard.R: 1, -1 alternating over 16 points, the last two 5.5, -5.5
        values = [1.0, -1.0] * 8
        values[14], values[15] = 5.5, -5.5
        for screen in (True, False):
            chart = spc.xmr(values, screen_outliers=screen)
            assert not chart["special_cause"].iloc[-2:].any()

    def test_beyond_a_limit_counts_per_making_data_count_2023(self):
        # NHSRplotthedots issue 194 (the MDC team): one point between 2σ and 3σ and the next
        # beyond 3σ, same side, now trigger two-in-three (v0.2.2's close_to_limits did not).
        values = [1.0, -1.0] * 8 + [4.0, 6.0, 0.5]
        chart = spc.xmr(values, baseline=16)
        assert chart["upper_two_sigma"].iloc[0] < 4.0 < chart["upper_limit"].iloc[0] < 6.0
        assert chart["two_in_three"].tolist() == [False] * 16 + [True, True, False]


class TestIcons:
    """tests/testthat/test-geom_ptd_icon.R (ptd_get_icons) and
    test-ptd_calculate_assurance_type.R."""

    def test_common_cause_and_hit_and_miss_for_24_points(self):
        chart = spc.xmr(RNORM_123, screen_outliers=True)
        assert spc.variation_icon_key(chart, "higher_is_better") == "common_cause"
        assert spc.assurance_icon(chart, 0.5, "higher_is_better") == "hit and miss"

    def test_each_group_of_twelve_is_common_cause_and_hit_and_miss(self):
        chart = spc.xmr(RNORM_123, rebase_at=[12], screen_outliers=True)
        for segment in (chart[chart["segment"] == s] for s in (0, 1)):
            assert spc.variation_icon_key(segment, "higher_is_better") == "common_cause"
            assert spc.assurance_icon(segment, 0.5, "higher_is_better") == "hit and miss"

    @pytest.mark.parametrize(
        ("polarity", "expected"),
        [
            ("higher_is_better", ["consistently fail", "consistently pass", "hit and miss"]),
            ("lower_is_better", ["consistently pass", "consistently fail", "hit and miss"]),
            ("context", ["no target"] * 3),
        ],
    )
    def test_assurance_against_target_four(self, polarity, expected):
        # limits (1, 3), (5, 7), (1, 5) against a target of 4
        pairs = [(1.0, 3.0), (5.0, 7.0), (1.0, 5.0)]
        assert [spc.assurance_icon(p, 4.0, polarity) for p in pairs] == expected

    def test_no_target(self):
        assert spc.assurance_icon((1.0, 3.0), None, "higher_is_better") == "no target"

    @pytest.mark.parametrize(
        ("direction", "polarity", "icon"),
        [
            # ptd_get_icons: concern_low / improvement_high when improvement is "increase",
            # concern_high / improvement_low when "decrease", neutral by side
            ("high", "higher_is_better", "improvement_high"),
            ("low", "higher_is_better", "concern_low"),
            ("high", "lower_is_better", "concern_high"),
            ("low", "lower_is_better", "improvement_low"),
            ("high", "context", "neither_high"),
            ("low", "context", "neither_low"),
        ],
    )
    def test_variation_icon_files(self, direction, polarity, icon):
        last = 8.0 if direction == "high" else -8.0
        chart = spc.xmr([1.0, -1.0] * 8 + [last], baseline=16)
        assert spc.variation_icon_key(chart, polarity) == icon
