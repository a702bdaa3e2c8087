"""Enrichment of stored articles: language, categories, hashtags and entities, key facts."""
