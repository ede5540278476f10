-- Returns one row per hospital provider spell of an English resident aged 65+ at admission,
-- with the flags every HES admitted-care measure needs. Reads the view hes_apc (episodes).
-- Parameters: $readmission_days (30).
-- A spell is its first episode (EPIORDER = 1: admission fields, diagnoses) with the discharge
-- (DISDATE, DISDEST) of the episode carrying DISDATE: the first episode itself when the spell
-- has one episode, else a later one (HES records DISDATE on the last episode only; unfinished
-- spells have none). The readmission test looks at the patient's next spell (LEAD over all
-- their spells, any age or residence, ordered by admission date then spell id): it counts when
-- that spell is an emergency admission starting 0..$readmission_days days after this
-- discharge. Deaths (DISDEST 79) never count.
-- Cost: the window is the one sort over every spell, so it carries only the sort keys, a flag,
-- the discharge date and one LEAD (with every field of the spell riding along it spilled at
-- full England size; a second LEAD for the emergency flag cost 4-8 % of the step); the
-- spell's other fields come from a second, filtered scan, and only spells whose first episode
-- has no DISDATE look up their discharge episode.
WITH next_emergency AS (
    -- counted spells whose next spell is an emergency admission, with that admission date
    SELECT spell_id, next_admitted
    FROM (
        SELECT
            spell_id,
            counted,
            discharged,
            -- the next spell's admission date if it is an emergency, else null: one LEAD
            LEAD(emergency_admitted) OVER by_patient AS next_admitted
        FROM (
            -- the flags are worked out before the sort, so only six narrow columns ride it
            SELECT
                PSEUDO_HESID AS patient,
                SPELL_ID AS spell_id,
                ADMIDATE AS admitted,
                DISDATE AS discharged,
                STARTAGE >= 65 AND STARTAGE < 7000 AND RESLADST_ONS LIKE 'E%' AS counted,
                CASE WHEN ADMIMETH IN ('21', '22', '23', '24', '25', '2A', '2B', '2C', '2D', '28')
                     THEN ADMIDATE END AS emergency_admitted
            FROM hes_apc
            WHERE EPIORDER = 1
        ) AS first_of_all
        WINDOW by_patient AS (PARTITION BY patient ORDER BY admitted, spell_id)
    ) AS with_next
    -- a spell whose first episode has its discharge is settled here; the others (discharge on
    -- a later episode) are settled after that episode is found
    WHERE counted AND next_admitted IS NOT NULL
      AND (discharged IS NULL
           OR date_diff('day', discharged, next_admitted) BETWEEN 0 AND $readmission_days)
),
first_episodes AS (
    SELECT
        SPELL_ID AS spell_id,
        RESLADST_ONS AS area_code,
        ADMIDATE AS admitted,
        ADMIMETH IN ('21', '22', '23', '24', '25', '2A', '2B', '2C', '2D', '28') AS is_emergency,
        CASE
            WHEN ADMISORC = '19' THEN 'own_home'
            WHEN ADMISORC IN ('54', '65', '85') THEN 'care_home'
            ELSE 'other'
        END AS admission_source,
        (DIAG_4_01 LIKE 'L89%' OR COALESCE(DIAG_4_02, '') LIKE 'L89%') AS pressure_ulcer,
        (DIAG_4_01 >= 'S00' AND DIAG_4_01 < 'T99') AS injury,
        RECORD_WEIGHT AS weight,
        DISDATE AS discharged,
        DISDEST AS destination
    FROM hes_apc
    WHERE EPIORDER = 1 AND STARTAGE >= 65 AND STARTAGE < 7000 AND RESLADST_ONS LIKE 'E%'
),
later_discharges AS (
    SELECT SPELL_ID AS spell_id, DISDATE AS discharged, DISDEST AS destination
    FROM hes_apc
    WHERE EPIORDER <> 1 AND DISDATE IS NOT NULL
),
spell_rows AS (
    SELECT f.spell_id, f.area_code, f.admitted, f.is_emergency, f.admission_source,
           f.pressure_ulcer, f.injury, f.weight,
           COALESCE(f.discharged, d.discharged) AS discharged,
           CASE WHEN f.discharged IS NULL THEN d.destination ELSE f.destination END
               AS destination
    FROM first_episodes AS f
    LEFT JOIN later_discharges AS d ON d.spell_id = f.spell_id AND f.discharged IS NULL
)
SELECT
    area_code,
    weight,
    is_emergency,
    admission_source,
    pressure_ulcer,
    injury,
    CAST(date_trunc('month', admitted) AS DATE) AS admitted_month,
    CAST(date_trunc('month', discharged) AS DATE) AS discharged_month,
    date_diff('day', admitted, discharged) AS los,
    COALESCE(destination = '79', FALSE) AS died,
    CASE
        WHEN destination = '19' THEN 'own_home'
        WHEN destination IN ('54', '65', '85') THEN 'care_home'
        ELSE 'other'
    END AS discharge_destination,
    isodow(discharged) IN (6, 7) AS weekend,
    COALESCE(date_diff('day', discharged, n.next_admitted) BETWEEN 0 AND $readmission_days,
             FALSE) AS readmitted
FROM spell_rows AS s
LEFT JOIN next_emergency AS n ON n.spell_id = s.spell_id
