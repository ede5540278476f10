-- Returns additive monthly HES A&E measures per council and England:
-- metric_id, area_code, month_start, breakdown, breakdown_value, numerator, denominator
-- (weighted counts; denominator null where it is a population, added later).
-- Reads the view hes_ae. Parameters: $england (area code of England).
-- First attendances (AEATTENDCAT 1) of English residents aged 65+ (ARRIVALAGE 65..6999),
-- by arrival month; care-home residence from CARE_HOME_RESIDENT (null = other).
-- The records are summed once into area × month × residence; every measure, and England (all
-- English area codes), is then a sum over that small table.
WITH attendances AS (
    SELECT
        RESLADST_ONS AS area_code,
        CAST(date_trunc('month', ARRIVALDATE) AS DATE) AS month_start,
        CARE_HOME_RESIDENT AS care_home,
        SUM(RECORD_WEIGHT) AS attendances,
        SUM(CASE WHEN AEREFSOURCE = '00' THEN RECORD_WEIGHT ELSE 0 END) AS gp_referred
    FROM hes_ae
    WHERE AEATTENDCAT = '1' AND ARRIVALAGE >= 65 AND ARRIVALAGE < 7000
      AND RESLADST_ONS LIKE 'E%'
    GROUP BY RESLADST_ONS, CAST(date_trunc('month', ARRIVALDATE) AS DATE), CARE_HOME_RESIDENT
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
