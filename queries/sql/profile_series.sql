-- Every metric (headline breakdown only) for every council, its comparator mean and England,
-- one row per council, metric, period type and period: feeds the Area profile tiles and
-- sparklines. One query for all councils (a profile then looks its council up): a new
-- council's profile costs no SQL.
-- Parameters: $method
WITH selected AS (
    SELECT * FROM indicators WHERE breakdown = 'all'
),
subjects AS (
    SELECT area_code FROM areas
),
-- include: rollup
SELECT
    subject AS area_code, metric_id, period_type, period_start, period_end,
    area_value, area_lower, area_upper, area_numerator, area_denominator, area_suppressed,
    comparator_mean, comparator_min, comparator_max, comparator_n, comparator_expected,
    england_value, england_lower, england_upper,
    is_synthetic, vintage
FROM rollup
ORDER BY area_code, metric_id, period_type, period_start
