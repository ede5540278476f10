-- Returns HES indicator rows before disclosure control: metric_id, area_code, period_type,
-- period_start, period_end, breakdown, breakdown_value, numerator, denominator, value.
-- Reads monthly (apc_monthly.sql ∪ ae_monthly.sql), los_histogram, and the tables the builder
-- registers: period_months (period_type, period_start, period_end, month_start),
-- metric_periods (metric_id, period_type, kind rate|proportion|percentile, multiplier),
-- metric_breakdowns (metric_id, breakdown, breakdown_value), areas (area_code),
-- period_population (area_code, period_type, period_start, population).
-- Parameters: $percent (90).
-- Rates: every area × period × breakdown value of the grid (zero when no records), per period
-- (a quarter's rate is per quarter). Proportions: rows with a positive denominator.
-- Percentile: nearest rank on record counts, the smallest length of stay whose cumulative
-- count reaches ceil($percent × n / 100) (= DuckDB quantile_disc; integer arithmetic, so no
-- rounding surprises); denominator = weighted spells.
WITH rolled AS (
    SELECT m.metric_id, m.area_code, p.period_type, p.period_start, p.period_end,
           m.breakdown, m.breakdown_value,
           SUM(m.numerator) AS numerator, SUM(m.denominator) AS denominator
    FROM monthly AS m
    JOIN period_months AS p ON p.month_start = m.month_start
    JOIN metric_periods AS mp ON mp.metric_id = m.metric_id AND mp.period_type = p.period_type
    JOIN areas AS a ON a.area_code = m.area_code
    GROUP BY m.metric_id, m.area_code, p.period_type, p.period_start, p.period_end,
             m.breakdown, m.breakdown_value
),
periods AS (
    SELECT DISTINCT period_type, period_start, period_end FROM period_months
),
rates AS (
    SELECT mp.metric_id, a.area_code, p.period_type, p.period_start, p.period_end,
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
     AND r.period_type = p.period_type AND r.period_start = p.period_start
     AND r.breakdown = b.breakdown AND r.breakdown_value = b.breakdown_value
    WHERE mp.kind = 'rate' AND pop.population > 0
),
proportions AS (
    SELECT r.metric_id, r.area_code, r.period_type, r.period_start, r.period_end,
           r.breakdown, r.breakdown_value, r.numerator, r.denominator,
           r.numerator / r.denominator * mp.multiplier AS value
    FROM rolled AS r
    JOIN metric_periods AS mp ON mp.metric_id = r.metric_id AND mp.period_type = r.period_type
    WHERE mp.kind = 'proportion' AND r.denominator > 0
),
stays AS (
    SELECT h.area_code, p.period_type, p.period_start, p.period_end, h.los,
           SUM(h.spells) AS spells, SUM(h.weight) AS weight
    FROM los_histogram AS h
    JOIN period_months AS p ON p.month_start = h.month_start
    JOIN metric_periods AS mp
      ON mp.kind = 'percentile' AND mp.period_type = p.period_type
    JOIN areas AS a ON a.area_code = h.area_code
    GROUP BY h.area_code, p.period_type, p.period_start, p.period_end, h.los
),
cumulative AS (
    SELECT *,
           SUM(spells) OVER (PARTITION BY area_code, period_type, period_start
                             ORDER BY los ROWS UNBOUNDED PRECEDING) AS spells_up_to,
           SUM(spells) OVER (PARTITION BY area_code, period_type, period_start) AS spells_all,
           SUM(weight) OVER (PARTITION BY area_code, period_type, period_start) AS weight_all
    FROM stays
),
percentiles AS (
    SELECT mp.metric_id, c.area_code, c.period_type, c.period_start, c.period_end,
           'all' AS breakdown, 'all' AS breakdown_value,
           CAST(NULL AS DOUBLE) AS numerator, MIN(c.weight_all) AS denominator,
           CAST(MIN(c.los) AS DOUBLE) AS value
    FROM cumulative AS c
    JOIN metric_periods AS mp ON mp.kind = 'percentile' AND mp.period_type = c.period_type
    WHERE c.spells_up_to * 100 >= $percent * c.spells_all
    GROUP BY mp.metric_id, c.area_code, c.period_type, c.period_start, c.period_end
)
SELECT * FROM rates
UNION ALL
SELECT * FROM proportions
UNION ALL
SELECT * FROM percentiles
