-- Every metric (headline breakdown only) for an area, its comparator mean and England,
-- one row per metric, period type and period: feeds the Area profile tiles and sparklines.
-- Parameters: $area, $method
WITH peers AS (
    SELECT peer_code FROM comparators WHERE method = $method AND area_code = $area
),
rows_in_scope AS (
    SELECT
        i.metric_id, i.period_type, i.period_start, i.period_end, i.numerator, i.denominator,
        i.value, i.lower_ci, i.upper_ci, i.suppressed, i.is_synthetic, i.vintage,
        CASE
            WHEN i.area_code = $area THEN 'area'
            WHEN i.area_code = 'E92000001' THEN 'england'
            ELSE 'peer'
        END AS role
    FROM indicators AS i
    WHERE i.breakdown = 'all'
      AND (i.area_code = $area OR i.area_code = 'E92000001'
           OR i.area_code IN (SELECT peer_code FROM peers))
)
SELECT
    metric_id,
    period_type,
    period_start,
    MAX(period_end) AS period_end,
    MAX(value) FILTER (WHERE role = 'area') AS area_value,
    MAX(lower_ci) FILTER (WHERE role = 'area') AS area_lower,
    MAX(upper_ci) FILTER (WHERE role = 'area') AS area_upper,
    MAX(numerator) FILTER (WHERE role = 'area') AS area_numerator,
    MAX(denominator) FILTER (WHERE role = 'area') AS area_denominator,
    BOOL_OR(suppressed) FILTER (WHERE role = 'area') AS area_suppressed,
    AVG(value) FILTER (WHERE role = 'peer' AND NOT suppressed) AS comparator_mean,
    MIN(value) FILTER (WHERE role = 'peer' AND NOT suppressed) AS comparator_min,
    MAX(value) FILTER (WHERE role = 'peer' AND NOT suppressed) AS comparator_max,
    COUNT(value) FILTER (WHERE role = 'peer' AND NOT suppressed) AS comparator_n,
    (SELECT COUNT(*) FROM peers) AS comparator_expected,
    MAX(value) FILTER (WHERE role = 'england') AS england_value,
    MAX(lower_ci) FILTER (WHERE role = 'england') AS england_lower,
    MAX(upper_ci) FILTER (WHERE role = 'england') AS england_upper,
    BOOL_OR(is_synthetic) AS is_synthetic,
    MAX(vintage) AS vintage
FROM rows_in_scope
GROUP BY metric_id, period_type, period_start
ORDER BY metric_id, period_type, period_start
