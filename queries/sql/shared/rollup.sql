-- The area / comparator group / England roll-up, written once: included by metric_series,
-- family_breakdown_series and profile_series after a CTE `selected` (the indicator
-- rows of the series they show). One row per series and period: the area's value, interval,
-- counts and flags; its peers' mean, min, max, pooled sums and how many of the expected peers
-- contributed (suppressed peers never count); England's value, interval and counts.
-- Parameters: $area, $method; $england (England's area code) comes from the store.
peers AS (
    SELECT peer_code FROM comparators WHERE method = $method AND area_code = $area
),
rows_in_scope AS (
    SELECT
        s.metric_id, s.period_type, s.breakdown, s.breakdown_value, s.period_start,
        s.period_end, s.numerator, s.denominator, s.value, s.lower_ci, s.upper_ci,
        s.suppressed, s.is_synthetic, s.vintage, s.source,
        CASE
            WHEN s.area_code = $area THEN 'area'
            WHEN s.area_code = $england THEN 'england'
            ELSE 'peer'
        END AS role
    FROM selected AS s
    WHERE s.area_code = $area OR s.area_code = $england
       OR s.area_code IN (SELECT peer_code FROM peers)
),
rollup AS (
    SELECT
        metric_id, period_type, breakdown, breakdown_value, period_start,
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
        SUM(denominator) FILTER (WHERE role = 'peer' AND NOT suppressed)
            AS comparator_denominator,
        COUNT(value) FILTER (WHERE role = 'peer' AND NOT suppressed) AS comparator_n,
        (SELECT COUNT(*) FROM peers) AS comparator_expected,
        BOOL_OR(is_synthetic) FILTER (WHERE role = 'peer') AS comparator_is_synthetic,
        MAX(value) FILTER (WHERE role = 'england') AS england_value,
        MAX(lower_ci) FILTER (WHERE role = 'england') AS england_lower,
        MAX(upper_ci) FILTER (WHERE role = 'england') AS england_upper,
        MAX(numerator) FILTER (WHERE role = 'england') AS england_numerator,
        MAX(denominator) FILTER (WHERE role = 'england') AS england_denominator,
        BOOL_OR(is_synthetic) FILTER (WHERE role = 'england') AS england_is_synthetic,
        BOOL_OR(is_synthetic) AS is_synthetic,
        MAX(vintage) AS vintage,
        MAX(source) AS source
    FROM rows_in_scope
    GROUP BY metric_id, period_type, breakdown, breakdown_value, period_start
)
