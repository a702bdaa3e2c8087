"""Jobs stage: the huey queue (SQLite embedded, Redis at scale) and its tasks."""
