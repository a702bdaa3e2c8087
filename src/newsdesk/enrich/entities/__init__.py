"""Entities: the people, places, organisations and topics an article names, as hashtags."""

from newsdesk.enrich.entities.entities import Entity, extract_entities
from newsdesk.enrich.entities.labels import hashtag_label

__all__ = ["Entity", "extract_entities", "hashtag_label"]
