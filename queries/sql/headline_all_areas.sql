-- Every area's headline series of every metric, its comparator group and England, with the
-- columns metric_series.sql returns: the same roll-up with every area as a subject (as
-- profile_series does), so one area's series of one metric and period type is a look-up
-- (queries.headline_series). Queried once per data version and comparator method.
-- Parameters: $method; $england (England's area code) comes from the store.
WITH selected AS (
    SELECT * FROM indicators WHERE breakdown = 'all' AND breakdown_value = 'all'
),
subjects AS (
    SELECT area_code FROM areas
),
-- include: rollup
SELECT
    subject AS area_code, metric_id, period_type,
    period_start, period_end,
    area_value, area_lower, area_upper, area_numerator, area_denominator,
    area_suppressed, area_is_synthetic,
    comparator_mean, comparator_min, comparator_max, comparator_numerator,
    comparator_denominator, comparator_n, comparator_expected, comparator_is_synthetic,
    england_value, england_lower, england_upper, england_numerator, england_denominator,
    england_is_synthetic,
    vintage, source
FROM rollup
ORDER BY area_code, metric_id, period_type, period_start
