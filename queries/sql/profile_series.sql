-- Every metric (headline breakdown only) for an area, its comparator mean and England,
-- one row per metric, period type and period: feeds the Area profile tiles and sparklines.
-- Parameters: $area, $method
WITH selected AS (
    SELECT * FROM indicators WHERE breakdown = 'all'
),
-- include: rollup
SELECT
    metric_id, period_type, period_start, period_end,
    area_value, area_lower, area_upper, area_numerator, area_denominator, area_suppressed,
    comparator_mean, comparator_min, comparator_max, comparator_n, comparator_expected,
    england_value, england_lower, england_upper,
    is_synthetic, vintage
FROM rollup
ORDER BY metric_id, period_type, period_start
