"""Reader apps' access: app passwords and tokens checked, failures throttled as log-ins are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from newsdesk.store import Store, transaction
from newsdesk.store.app_passwords import check_app_password
from newsdesk.store.community import login_key
from newsdesk.store.models import AppPassword, User
from newsdesk.store.reading import read_horizon
from newsdesk.web.limits import FailureThrottle

Check = Callable[[Session], tuple[User, AppPassword] | None]
Params = list[tuple[str, str]]


@dataclass(frozen=True)
class AppReader:
    """The reader an app request acts for, with the horizon their unread articles start after."""

    user: User
    app_password_id: int
    horizon: datetime

    @property
    def id(self) -> int:
        return self.user.id


def app_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def app_throttle(request: Request) -> FailureThrottle:
    """One throttle of app-password failures per site (per account name and per address, as log-in)."""
    throttle = getattr(request.app.state, "app_password_throttle", None)
    if not isinstance(throttle, FailureThrottle):
        throttle = request.app.state.app_password_throttle = FailureThrottle()
    return throttle


def address_key(request: Request) -> str:
    return f"ip:{request.client.host if request.client else '-'}"


def new_reader_days(request: Request) -> int:
    days: int = request.app.state.settings.unread_days_for_new_readers
    return days


def authorise(request: Request, check: Check, account: str = "") -> AppReader:
    """Run ``check`` (an app password, token or Fever key) under the throttle; 401 when it fails."""
    throttle, address = app_throttle(request), address_key(request)
    keys = (address, account) if account else (address,)
    if throttle.wait(*keys) > 0:
        raise HTTPException(429, "too many failed attempts; wait a little and try again")
    with transaction(app_store(request).sessions) as session:
        found = check(session)
        if found is None:
            throttle.failed(*keys)
            raise HTTPException(401, "unknown user, app password or token")
        user, row = found
        horizon = read_horizon(session, user, new_reader_days(request))
    if account:
        throttle.succeeded(account)
    return AppReader(user, row.id, horizon)


def log_in_app(request: Request, username: str, password: str) -> tuple[User, AppPassword]:
    """Check a user name and app password (the log-in password is refused); 401 or 429 as log-in does."""
    result: list[tuple[User, AppPassword]] = []

    def check(session: Session) -> tuple[User, AppPassword] | None:
        found = check_app_password(session, username, password)
        if found is not None:
            result.append(found)
        return found

    authorise(request, check, f"user:{login_key(username)}")
    return result[0]


async def request_params(request: Request) -> Params:
    """The query's and a posted form's parameters, repeated keys kept (i=…&i=…)."""
    params = list(request.query_params.multi_items())
    if request.method == "POST":
        form = await request.form()
        params += [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    return params


def values(params: Params, key: str) -> list[str]:
    return [v for k, v in params if k == key]


def value(params: Params, key: str, default: str = "") -> str:
    found = values(params, key)
    return found[0] if found else default
