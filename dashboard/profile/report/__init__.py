"""The report pack: an area's data profile (findings, tiles, charts, tables, sources and
methods) as a self-contained HTML file and an A4 PDF, built from the pages' own view models
and chart builders so a PDF and a page never disagree."""
