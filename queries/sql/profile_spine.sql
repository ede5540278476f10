-- Every council's headline value (breakdown 'all') for each metric and period type, in the
-- latest period the area has a value (or a suppressed row) for: feeds the profile spine chart,
-- which places the area within the range of all councils or of its comparator group.
-- Returns one row per metric, period type and council (England flagged), with the area and
-- its comparator peers marked.
-- Parameters: $area, $method
-- $england (England's area code) comes from the store (queries.store.SQL_CONSTANTS).
WITH area_latest AS (
    SELECT metric_id, period_type, MAX(period_start) AS period_start
    FROM indicators
    WHERE area_code = $area
      AND breakdown = 'all'
      AND (value IS NOT NULL OR suppressed)
    GROUP BY metric_id, period_type
),
peers AS (
    SELECT peer_code FROM comparators WHERE method = $method AND area_code = $area
)
SELECT
    i.metric_id,
    i.period_type,
    i.period_start,
    i.area_code,
    i.value,
    i.lower_ci,
    i.upper_ci,
    i.numerator,
    i.denominator,
    i.suppressed,
    i.is_synthetic,
    i.vintage,
    i.area_code = $area AS is_area,
    i.area_code = $england AS is_england,
    i.area_code IN (SELECT peer_code FROM peers) AS is_peer
FROM indicators AS i
JOIN area_latest AS l
  ON l.metric_id = i.metric_id
 AND l.period_type = i.period_type
 AND l.period_start = i.period_start
WHERE i.breakdown = 'all'
ORDER BY i.metric_id, i.period_type, i.area_code
