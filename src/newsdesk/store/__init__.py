"""Store stage: SQLAlchemy models, migrations, and the queries every other part uses."""

from newsdesk.store.db import Store, open_store, transaction

__all__ = ["Store", "open_store", "transaction"]
