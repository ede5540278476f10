-- Returns additive monthly HES A&E measures per council and England:
-- metric_id, area_code, month_start, breakdown, breakdown_value, numerator, denominator
-- (weighted counts; denominator null where it is a population, added later).
-- Reads the view hes_ae. Parameters: $england (area code of England).
-- First attendances (AEATTENDCAT 1) of English residents aged 65+ (ARRIVALAGE 65..6999),
-- by arrival month; care-home residence from CARE_HOME_RESIDENT (null = other).
WITH attendances AS (
    SELECT
        RESLADST_ONS AS area_code,
        CAST(date_trunc('month', ARRIVALDATE) AS DATE) AS month_start,
        CASE
            WHEN CARE_HOME_RESIDENT THEN 'care_home'
            WHEN NOT CARE_HOME_RESIDENT THEN 'own_home'
            ELSE 'other'
        END AS residence,
        AEREFSOURCE = '00' AS gp_referred,
        RECORD_WEIGHT AS weight
    FROM hes_ae
    WHERE AEATTENDCAT = '1' AND ARRIVALAGE >= 65 AND ARRIVALAGE < 7000
      AND RESLADST_ONS LIKE 'E%'
),
measures AS (
    SELECT 'ae65_rate' AS metric_id, area_code, month_start, 'all' AS breakdown,
           'all' AS breakdown_value, weight AS numerator, CAST(NULL AS DOUBLE) AS denominator
    FROM attendances
    UNION ALL
    SELECT 'ae65_rate', area_code, month_start, 'admission_source', residence, weight, NULL
    FROM attendances
    UNION ALL
    SELECT 'ae_gp_referred_carehome', area_code, month_start, 'all', 'all',
           CASE WHEN gp_referred THEN weight ELSE 0 END, weight
    FROM attendances WHERE residence = 'care_home'
)
SELECT metric_id, area_code, month_start, breakdown, breakdown_value,
       SUM(numerator) AS numerator, SUM(denominator) AS denominator
FROM measures
GROUP BY metric_id, area_code, month_start, breakdown, breakdown_value
UNION ALL
SELECT metric_id, $england, month_start, breakdown, breakdown_value,
       SUM(numerator), SUM(denominator)
FROM measures
GROUP BY metric_id, month_start, breakdown, breakdown_value
