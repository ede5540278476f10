-- All areas (152 councils and England) with their context columns, councils by name.
-- Parameters: none
SELECT *
FROM areas
ORDER BY la_type = 'country' DESC, name
