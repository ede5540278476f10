-- How many comparators each area has under one method: comparator_peers' row count for every
-- area at once (the same join, so a peer missing from areas is not counted).
-- Parameters: $method
SELECT c.area_code, count(*) AS peers
FROM comparators AS c
JOIN areas AS a ON a.area_code = c.peer_code
WHERE c.method = $method
GROUP BY c.area_code
