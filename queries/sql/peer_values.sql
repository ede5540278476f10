-- Each comparator peer's value per period for one metric, with the peer's name and rank:
-- shown on hover and used for peer-level statistics.
-- Parameters: $metric, $area, $method, $period_type, $breakdown, $breakdown_value,
--             $period_from, $period_to
SELECT
    i.period_start, c.peer_code, a.name AS peer_name, c.rank AS peer_rank,
    i.value, i.numerator, i.denominator, i.suppressed
FROM comparators AS c
JOIN areas AS a ON a.area_code = c.peer_code
JOIN indicators AS i ON i.area_code = c.peer_code
WHERE c.method = $method
  AND c.area_code = $area
  AND i.metric_id = $metric
  AND i.period_type = $period_type
  AND i.breakdown = $breakdown
  AND i.breakdown_value = $breakdown_value
  AND i.period_start BETWEEN $period_from AND $period_to
ORDER BY i.period_start, c.rank
