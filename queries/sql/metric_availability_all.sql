-- What exists for every metric (metric_availability.sql for all of them at once): each metric,
-- period type and breakdown with its period range and row count. One scan per data version,
-- which the explorer then looks each metric up in (queries.series.metric_availability).
-- Parameters: none
SELECT
    metric_id, period_type, breakdown, breakdown_value,
    MIN(period_start) AS first_period, MAX(period_start) AS last_period,
    COUNT(*) AS row_count, BOOL_OR(is_synthetic) AS any_synthetic,
    BOOL_AND(is_synthetic) AS all_synthetic, MAX(vintage) AS vintage
FROM indicators
GROUP BY metric_id, period_type, breakdown, breakdown_value
ORDER BY metric_id, period_type, breakdown, breakdown_value
