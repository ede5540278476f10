-- One metric for every value of one breakdown (e.g. admission_source own_home/care_home/other)
-- over time: the area's value, interval, counts and flags, the comparator group's mean, min,
-- max and pooled sums, and England's value, one row per breakdown value and period.
-- Parameters: $metric, $area, $method, $period_type, $breakdown
WITH selected AS (
    SELECT * FROM indicators
    WHERE metric_id = $metric AND period_type = $period_type AND breakdown = $breakdown
),
subjects AS (SELECT $area AS area_code),
-- include: rollup
SELECT
    breakdown_value, period_start, period_end,
    area_value, area_lower, area_upper, area_numerator, area_denominator,
    area_suppressed, area_is_synthetic,
    comparator_mean, comparator_min, comparator_max, comparator_numerator,
    comparator_denominator, comparator_n, comparator_expected, comparator_is_synthetic,
    england_value, england_is_synthetic,
    vintage
FROM rollup
ORDER BY breakdown_value, period_start
