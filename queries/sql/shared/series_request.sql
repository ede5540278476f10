-- `selected`: the rows of the one series a request names, every area's: one metric, period
-- type and breakdown value, from..to (queries.series.SeriesRequest). Included by metric_series
-- and explorer_reviewed.
-- Parameters: $metric, $period_type, $breakdown, $breakdown_value, $period_from, $period_to
selected AS (
    SELECT *
    FROM indicators
    WHERE metric_id = $metric
      AND period_type = $period_type
      AND breakdown = $breakdown
      AND breakdown_value = $breakdown_value
      AND period_start BETWEEN $period_from AND $period_to
)
