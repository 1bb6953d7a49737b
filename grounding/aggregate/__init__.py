"""Questions across the archive: counts, rankings, trends, shares, comparisons, distributions.

A deterministic router (`router.py`) reads what the question asks (patterns from config, places,
periods, units, linked concepts) into a typed query (`spec.py`), which is compiled to SQLAlchemy
with bound parameters (`sql.py`) and run on SQLite or PostgreSQL alike; `distribution.py` counts
report-concept links; `compose.py` writes the answer sentence and its evidence from the result;
`confidence.py` scores what the route knows. Counts come from SQL, never from a model.
docs/aggregates.md.
"""
