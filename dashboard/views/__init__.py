"""View models: what a page shows, computed from the query API, with no Dash in them."""
