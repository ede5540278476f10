-- The family pages' series for every council at once: each (metric, period type, breakdown)
-- in $keys by every breakdown value and period, for every area of `areas` but England, with
-- the same columns and the same roll-up as family_breakdown_series.sql (area, its comparator
-- group's mean, min, max and pooled sums, England). Computed once per data version and
-- comparator method, so a council's page becomes a look-up (queries.family.AllAreas).
-- Parameters: $keys (a list of {metric_id, period_type, breakdown}), $sources (the keys'
-- sources: the Parquet partitions read), $method; $england comes from the store.
WITH wanted AS (
    SELECT unnest(
        CAST($keys AS STRUCT(metric_id VARCHAR, period_type VARCHAR, breakdown VARCHAR)[]),
        recursive := true
    )
),
selected AS (
    SELECT
        i.area_code, i.metric_id, i.period_type, i.breakdown, i.breakdown_value,
        i.period_start, i.period_end, i.numerator, i.denominator, i.value, i.lower_ci,
        i.upper_ci, i.suppressed, i.is_synthetic, i.vintage
    FROM indicators AS i
    SEMI JOIN wanted AS w USING (metric_id, period_type, breakdown)
    WHERE list_contains($sources, i.source)
),
targets AS (
    SELECT area_code FROM areas WHERE area_code <> $england
),
peers AS (
    SELECT area_code, peer_code FROM comparators WHERE method = $method
),
expected AS (
    SELECT t.area_code, COUNT(p.peer_code) AS n
    FROM targets AS t LEFT JOIN peers AS p USING (area_code)
    GROUP BY t.area_code
),
-- each indicator row once for every council it concerns, in the role it plays there
rows_in_scope AS (
    SELECT s.area_code AS target, 'area' AS role, s.*
    FROM selected AS s SEMI JOIN targets AS t USING (area_code)
    UNION ALL
    SELECT p.area_code AS target, 'peer' AS role, s.*
    FROM selected AS s JOIN peers AS p ON s.area_code = p.peer_code
    UNION ALL
    SELECT t.area_code AS target, 'england' AS role, s.*
    FROM selected AS s CROSS JOIN targets AS t
    WHERE s.area_code = $england
),
rollup AS (
    SELECT
        target, metric_id, period_type, breakdown, breakdown_value, period_start,
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
        BOOL_OR(is_synthetic) FILTER (WHERE role = 'peer') AS comparator_is_synthetic,
        MAX(value) FILTER (WHERE role = 'england') AS england_value,
        BOOL_OR(is_synthetic) FILTER (WHERE role = 'england') AS england_is_synthetic,
        MAX(vintage) AS vintage
    FROM rows_in_scope
    GROUP BY target, metric_id, period_type, breakdown, breakdown_value, period_start
)
SELECT
    r.target AS area_code, r.metric_id, r.period_type, r.breakdown,
    r.breakdown_value, r.period_start, r.period_end,
    r.area_value, r.area_lower, r.area_upper, r.area_numerator, r.area_denominator,
    r.area_suppressed, r.area_is_synthetic,
    r.comparator_mean, r.comparator_min, r.comparator_max, r.comparator_numerator,
    r.comparator_denominator, r.comparator_n, e.n AS comparator_expected,
    r.comparator_is_synthetic,
    r.england_value, r.england_is_synthetic,
    r.vintage
FROM rollup AS r
JOIN expected AS e ON e.area_code = r.target
ORDER BY r.metric_id, r.period_type, r.breakdown, r.target, r.breakdown_value, r.period_start
