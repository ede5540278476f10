-- What exists for a metric: each period type and breakdown with its period range and row count.
-- Parameters: $metric
SELECT
    period_type, breakdown, breakdown_value,
    MIN(period_start) AS first_period, MAX(period_start) AS last_period,
    COUNT(*) AS row_count, BOOL_OR(is_synthetic) AS any_synthetic,
    BOOL_AND(is_synthetic) AS all_synthetic, MAX(vintage) AS vintage
FROM indicators
WHERE metric_id = $metric
GROUP BY period_type, breakdown, breakdown_value
ORDER BY period_type, breakdown, breakdown_value
