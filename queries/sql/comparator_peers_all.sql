-- Every area's comparator group under one method, nearest first, with names and context:
-- queried once per data version and method, so an area's group is a look-up, not a query.
-- The columns after `subject` are those of comparator_peers.sql.
-- Parameters: $method
SELECT c.area_code AS subject, c.peer_code AS area_code, a.name, c.rank, c.distance, a.region,
    a.la_type
FROM comparators AS c
JOIN areas AS a ON a.area_code = c.peer_code
WHERE c.method = $method
ORDER BY c.area_code, c.rank
