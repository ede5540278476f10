-- The family pages' series for every council at once: each (metric, period type, breakdown) in
-- $keys by every breakdown value and period, rolled up through the shared roll-up with every
-- council as a subject (as profile_series does), so each council's rows are exactly what
-- family_breakdown_series.sql gives for it. Computed once per data version, keys and
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
    SELECT i.*
    FROM indicators AS i
    SEMI JOIN wanted AS w USING (metric_id, period_type, breakdown)
    WHERE list_contains($sources, i.source)
),
subjects AS (  -- every council (England's own page has no comparators: it is queried alone)
    SELECT area_code FROM areas WHERE area_code <> $england
),
-- include: rollup
SELECT
    subject AS area_code, metric_id, period_type, breakdown,
    breakdown_value, period_start, period_end,
    area_value, area_lower, area_upper, area_numerator, area_denominator,
    area_suppressed, area_is_synthetic,
    comparator_mean, comparator_min, comparator_max, comparator_numerator,
    comparator_denominator, comparator_n, comparator_expected, comparator_is_synthetic,
    england_value, england_is_synthetic,
    vintage
FROM rollup
ORDER BY metric_id, period_type, breakdown, area_code, breakdown_value, period_start
