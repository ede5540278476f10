-- Returns first A&E attendances (AEATTENDCAT 1) of English residents aged 65+ (ARRIVALAGE
-- 65..6999) summed into area_code × month_start × care_home (CARE_HOME_RESIDENT, null =
-- unknown): attendances, gp_referred (AEREFSOURCE 00), weighted. Reads the view hes_ae.
-- Parameters: none. The one pass over the attendances: ae_monthly.sql reads this small table
-- several times (Spark would otherwise scan the records once per reference of a CTE).
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
