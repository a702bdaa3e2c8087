"""Pipeline: the one place the stages are joined (ingest, understand, stories, discover)."""
