-- Returns one row per hospital provider spell of an English resident aged 65+ at admission,
-- with the flags every HES admitted-care measure needs. Reads the view hes_apc (episodes).
-- Parameters: $readmission_days (30).
-- A spell is its first episode (EPIORDER = 1: admission fields, diagnoses) joined to the
-- episode carrying DISDATE (the last one; unfinished spells have none). The readmission test
-- looks at the patient's next spell (LEAD over all their spells, any age or residence, ordered
-- by admission date then spell id): it counts when that spell is an emergency admission
-- starting 0..$readmission_days days after this discharge. Deaths (DISDEST 79) never count.
WITH first_episodes AS (
    SELECT
        SPELL_ID AS spell_id,
        PSEUDO_HESID AS patient,
        RESLADST_ONS AS area_code,
        STARTAGE AS age,
        ADMIDATE AS admitted,
        ADMIMETH IN ('21', '22', '23', '24', '25', '2A', '2B', '2C', '2D', '28') AS is_emergency,
        CASE
            WHEN ADMISORC = '19' THEN 'own_home'
            WHEN ADMISORC IN ('54', '65', '85') THEN 'care_home'
            ELSE 'other'
        END AS admission_source,
        (DIAG_4_01 LIKE 'L89%' OR COALESCE(DIAG_4_02, '') LIKE 'L89%') AS pressure_ulcer,
        (DIAG_4_01 >= 'S00' AND DIAG_4_01 < 'T99') AS injury,
        RECORD_WEIGHT AS weight
    FROM hes_apc
    WHERE EPIORDER = 1
),
discharges AS (
    SELECT SPELL_ID AS spell_id, DISDATE AS discharged, DISDEST AS destination
    FROM hes_apc
    WHERE DISDATE IS NOT NULL
),
spells AS (
    SELECT
        f.*,
        d.discharged,
        d.destination,
        LEAD(f.admitted) OVER by_patient AS next_admitted,
        LEAD(f.is_emergency) OVER by_patient AS next_is_emergency
    FROM first_episodes AS f
    LEFT JOIN discharges AS d ON d.spell_id = f.spell_id
    WINDOW by_patient AS (PARTITION BY f.patient ORDER BY f.admitted, f.spell_id)
)
SELECT
    spell_id,
    area_code,
    weight,
    is_emergency,
    admission_source,
    pressure_ulcer,
    injury,
    CAST(date_trunc('month', admitted) AS DATE) AS admitted_month,
    CAST(date_trunc('month', discharged) AS DATE) AS discharged_month,
    discharged - admitted AS los,
    COALESCE(destination = '79', FALSE) AS died,
    CASE
        WHEN destination = '19' THEN 'own_home'
        WHEN destination IN ('54', '65', '85') THEN 'care_home'
        ELSE 'other'
    END AS discharge_destination,
    isodow(discharged) IN (6, 7) AS weekend,
    COALESCE(
        next_is_emergency
        AND next_admitted - discharged BETWEEN 0 AND $readmission_days,
        FALSE
    ) AS readmitted
FROM spells
WHERE age >= 65 AND age < 7000 AND area_code LIKE 'E%'
