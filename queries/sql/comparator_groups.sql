-- Every area's comparator group under one method, nearest first, with the peers' names: the
-- peers a look-up over every area (queries.headline_series) takes each peer's values from.
-- Parameters: $method
SELECT c.area_code, c.peer_code, a.name AS peer_name, c.rank AS peer_rank
FROM comparators AS c
JOIN areas AS a ON a.area_code = c.peer_code
WHERE c.method = $method
ORDER BY c.area_code, c.rank
