"""Secrets the site generates for itself and keeps in the store, so every process and machine shares them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from newsdesk.store.db import Store, transaction
from newsdesk.store.models import SiteSecret

SESSION_KEY = "session-key"


@dataclass(frozen=True)
class StoredSecret:
    value: str
    created_at: datetime
    generated_now: bool


def read_secret(store: Store, name: str) -> StoredSecret | None:
    """The stored secret called ``name``, or None when none was generated yet."""
    with store.session() as session:
        row = session.scalars(select(SiteSecret).where(SiteSecret.name == name)).first()
    return None if row is None else StoredSecret(row.value, row.created_at, generated_now=False)


def ensure_secret(store: Store, name: str, nbytes: int = 48) -> StoredSecret:
    """The secret called ``name``, generated on first use; processes starting together agree on one."""
    known = read_secret(store, name)
    if known is not None:
        return known
    value = secrets.token_urlsafe(nbytes)
    try:
        with transaction(store.sessions) as session:
            session.add(SiteSecret(name=name, value=value))
    except IntegrityError:  # another process stored its own first: use that one
        known = read_secret(store, name)
        assert known is not None
        return known
    made = read_secret(store, name)
    assert made is not None
    return StoredSecret(made.value, made.created_at, generated_now=True)
