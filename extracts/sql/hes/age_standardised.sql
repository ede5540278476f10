-- Returns emergency admissions of residents aged 65+ by ONS age band (65-74, 75-84, 85+) and
-- their directly standardised rate (DSR) with Dobson's 95 % interval, per area and period:
-- metric_id, area_code, period_type, period_start, period_end, breakdown, breakdown_value,
-- numerator, denominator, value, lower_ci, upper_ci.
--   Band rows: metric_id = the crude metric (ea65_rate, ea65_carehome_rate,
--   ea_pressure_ulcer_carehome, ea_injury_carehome, defined as in spells.sql), breakdown
--   'age_band', numerator = admissions, denominator = the band's population, value = crude rate.
--   DSR rows: metric_id = the crude metric || '_dsr', breakdown 'all', numerator = admissions,
--   denominator = admissions / DSR × multiplier (PHEindicatormethods' derived denominator for
--   DSR funnels), value = DSR, lower_ci / upper_ci = Dobson; no DSR (nulls) below 10 events.
-- Reads the view hes_apc (episodes) and the tables the builder registers: band_periods
-- (metric_id, period_type, period_start, period_end, month_start) and band_population
-- (area_code, period_type, period_start, age_band, population; councils and England).
-- Parameters: $england (area code of England), $multiplier (100000), $z (1.959963984540054).
-- England counts every spell of an English resident, as apc_monthly.sql does. Standard
-- population: European Standard Population 2013, its 65+ bands summed to the ONS bands.
WITH standard (age_band, weight) AS (
    VALUES ('65-74', 10500.0), ('75-84', 6500.0), ('85+', 2500.0)
),
admissions AS (
    SELECT
        RESLADST_ONS AS area_code,
        CAST(date_trunc('month', ADMIDATE) AS DATE) AS month_start,
        CASE WHEN STARTAGE < 75 THEN '65-74' WHEN STARTAGE < 85 THEN '75-84' ELSE '85+' END
            AS age_band,
        ADMISORC IN ('54', '65', '85') AS from_care_home,
        (DIAG_4_01 LIKE 'L89%' OR COALESCE(DIAG_4_02, '') LIKE 'L89%') AS pressure_ulcer,
        (DIAG_4_01 >= 'S00' AND DIAG_4_01 < 'T99') AS injury,
        RECORD_WEIGHT AS weight
    FROM hes_apc
    WHERE EPIORDER = 1 AND STARTAGE >= 65 AND STARTAGE < 7000 AND RESLADST_ONS LIKE 'E%'
      AND ADMIMETH IN ('21', '22', '23', '24', '25', '2A', '2B', '2C', '2D', '28')
),
monthly AS (
    SELECT 'ea65_rate' AS metric_id, area_code, month_start, age_band, weight FROM admissions
    UNION ALL
    SELECT 'ea65_carehome_rate', area_code, month_start, age_band, weight
    FROM admissions WHERE from_care_home
    UNION ALL
    SELECT 'ea_pressure_ulcer_carehome', area_code, month_start, age_band, weight
    FROM admissions WHERE from_care_home AND pressure_ulcer
    UNION ALL
    SELECT 'ea_injury_carehome', area_code, month_start, age_band, weight
    FROM admissions WHERE from_care_home AND injury
),
rolled AS (
    SELECT m.metric_id, m.area_code, p.period_type, p.period_start, m.age_band,
           SUM(m.weight) AS admissions
    FROM monthly AS m
    JOIN band_periods AS p ON p.metric_id = m.metric_id AND p.month_start = m.month_start
    GROUP BY m.metric_id, m.area_code, p.period_type, p.period_start, m.age_band
    UNION ALL
    SELECT m.metric_id, $england, p.period_type, p.period_start, m.age_band, SUM(m.weight)
    FROM monthly AS m
    JOIN band_periods AS p ON p.metric_id = m.metric_id AND p.month_start = m.month_start
    GROUP BY m.metric_id, p.period_type, p.period_start, m.age_band
),
periods AS (
    SELECT DISTINCT metric_id, period_type, period_start, period_end FROM band_periods
),
bands AS (
    -- every area × period × band with a population (zero admissions where none)
    SELECT p.metric_id, pop.area_code, p.period_type, p.period_start, p.period_end,
           pop.age_band, COALESCE(r.admissions, 0) AS admissions, pop.population, s.weight
    FROM periods AS p
    JOIN band_population AS pop
      ON pop.period_type = p.period_type AND pop.period_start = p.period_start
    JOIN standard AS s ON s.age_band = pop.age_band
    LEFT JOIN rolled AS r
      ON r.metric_id = p.metric_id AND r.area_code = pop.area_code
     AND r.period_type = p.period_type AND r.period_start = p.period_start
     AND r.age_band = pop.age_band
    WHERE pop.population > 0
),
standardised AS (
    SELECT metric_id, area_code, period_type, period_start, period_end,
           SUM(admissions) AS total,
           SUM(admissions * weight / population) / SUM(weight) AS dsr,
           SUM(admissions * (weight / population) * (weight / population))
               / (SUM(weight) * SUM(weight)) AS variance
    FROM bands
    GROUP BY metric_id, area_code, period_type, period_start, period_end
    HAVING COUNT(*) = 3  -- all three bands have a population
),
dobson AS (
    SELECT *,
           total * POWER(1 - 1 / (9 * total) - $z / (3 * SQRT(total)), 3) AS byar_lower,
           (total + 1) * POWER(1 - 1 / (9 * (total + 1)) + $z / (3 * SQRT(total + 1)), 3)
               AS byar_upper
    FROM standardised
    WHERE total >= 10
)
SELECT metric_id, area_code, period_type, period_start, period_end,
       'age_band' AS breakdown, age_band AS breakdown_value,
       admissions AS numerator, population AS denominator,
       admissions / population * $multiplier AS value,
       CAST(NULL AS DOUBLE) AS lower_ci, CAST(NULL AS DOUBLE) AS upper_ci
FROM bands
UNION ALL
SELECT s.metric_id || '_dsr', s.area_code, s.period_type, s.period_start, s.period_end,
       'all', 'all', s.total,
       CASE WHEN d.total IS NULL THEN NULL ELSE s.total / s.dsr END,
       CASE WHEN d.total IS NULL THEN NULL ELSE s.dsr * $multiplier END,
       (d.dsr + SQRT(d.variance / d.total) * (d.byar_lower - d.total)) * $multiplier,
       (d.dsr + SQRT(d.variance / d.total) * (d.byar_upper - d.total)) * $multiplier
FROM standardised AS s
LEFT JOIN dobson AS d
  ON d.metric_id = s.metric_id AND d.area_code = s.area_code
 AND d.period_type = s.period_type AND d.period_start = s.period_start
