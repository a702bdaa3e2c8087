"""The key that signs session cookies: the operator's, or one generated on first start and stored."""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from newsdesk.settings import CONFIG_FILE, Settings
from newsdesk.store import Store, open_store
from newsdesk.store.db import sqlite_file
from newsdesk.store.secrets import SESSION_KEY, ensure_secret, read_secret


@dataclass(frozen=True)
class SessionKey:
    value: str
    origin: str  # where it comes from, for `newsdesk config` and the log (never the key itself)


def configured_origin() -> str:
    if "NEWSDESK_SECRET_KEY" in os.environ:
        return "environment (NEWSDESK_SECRET_KEY)"
    return f"settings ({CONFIG_FILE} or the caller)"


def session_key(settings: Settings, store: Store) -> SessionKey:
    """The configured key (already checked by the settings), else the store's, generated when missing."""
    if settings.secret_key is not None:
        return SessionKey(settings.secret_key.get_secret_value(), configured_origin())
    stored = ensure_secret(store, SESSION_KEY)
    verb = "generated now" if stored.generated_now else "generated"
    return SessionKey(stored.value, f"{verb} on {stored.created_at:%Y-%m-%d} and kept in the store")


NOT_YET = "none yet: one is generated on first start and kept in the store"


def describe_session_key(settings: Settings) -> str:
    """Where the session key comes from, without generating one (nor creating the store)."""
    if settings.secret_key is not None:
        return configured_origin()
    path = sqlite_file(settings.database_url) if settings.is_sqlite else None
    if settings.is_sqlite and (path is None or not path.exists()):
        return NOT_YET
    store = open_store(settings.database_url, migrate=False)
    try:
        stored = read_secret(store, SESSION_KEY)
    except SQLAlchemyError:  # a store from before the key was kept there
        stored = None
    finally:
        store.close()
    if stored is None:
        return NOT_YET
    return f"generated on {stored.created_at:%Y-%m-%d} and kept in the store"
