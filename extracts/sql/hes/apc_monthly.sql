-- Returns additive monthly HES admitted-care measures per council and England:
-- metric_id, area_code, month_start, breakdown, breakdown_value, numerator, denominator
-- (weighted counts; denominator null where it is a population, added later).
-- Reads the temp table spell_cells (spell_cells.sql), already summed by month, so this works
-- on a small table. Parameters: $england (area code of England). England is every spell of an
-- English resident (the sum of all English area codes, councils or not), not a sum of rates.
-- Rate measures count admissions in their admission month; discharge-based measures
-- (readmissions, length of stay, weekend discharges) count spells in their discharge month.
WITH admissions AS (
    SELECT area_code, month_start, admission_source, emergency, pressure_ulcer, injury
    FROM spell_cells
    WHERE cell = 'admitted' AND emergency_spells > 0
),
discharges AS (
    SELECT area_code, month_start, admission_source, discharge_destination,
           alive, readmitted, emergency AS emergency_ended, long_stays, emergency_alive, weekend
    FROM spell_cells
    WHERE cell = 'discharged' AND month_start IS NOT NULL
),
measures AS (
    -- emergency admissions 65+, by admission source
    SELECT 'ea65_rate' AS metric_id, area_code, month_start,
           'admission_source' AS breakdown, admission_source AS breakdown_value,
           emergency AS numerator, CAST(NULL AS DOUBLE) AS denominator
    FROM admissions
    UNION ALL
    SELECT 'ea65_carehome_rate', area_code, month_start, 'all', 'all', emergency, NULL
    FROM admissions WHERE admission_source = 'care_home'
    UNION ALL
    SELECT 'ea_pressure_ulcer_carehome', area_code, month_start, 'all', 'all', pressure_ulcer, NULL
    FROM admissions WHERE admission_source = 'care_home'
    UNION ALL
    SELECT 'ea_injury_carehome', area_code, month_start, 'all', 'all', injury, NULL
    FROM admissions WHERE admission_source = 'care_home'
    UNION ALL
    -- readmissions: every discharge alive, any admission method, by destination
    SELECT 'readmit30_65', area_code, month_start, 'discharge_destination',
           discharge_destination, readmitted, alive
    FROM discharges
    UNION ALL
    -- emergency spells ending in the month (deaths included), by admission source
    SELECT 'los_over7_ea65', area_code, month_start, 'admission_source', admission_source,
           long_stays, emergency_ended
    FROM discharges
    UNION ALL
    SELECT 'weekend_discharge_ea65', area_code, month_start, 'all', 'all',
           weekend, emergency_alive
    FROM discharges
),
both_levels AS (
    -- each measure once as 'all' and once in its breakdown (if it has one)
    SELECT metric_id, area_code, month_start, 'all' AS breakdown, 'all' AS breakdown_value,
           numerator, denominator
    FROM measures
    UNION ALL
    SELECT * FROM measures WHERE breakdown <> 'all'
)
SELECT metric_id, area_code, month_start, breakdown, breakdown_value,
       SUM(numerator) AS numerator, SUM(denominator) AS denominator
FROM both_levels
GROUP BY metric_id, area_code, month_start, breakdown, breakdown_value
UNION ALL
SELECT metric_id, $england, month_start, breakdown, breakdown_value,
       SUM(numerator), SUM(denominator)
FROM both_levels
GROUP BY metric_id, month_start, breakdown, breakdown_value
