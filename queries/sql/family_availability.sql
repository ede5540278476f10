-- What a family page can show from one source: each metric, period type, breakdown and period
-- start present, with row counts, synthetic flags and vintage (period pickers, fallbacks and
-- "not available" messages read it).
-- Parameters: $source
SELECT
    metric_id, period_type, breakdown, period_start,
    COUNT(*) AS row_count,
    BOOL_OR(is_synthetic) AS any_synthetic,
    BOOL_AND(is_synthetic) AS all_synthetic,
    MAX(vintage) AS vintage
FROM indicators
WHERE source = $source
GROUP BY metric_id, period_type, breakdown, period_start
ORDER BY metric_id, period_type, breakdown, period_start
