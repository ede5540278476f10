-- One metric for every value of one breakdown (e.g. admission_source own_home/care_home/other)
-- over time: the area's value, interval, counts and flags, the comparator group's mean, min,
-- max and pooled sums, and England's value, one row per breakdown value and period.
-- Parameters: $metric, $area, $method, $period_type, $breakdown
WITH peers AS (
    SELECT peer_code FROM comparators WHERE method = $method AND area_code = $area
),
rows_in_scope AS (
    SELECT
        i.area_code, i.breakdown_value, i.period_start, i.period_end, i.numerator,
        i.denominator, i.value, i.lower_ci, i.upper_ci, i.suppressed, i.is_synthetic,
        i.vintage,
        CASE
            WHEN i.area_code = $area THEN 'area'
            WHEN i.area_code = 'E92000001' THEN 'england'
            ELSE 'peer'
        END AS role
    FROM indicators AS i
    WHERE i.metric_id = $metric
      AND i.period_type = $period_type
      AND i.breakdown = $breakdown
      AND (i.area_code = $area OR i.area_code = 'E92000001'
           OR i.area_code IN (SELECT peer_code FROM peers))
)
SELECT
    breakdown_value,
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
    BOOL_OR(is_synthetic) FILTER (WHERE role = 'england') AS england_is_synthetic,
    MAX(vintage) AS vintage
FROM rows_in_scope
GROUP BY breakdown_value, period_start
ORDER BY breakdown_value, period_start
