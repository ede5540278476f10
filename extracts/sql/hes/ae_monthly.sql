-- Returns additive monthly HES A&E measures per council and England:
-- metric_id, area_code, month_start, breakdown, breakdown_value, numerator, denominator
-- (weighted counts; denominator null where it is a population, added later).
-- Reads the temp table ae_cells (ae_cells.sql: first attendances of English residents aged
-- 65+, summed into area × month × residence). Parameters: $england (area code of England).
-- Every measure, and England (all English area codes), is a sum over that small table.
WITH attendances AS (
    SELECT * FROM ae_cells
),
both_levels AS (
    SELECT area_code, month_start,
           CASE WHEN care_home THEN 'care_home' WHEN NOT care_home THEN 'own_home'
                ELSE 'other' END AS residence,
           attendances, gp_referred
    FROM attendances
    UNION ALL
    SELECT $england, month_start,
           CASE WHEN care_home THEN 'care_home' WHEN NOT care_home THEN 'own_home'
                ELSE 'other' END,
           SUM(attendances), SUM(gp_referred)
    FROM attendances
    GROUP BY month_start, care_home
)
SELECT 'ae65_rate' AS metric_id, area_code, month_start, 'all' AS breakdown,
       'all' AS breakdown_value, SUM(attendances) AS numerator,
       CAST(NULL AS DOUBLE) AS denominator
FROM both_levels
GROUP BY area_code, month_start
UNION ALL
SELECT 'ae65_rate', area_code, month_start, 'admission_source', residence, attendances, NULL
FROM both_levels
UNION ALL
SELECT 'ae_gp_referred_carehome', area_code, month_start, 'all', 'all', gp_referred,
       attendances
FROM both_levels
WHERE residence = 'care_home'
