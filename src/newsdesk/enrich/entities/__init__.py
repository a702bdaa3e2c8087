"""Entities: the people, places, organisations and topics an article names, as hashtags."""

from newsdesk.enrich.entities.entities import Entity, extract_entities

__all__ = ["Entity", "extract_entities"]
