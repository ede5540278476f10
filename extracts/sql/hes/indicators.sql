-- Returns HES indicator rows before disclosure control: metric_id, area_code, period_type,
-- period_start, period_end, breakdown, breakdown_value, numerator, denominator, value.
-- Reads monthly (apc_monthly.sql ∪ ae_monthly.sql), los_histogram, and the tables the builder
-- registers: period_months (period_type, period_start, period_end, month_start, period_id: one
-- integer per period), metric_periods (metric_id, period_type, kind rate|proportion|percentile,
-- multiplier), metric_breakdowns (metric_id, breakdown, breakdown_value), areas (area_code),
-- period_population (area_code, period_type, period_start, population).
-- Parameters: $percent (90).
-- Rates: every area × period × breakdown value of the grid (zero when no records), per period
-- (a quarter's rate is per quarter). Proportions: rows with a positive denominator.
-- Percentile: weighted nearest rank, the smallest length of stay whose cumulative record
-- weight reaches $percent % of the total (with equal weights = DuckDB quantile_disc; weights
-- are whole numbers, so no rounding surprises; a stratified sample's care-home oversampling
-- must not pull it up); denominator = weighted spells. Months are rolled up to periods by
-- period_id and the period's type and dates joined back at the end; the cumulative and total
-- counts share one sort (one window, different frames).
WITH percentile_periods AS (
    SELECT p.period_id, p.month_start
    FROM period_months AS p
    JOIN metric_periods AS mp ON mp.kind = 'percentile' AND mp.period_type = p.period_type
),
periods AS (
    SELECT DISTINCT period_id, period_type, period_start, period_end FROM period_months
),
rolled AS (
    SELECT m.metric_id, m.area_code, p.period_id, p.period_type,
           m.breakdown, m.breakdown_value,
           SUM(m.numerator) AS numerator, SUM(m.denominator) AS denominator
    FROM monthly AS m
    JOIN period_months AS p ON p.month_start = m.month_start
    JOIN metric_periods AS mp ON mp.metric_id = m.metric_id AND mp.period_type = p.period_type
    WHERE m.area_code IN (SELECT area_code FROM areas)
    GROUP BY m.metric_id, m.area_code, p.period_id, p.period_type, m.breakdown, m.breakdown_value
),
rates AS (
    SELECT mp.metric_id, a.area_code, p.period_id,
           b.breakdown, b.breakdown_value,
           COALESCE(r.numerator, 0) AS numerator,
           pop.population AS denominator,
           COALESCE(r.numerator, 0) / pop.population * mp.multiplier AS value
    FROM metric_periods AS mp
    JOIN periods AS p ON p.period_type = mp.period_type
    JOIN metric_breakdowns AS b ON b.metric_id = mp.metric_id
    CROSS JOIN areas AS a
    JOIN period_population AS pop
      ON pop.area_code = a.area_code AND pop.period_type = p.period_type
     AND pop.period_start = p.period_start
    LEFT JOIN rolled AS r
      ON r.metric_id = mp.metric_id AND r.area_code = a.area_code
     AND r.period_id = p.period_id
     AND r.breakdown = b.breakdown AND r.breakdown_value = b.breakdown_value
    WHERE mp.kind = 'rate' AND pop.population > 0
),
proportions AS (
    SELECT r.metric_id, r.area_code, r.period_id,
           r.breakdown, r.breakdown_value, r.numerator, r.denominator,
           r.numerator / r.denominator * mp.multiplier AS value
    FROM rolled AS r
    JOIN metric_periods AS mp ON mp.metric_id = r.metric_id AND mp.period_type = r.period_type
    WHERE mp.kind = 'proportion' AND r.denominator > 0
),
stays AS (
    SELECT h.area_code, p.period_id, h.los, SUM(h.spells) AS spells, SUM(h.weight) AS weight
    FROM los_histogram AS h
    JOIN percentile_periods AS p ON p.month_start = h.month_start
    WHERE h.area_code IN (SELECT area_code FROM areas)
    GROUP BY h.area_code, p.period_id, h.los
),
cumulative AS (
    SELECT area_code, period_id, los,
           SUM(weight) OVER (by_los ROWS UNBOUNDED PRECEDING) AS weight_up_to,
           SUM(weight) OVER (by_los ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
               AS weight_all
    FROM stays
    WINDOW by_los AS (PARTITION BY area_code, period_id ORDER BY los)
),
percentiles AS (
    SELECT mp.metric_id, c.area_code, c.period_id,
           'all' AS breakdown, 'all' AS breakdown_value,
           CAST(NULL AS DOUBLE) AS numerator, MIN(c.weight_all) AS denominator,
           CAST(MIN(c.los) AS DOUBLE) AS value
    FROM cumulative AS c
    JOIN periods AS p ON p.period_id = c.period_id
    JOIN metric_periods AS mp ON mp.kind = 'percentile' AND mp.period_type = p.period_type
    WHERE c.weight_up_to * 100 >= $percent * c.weight_all
    GROUP BY mp.metric_id, c.area_code, c.period_id
),
everything AS (
    SELECT * FROM rates
    UNION ALL
    SELECT * FROM proportions
    UNION ALL
    SELECT * FROM percentiles
)
SELECT e.metric_id, e.area_code, p.period_type, p.period_start, p.period_end,
       e.breakdown, e.breakdown_value, e.numerator, e.denominator, e.value
FROM everything AS e
JOIN periods AS p ON p.period_id = e.period_id
