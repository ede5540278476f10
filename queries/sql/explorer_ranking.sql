-- Every council's value for one metric and one period, for the ranking and funnel charts.
-- Returns one row per council (value columns NULL when it has none), its role relative to the
-- selected area ('area', 'peer' in its comparator group, 'other'), whether it is reviewed, and
-- England's value, interval and counts for the same period.
-- Parameters: $metric, $period_type, $breakdown, $breakdown_value, $period_start, $area, $method
-- $england (England's area code) comes from the store (queries.store.SQL_CONSTANTS).
WITH facts AS (
    SELECT
        area_code, numerator, denominator, value, lower_ci, upper_ci, suppressed,
        is_synthetic, vintage
    FROM indicators
    WHERE metric_id = $metric
      AND period_type = $period_type
      AND breakdown = $breakdown
      AND breakdown_value = $breakdown_value
      AND period_start = $period_start
),
peers AS (
    SELECT peer_code FROM comparators WHERE method = $method AND area_code = $area
),
england AS (
    SELECT value, lower_ci, upper_ci, numerator, denominator, is_synthetic
    FROM facts
    WHERE area_code = $england
)
SELECT
    a.area_code,
    a.name,
    a.region,
    COALESCE(a.reviewed, FALSE) AS reviewed,
    CASE
        WHEN a.area_code = $area THEN 'area'
        WHEN a.area_code IN (SELECT peer_code FROM peers) THEN 'peer'
        ELSE 'other'
    END AS role,
    f.numerator AS area_numerator,
    f.denominator AS area_denominator,
    f.value AS area_value,
    f.lower_ci AS area_lower,
    f.upper_ci AS area_upper,
    COALESCE(f.suppressed, FALSE) AS area_suppressed,
    f.value IS NOT NULL OR COALESCE(f.suppressed, FALSE) AS published,
    f.is_synthetic AS area_is_synthetic,
    f.vintage,
    (SELECT MAX(value) FROM england) AS england_value,
    (SELECT MAX(lower_ci) FROM england) AS england_lower,
    (SELECT MAX(upper_ci) FROM england) AS england_upper,
    (SELECT MAX(numerator) FROM england) AS england_numerator,
    (SELECT MAX(denominator) FROM england) AS england_denominator,
    (SELECT BOOL_OR(is_synthetic) FROM england) AS england_is_synthetic
FROM areas AS a
LEFT JOIN facts AS f ON f.area_code = a.area_code
WHERE a.area_code <> $england
ORDER BY a.name
