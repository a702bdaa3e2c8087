"""Parameter types shared by routes: ids within what the databases store."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

MAX_ID = 2**63 - 1  # the largest id SQLite and PostgreSQL store: a larger one is a 422, not a crash
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]  # a row id in a path
