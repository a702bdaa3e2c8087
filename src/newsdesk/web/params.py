"""Parameter types shared by routes: ids within what the databases store, days within the calendar's."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from annotated_types import Interval
from fastapi import Path, Query

MAX_ID = 2**63 - 1  # the largest id SQLite and PostgreSQL store: a larger one is a 422, not a crash
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]  # a row id in a path
# Days readers can ask for: a wider range only overflows date arithmetic (9999-12-31 + 1 day).
ReaderDay = Annotated[date, Interval(ge=date(1900, 1, 1), le=date(2999, 12, 31))]
BriefingDay = Annotated[
    ReaderDay | None, Query(alias="date", description="One day (default: the last 24 hours)")
]
