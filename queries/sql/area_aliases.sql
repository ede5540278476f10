-- Every known name variant and code, normalised, with the council it resolves to.
-- Parameters: none
SELECT alias, area_code FROM area_aliases ORDER BY alias
