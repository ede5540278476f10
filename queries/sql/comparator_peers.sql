-- An area's comparator group under one method, nearest first, with names and context.
-- Parameters: $area, $method
SELECT c.peer_code AS area_code, a.name, c.rank, c.distance, a.region, a.la_type
FROM comparators AS c
JOIN areas AS a ON a.area_code = c.peer_code
WHERE c.method = $method AND c.area_code = $area
ORDER BY c.rank
