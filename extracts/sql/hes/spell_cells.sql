-- Returns the admitted-care spells (spells.sql, given to this query as the CTE spells) reduced
-- in one pass to three small tables of weighted sums, told apart by cell:
--   'admitted'   area_code × admitted_month × admission_source (emergency admissions),
--   'discharged' area_code × discharged_month × admission_source × discharge_destination,
--   'los'        area_code × discharged_month × los (emergency spells: the length-of-stay
--                histogram, with record counts for the percentile).
-- Columns not in a cell's grouping are null. Every sum is over all spells of the cell (zero,
-- never null, when none qualify), as apc_monthly.sql and los_histogram.sql expect.
-- Parameters: $los_days (7).
SELECT
    CASE
        WHEN GROUPING(admitted_month) = 0 THEN 'admitted'
        WHEN GROUPING(los) = 0 THEN 'los'
        ELSE 'discharged'
    END AS cell,
    area_code,
    CASE WHEN GROUPING(admitted_month) = 0 THEN admitted_month ELSE discharged_month END
        AS month_start,
    admission_source,
    discharge_destination,
    los,
    COUNT(*) FILTER (WHERE is_emergency) AS emergency_spells,
    SUM(CASE WHEN is_emergency THEN weight ELSE 0 END) AS emergency,
    SUM(CASE WHEN is_emergency AND pressure_ulcer THEN weight ELSE 0 END) AS pressure_ulcer,
    SUM(CASE WHEN is_emergency AND injury THEN weight ELSE 0 END) AS injury,
    SUM(CASE WHEN NOT died THEN weight ELSE 0 END) AS alive,
    SUM(CASE WHEN NOT died AND readmitted THEN weight ELSE 0 END) AS readmitted,
    SUM(CASE WHEN is_emergency AND los > $los_days THEN weight ELSE 0 END) AS long_stays,
    SUM(CASE WHEN is_emergency AND NOT died THEN weight ELSE 0 END) AS emergency_alive,
    SUM(CASE WHEN is_emergency AND NOT died AND weekend THEN weight ELSE 0 END) AS weekend
FROM spells
GROUP BY GROUPING SETS (
    (area_code, admitted_month, admission_source),
    (area_code, discharged_month, admission_source, discharge_destination),
    (area_code, discharged_month, los)
)
