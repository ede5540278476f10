-- Every area's headline value (breakdown 'all') in every period of every metric, England's
-- included: the profile spine places an area's latest value among these. One query per data
-- version for all areas (a spine then looks its area and periods up).
-- Parameters: none
SELECT
    metric_id, period_type, period_start, area_code,
    value, lower_ci, upper_ci, numerator, denominator, suppressed, is_synthetic
FROM indicators
WHERE breakdown = 'all'
ORDER BY area_code, metric_id, period_type, period_start
