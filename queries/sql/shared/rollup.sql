-- The area / comparator group / England roll-up, written once: included by metric_series,
-- family_breakdown_series, family_all_areas, profile_series and headline_all_areas after a CTE
-- `selected` (the indicator rows of the series they show) and a CTE `subjects` (area_code: the
-- areas rolled up; one area for a series, every council for the profiles' and the family
-- pages' look-ups, every area for the explorer's). One row per subject, series and period: the
-- area's value, interval, counts and flags; its peers' mean, min, max, pooled sums and how
-- many of the expected peers contributed (suppressed peers never count); England's value,
-- interval and counts.
-- Parameters: $method; $england (England's area code) comes from the store.
peers AS (
    SELECT c.area_code AS subject, c.peer_code
    FROM comparators AS c
    WHERE c.method = $method AND c.area_code IN (SELECT area_code FROM subjects)
),
members AS (  -- whose rows count for each subject, and as what (an area is never its own peer)
    SELECT area_code AS subject, area_code, 'area' AS role FROM subjects
    UNION ALL
    SELECT area_code, $england, 'england' FROM subjects WHERE area_code <> $england
    UNION ALL
    SELECT subject, peer_code, 'peer' FROM peers
    WHERE peer_code <> subject AND peer_code <> $england
),
rows_in_scope AS (
    SELECT
        m.subject, m.role,
        s.metric_id, s.period_type, s.breakdown, s.breakdown_value, s.period_start,
        s.period_end, s.numerator, s.denominator, s.value, s.lower_ci, s.upper_ci,
        s.suppressed, s.is_synthetic, s.vintage, s.source
    FROM selected AS s
    JOIN members AS m ON m.area_code = s.area_code
),
peer_counts AS (
    SELECT subject, COUNT(*) AS expected FROM peers GROUP BY subject
),
rolled AS (
    SELECT
        subject, metric_id, period_type, breakdown, breakdown_value, period_start,
        MAX(period_end) AS period_end,
        MAX(value) FILTER (WHERE role = 'area') AS area_value,
        MAX(lower_ci) FILTER (WHERE role = 'area') AS area_lower,
        MAX(upper_ci) FILTER (WHERE role = 'area') AS area_upper,
        MAX(numerator) FILTER (WHERE role = 'area') AS area_numerator,
        MAX(denominator) FILTER (WHERE role = 'area') AS area_denominator,
        BOOL_OR(suppressed) FILTER (WHERE role = 'area') AS area_suppressed,
        BOOL_OR(is_synthetic) FILTER (WHERE role = 'area') AS area_is_synthetic,
        AVG(value) FILTER (WHERE role = 'peer' AND NOT suppressed) AS comparator_mean,
        MIN(value) FILTER (WHERE role = 'peer' AND NOT suppressed) AS comparator_min,
        MAX(value) FILTER (WHERE role = 'peer' AND NOT suppressed) AS comparator_max,
        SUM(numerator) FILTER (WHERE role = 'peer' AND NOT suppressed) AS comparator_numerator,
        SUM(denominator) FILTER (WHERE role = 'peer' AND NOT suppressed)
            AS comparator_denominator,
        COUNT(value) FILTER (WHERE role = 'peer' AND NOT suppressed) AS comparator_n,
        BOOL_OR(is_synthetic) FILTER (WHERE role = 'peer') AS comparator_is_synthetic,
        MAX(value) FILTER (WHERE role = 'england') AS england_value,
        MAX(lower_ci) FILTER (WHERE role = 'england') AS england_lower,
        MAX(upper_ci) FILTER (WHERE role = 'england') AS england_upper,
        MAX(numerator) FILTER (WHERE role = 'england') AS england_numerator,
        MAX(denominator) FILTER (WHERE role = 'england') AS england_denominator,
        BOOL_OR(is_synthetic) FILTER (WHERE role = 'england') AS england_is_synthetic,
        BOOL_OR(is_synthetic) AS is_synthetic,
        MAX(vintage) AS vintage,
        MAX(source) AS source
    FROM rows_in_scope
    GROUP BY subject, metric_id, period_type, breakdown, breakdown_value, period_start
),
rollup AS (
    SELECT r.*, COALESCE(p.expected, 0) AS comparator_expected
    FROM rolled AS r
    LEFT JOIN peer_counts AS p USING (subject)
)
