-- One metric over time for an area, its comparator group and England, one row per period.
-- Returns the area's value/CI/counts, the peers' mean, min, max, pooled numerator and
-- denominator sums and how many of the expected peers contributed, and England's value/CI.
-- Parameters: $metric, $area, $method, $period_type, $breakdown, $breakdown_value,
--             $period_from, $period_to (dates, inclusive)
WITH
-- include: series_request,
subjects AS (SELECT $area AS area_code),
-- include: rollup
SELECT
    period_start, period_end,
    area_value, area_lower, area_upper, area_numerator, area_denominator,
    area_suppressed, area_is_synthetic,
    comparator_mean, comparator_min, comparator_max, comparator_numerator,
    comparator_denominator, comparator_n, comparator_expected, comparator_is_synthetic,
    england_value, england_lower, england_upper, england_numerator, england_denominator,
    england_is_synthetic,
    vintage, source
FROM rollup
ORDER BY period_start
