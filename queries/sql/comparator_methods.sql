-- The comparator methods available, with how many areas each covers.
-- Parameters: none
SELECT method, COUNT(DISTINCT area_code) AS areas, COUNT(*) AS pairs
FROM comparators
GROUP BY method
ORDER BY method = 'default' DESC, method
