-- The reviewed councils' series for one metric, each with its own comparator mean and England.
-- Returns one row per reviewed council and period in which any of them, their peers or England
-- has a row: the council's value (with its interval or counts, for a verdict), the mean of its
-- peers' unsuppressed values (and how many contributed) and England's value.
-- Parameters: $metric, $period_type, $breakdown, $breakdown_value, $method,
--             $period_from, $period_to (dates, inclusive)
-- $england (England's area code) comes from the store (queries.store.SQL_CONSTANTS).
WITH
-- include: series_request,
facts AS (
    SELECT
        area_code, period_start, value, lower_ci, upper_ci, numerator, denominator,
        suppressed, is_synthetic, vintage
    FROM selected
),
reviewed AS (
    SELECT area_code, name FROM areas WHERE reviewed
),
periods AS (
    SELECT DISTINCT period_start FROM facts
),
peer_means AS (
    SELECT
        c.area_code,
        f.period_start,
        -- summed in one order (peer code): in whatever order the join met them, the mean
        -- differed in its last digits from one run to the next
        AVG(f.value ORDER BY c.peer_code) FILTER (WHERE NOT f.suppressed) AS comparator_mean,
        COUNT(f.value) FILTER (WHERE NOT f.suppressed) AS comparator_n,
        BOOL_OR(f.is_synthetic) AS comparator_is_synthetic
    FROM comparators AS c
    JOIN reviewed AS r ON r.area_code = c.area_code
    JOIN facts AS f ON f.area_code = c.peer_code
    WHERE c.method = $method
    GROUP BY c.area_code, f.period_start
)
SELECT
    r.area_code,
    r.name,
    p.period_start,
    a.value AS area_value,
    a.lower_ci AS area_lower,
    a.upper_ci AS area_upper,
    a.numerator AS area_numerator,
    a.denominator AS area_denominator,
    COALESCE(a.suppressed, FALSE) AS area_suppressed,
    a.is_synthetic AS area_is_synthetic,
    m.comparator_mean,
    m.comparator_n,
    m.comparator_is_synthetic,
    e.value AS england_value,
    e.is_synthetic AS england_is_synthetic,
    GREATEST(a.vintage, e.vintage) AS vintage
FROM reviewed AS r
CROSS JOIN periods AS p
LEFT JOIN facts AS a ON a.area_code = r.area_code AND a.period_start = p.period_start
LEFT JOIN peer_means AS m ON m.area_code = r.area_code AND m.period_start = p.period_start
LEFT JOIN facts AS e ON e.area_code = $england AND e.period_start = p.period_start
ORDER BY r.name, p.period_start
