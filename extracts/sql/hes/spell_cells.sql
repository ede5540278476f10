-- Returns the admitted-care spells (spells.sql, materialised as the table spells) reduced to
-- three small tables of weighted sums, told apart by cell:
--   'admitted'   area_code × admitted_month × admission_source (emergency admissions),
--   'discharged' area_code × discharged_month × admission_source × discharge_destination,
--   'los'        area_code × discharged_month × los (emergency spells: the length-of-stay
--                histogram, with record counts for the percentile).
-- Columns not in a cell's grouping, and sums a cell's readers never use, are null. Every sum
-- a reader uses is over all spells of the cell (zero, never null, when none qualify), as
-- apc_monthly.sql and los_histogram.sql expect; those read only cells with emergency spells
-- (admitted, los) or a discharge month (discharged, los), so the rest are never summed.
-- Three plain GROUP BYs, not GROUPING SETS: each cell sums only its own measures over only
-- the spells it counts. Parameters: $los_days (7).
SELECT
    'admitted' AS cell,
    area_code,
    admitted_month AS month_start,
    admission_source,
    CAST(NULL AS VARCHAR) AS discharge_destination,
    CAST(NULL AS BIGINT) AS los,
    COUNT(*) AS emergency_spells,
    SUM(weight) AS emergency,
    SUM(CASE WHEN pressure_ulcer THEN weight ELSE 0 END) AS pressure_ulcer,
    SUM(CASE WHEN injury THEN weight ELSE 0 END) AS injury,
    CAST(NULL AS DOUBLE) AS alive,
    CAST(NULL AS DOUBLE) AS readmitted,
    CAST(NULL AS DOUBLE) AS long_stays,
    CAST(NULL AS DOUBLE) AS emergency_alive,
    CAST(NULL AS DOUBLE) AS weekend
FROM spells
WHERE is_emergency
GROUP BY area_code, admitted_month, admission_source
UNION ALL
SELECT
    'discharged',
    area_code,
    discharged_month,
    admission_source,
    discharge_destination,
    NULL,
    COUNT(*) FILTER (WHERE is_emergency),
    SUM(CASE WHEN is_emergency THEN weight ELSE 0 END),
    NULL,
    NULL,
    SUM(CASE WHEN NOT died THEN weight ELSE 0 END),
    SUM(CASE WHEN NOT died AND readmitted THEN weight ELSE 0 END),
    SUM(CASE WHEN is_emergency AND los > $los_days THEN weight ELSE 0 END),
    SUM(CASE WHEN is_emergency AND NOT died THEN weight ELSE 0 END),
    SUM(CASE WHEN is_emergency AND NOT died AND weekend THEN weight ELSE 0 END)
FROM spells
WHERE discharged_month IS NOT NULL
GROUP BY area_code, discharged_month, admission_source, discharge_destination
UNION ALL
SELECT
    'los',
    area_code,
    discharged_month,
    NULL,
    NULL,
    los,
    COUNT(*),
    SUM(weight),
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL
FROM spells
WHERE is_emergency AND discharged_month IS NOT NULL
GROUP BY area_code, discharged_month, los
