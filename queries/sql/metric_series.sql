-- One metric over time for an area, its comparator group and England, one row per period.
-- Returns the area's value/CI/counts, the peers' mean, min, max, pooled numerator and
-- denominator sums and how many of the expected peers contributed, and England's value/CI.
-- Parameters: $metric, $area, $method, $period_type, $breakdown, $breakdown_value,
--             $period_from, $period_to (dates, inclusive)
WITH peers AS (
    SELECT peer_code FROM comparators WHERE method = $method AND area_code = $area
),
rows_in_scope AS (
    SELECT
        i.area_code, i.period_start, i.period_end, i.numerator, i.denominator, i.value,
        i.lower_ci, i.upper_ci, i.suppressed, i.is_synthetic, i.vintage, i.source,
        CASE
            WHEN i.area_code = $area THEN 'area'
            WHEN i.area_code = 'E92000001' THEN 'england'
            ELSE 'peer'
        END AS role
    FROM indicators AS i
    WHERE i.metric_id = $metric
      AND i.period_type = $period_type
      AND i.breakdown = $breakdown
      AND i.breakdown_value = $breakdown_value
      AND i.period_start BETWEEN $period_from AND $period_to
      AND (i.area_code = $area OR i.area_code = 'E92000001'
           OR i.area_code IN (SELECT peer_code FROM peers))
)
SELECT
    period_start,
    MAX(period_end) AS period_end,
    MAX(value) FILTER (WHERE role = 'area') AS area_value,
    MAX(lower_ci) FILTER (WHERE role = 'area') AS area_lower,
    MAX(upper_ci) FILTER (WHERE role = 'area') AS area_upper,
    MAX(numerator) FILTER (WHERE role = 'area') AS area_numerator,
    MAX(denominator) FILTER (WHERE role = 'area') AS area_denominator,
    BOOL_OR(suppressed) FILTER (WHERE role = 'area') AS area_suppressed,
    BOOL_OR(is_synthetic) FILTER (WHERE role = 'area') AS area_is_synthetic,
    AVG(value) FILTER (WHERE role = 'peer' AND NOT suppressed) AS comparator_mean,
    MIN(value) FILTER (WHERE role = 'peer' AND NOT suppressed) AS comparator_min,
    MAX(value) FILTER (WHERE role = 'peer' AND NOT suppressed) AS comparator_max,
    SUM(numerator) FILTER (WHERE role = 'peer' AND NOT suppressed) AS comparator_numerator,
    SUM(denominator) FILTER (WHERE role = 'peer' AND NOT suppressed) AS comparator_denominator,
    COUNT(value) FILTER (WHERE role = 'peer' AND NOT suppressed) AS comparator_n,
    (SELECT COUNT(*) FROM peers) AS comparator_expected,
    BOOL_OR(is_synthetic) FILTER (WHERE role = 'peer') AS comparator_is_synthetic,
    MAX(value) FILTER (WHERE role = 'england') AS england_value,
    MAX(lower_ci) FILTER (WHERE role = 'england') AS england_lower,
    MAX(upper_ci) FILTER (WHERE role = 'england') AS england_upper,
    MAX(numerator) FILTER (WHERE role = 'england') AS england_numerator,
    MAX(denominator) FILTER (WHERE role = 'england') AS england_denominator,
    BOOL_OR(is_synthetic) FILTER (WHERE role = 'england') AS england_is_synthetic,
    MAX(vintage) AS vintage,
    MAX(source) AS source
FROM rows_in_scope
GROUP BY period_start
ORDER BY period_start
