"""Entities: the people, places, organisations and topics an article names, and a story's hashtags."""

from newsdesk.enrich.entities.entities import Entity, extract_entities, story_hashtags

__all__ = ["Entity", "extract_entities", "story_hashtags"]
