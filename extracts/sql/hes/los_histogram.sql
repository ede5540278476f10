-- Returns the length-of-stay histogram of emergency spells of residents aged 65+ per council
-- and England by discharge month: area_code, month_start, los, spells (record count),
-- weight (weighted count). Reads the temp table spell_cells (its 'los' cells).
-- Parameters: $england. Percentiles are read off this histogram for any period
-- (indicators.sql), so the spells are scanned once whatever the number of periods.
WITH histogram AS (
    SELECT area_code, month_start, los, emergency_spells AS spells, emergency AS weight
    FROM spell_cells
    WHERE cell = 'los' AND month_start IS NOT NULL AND emergency_spells > 0
)
SELECT area_code, month_start, los, spells, weight FROM histogram
UNION ALL
SELECT $england, month_start, los, SUM(spells), SUM(weight)
FROM histogram
GROUP BY month_start, los
