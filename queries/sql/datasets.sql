-- The published datasets: publisher, licence, vintage, row counts and synthetic flag.
-- Parameters: none
SELECT * FROM datasets ORDER BY is_synthetic, dataset_id
