-- For each requested metric and financial year (start year), how many councils have a whole
-- year of data: a financial-year row, a 12-month row starting in April, or all 4 quarters or
-- all 12 months (suppressed periods count: the year exists, its value is withheld).
-- Parameters: $metric_ids (list of metric ids)
-- $england (England's area code) comes from the store (queries.store.SQL_CONSTANTS).
WITH rows_in_scope AS (
    SELECT
        metric_id, area_code, period_type, period_start,
        CAST(EXTRACT(YEAR FROM period_start) AS INTEGER)
            - CASE WHEN EXTRACT(MONTH FROM period_start) < 4 THEN 1 ELSE 0 END AS year_start
    FROM indicators
    WHERE breakdown = 'all'
      AND area_code <> $england
      AND metric_id IN (SELECT UNNEST($metric_ids))
      AND period_type IN ('financial_year', 'rolling_12m', 'quarter', 'month')
      AND (value IS NOT NULL OR suppressed)
),
coverage AS (
    SELECT
        metric_id, year_start, area_code,
        COUNT(*) FILTER (
            WHERE period_type = 'financial_year'
               OR (period_type = 'rolling_12m' AND EXTRACT(MONTH FROM period_start) = 4)
        ) AS whole_rows,
        COUNT(*) FILTER (WHERE period_type = 'quarter') AS quarters,
        COUNT(*) FILTER (WHERE period_type = 'month') AS months
    FROM rows_in_scope
    GROUP BY metric_id, year_start, area_code
)
SELECT
    metric_id, year_start,
    COUNT(*) FILTER (WHERE whole_rows > 0 OR quarters = 4 OR months = 12) AS councils
FROM coverage
GROUP BY metric_id, year_start
ORDER BY metric_id, year_start
