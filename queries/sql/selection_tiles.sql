-- The hex tile layout of the councils (odd-r: odd rows shifted half a hex right, r grows
-- northwards), one row per council that has a tile.
-- Parameters: none
SELECT area_code, q, r
FROM area_tiles
ORDER BY area_code
