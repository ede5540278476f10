-- Returns the length-of-stay histogram of emergency spells of residents aged 65+ per council
-- and England by discharge month: area_code, month_start, los, spells (record count),
-- weight (weighted count). Reads the temp table spells. Parameters: $england.
-- Percentiles are read off this histogram for any period (indicators.sql), so the spells are
-- scanned once whatever the number of periods.
SELECT area_code, discharged_month AS month_start, los,
       COUNT(*) AS spells, SUM(weight) AS weight
FROM spells
WHERE is_emergency AND discharged_month IS NOT NULL
GROUP BY area_code, discharged_month, los
UNION ALL
SELECT $england, discharged_month, los, COUNT(*), SUM(weight)
FROM spells
WHERE is_emergency AND discharged_month IS NOT NULL
GROUP BY discharged_month, los
