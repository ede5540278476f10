-- Every council's (and England's) value of each requested metric for one financial year,
-- headline breakdown only, with numerator, denominator, suppressed and synthetic flags and
-- `basis`, how the year's value was found. Per metric one basis is used for every area: the
-- most direct one the data holds that year, in this order: 'financial_year' (the published
-- year row), 'rolling_12m' (the 12 months from April), 'quarter' or 'month' (Σ numerators ÷
-- Σ denominators × multiplier over the year's 4 quarters or 12 months; only when all are
-- present with counts, and suppressed when any is suppressed).
-- Parameters: $metric_ids (list of metric ids), $multipliers (list, same order),
--             $year_start (1 April), $next_year_start (1 April a year later)
WITH wanted AS (
    SELECT UNNEST($metric_ids) AS metric_id, UNNEST($multipliers) AS multiplier
),
rows_in_year AS (
    SELECT
        i.metric_id, i.area_code, i.period_type, i.period_start, i.numerator, i.denominator,
        i.value, i.suppressed, i.is_synthetic, i.vintage, w.multiplier
    FROM indicators AS i
    JOIN wanted AS w ON w.metric_id = i.metric_id
    WHERE i.breakdown = 'all'
      AND i.period_start >= $year_start
      AND i.period_start < $next_year_start
      AND i.period_type IN ('financial_year', 'rolling_12m', 'quarter', 'month')
),
whole_year AS (
    SELECT
        metric_id, area_code, period_type AS basis,
        CASE WHEN period_type = 'financial_year' THEN 1 ELSE 2 END AS preference,
        numerator, denominator, value, suppressed, is_synthetic, vintage, 1 AS periods
    FROM rows_in_year
    WHERE period_type IN ('financial_year', 'rolling_12m') AND period_start = $year_start
),
summed AS (
    SELECT
        metric_id, area_code, period_type AS basis,
        CASE WHEN period_type = 'quarter' THEN 3 ELSE 4 END AS preference,
        CASE WHEN BOOL_OR(suppressed) THEN NULL ELSE SUM(numerator) END AS numerator,
        CASE WHEN BOOL_OR(suppressed) THEN NULL ELSE SUM(denominator) END AS denominator,
        CASE
            WHEN BOOL_OR(suppressed) THEN NULL
            WHEN COUNT(numerator) < COUNT(*) OR COUNT(denominator) < COUNT(*) THEN NULL
            WHEN SUM(denominator) > 0 THEN SUM(numerator) / SUM(denominator) * MAX(multiplier)
        END AS value,
        BOOL_OR(suppressed) AS suppressed,
        BOOL_OR(is_synthetic) AS is_synthetic,
        MAX(vintage) AS vintage,
        COUNT(*) AS periods
    FROM rows_in_year
    WHERE period_type IN ('quarter', 'month')
    GROUP BY metric_id, area_code, period_type
    HAVING COUNT(*) = CASE WHEN period_type = 'quarter' THEN 4 ELSE 12 END
),
candidates AS (
    SELECT * FROM whole_year
    UNION ALL
    SELECT * FROM summed
),
chosen AS (
    SELECT metric_id, MIN(preference) AS preference
    FROM candidates
    WHERE value IS NOT NULL OR suppressed
    GROUP BY metric_id
)
SELECT
    c.metric_id, c.area_code, c.basis, c.numerator, c.denominator, c.value, c.suppressed,
    c.is_synthetic, c.vintage, c.periods
FROM candidates AS c
JOIN chosen AS k ON k.metric_id = c.metric_id AND k.preference = c.preference
ORDER BY c.metric_id, c.area_code
