"""Web stage: the reader site, the JSON API and feeds (FastAPI, Jinja2)."""
