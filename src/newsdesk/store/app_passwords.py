"""App passwords: random passwords a reader makes for each reader app, argon2-hashed, revocable one by one."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsdesk.store.community import DUMMY_HASH, HASHER, AccountError, normalise_username
from newsdesk.store.models import AppPassword, User, utcnow

MAX_APP_PASSWORDS = 20
TOKEN_PURPOSE = b"newsdesk google-reader token"


@dataclass(frozen=True)
class NewAppPassword:
    """A password as made: the only time its text is known (the store keeps a hash)."""

    id: int
    label: str
    password: str


def fever_key(username: str, password: str) -> str:
    """The key a Fever app sends: md5 of "user:password" (the protocol's choice, not ours)."""
    return hashlib.md5(f"{username}:{password}".encode()).hexdigest()


def fever_digest(key: str) -> str:
    """What the store keeps of a Fever key: enough to find its app password, not to log in elsewhere."""
    return hashlib.sha256(key.strip().lower().encode()).hexdigest()


def create_app_password(session: Session, user: User, label: str = "") -> NewAppPassword:
    """Make a new random app password for ``user`` (at most MAX_APP_PASSWORDS each)."""
    count = session.scalar(select(func.count()).where(AppPassword.user_id == user.id)) or 0
    if count >= MAX_APP_PASSWORDS:
        raise AccountError(f"at most {MAX_APP_PASSWORDS} app passwords; revoke one first")
    password = secrets.token_urlsafe(18)  # 144 random bits
    row = AppPassword(
        user_id=user.id,
        label=label.strip()[:100],
        password_hash=HASHER.hash(password),
        fever_digest=fever_digest(fever_key(user.username, password)),
    )
    session.add(row)
    session.flush()
    return NewAppPassword(row.id, row.label, password)


def list_app_passwords(session: Session, user_id: int) -> list[AppPassword]:
    query = select(AppPassword).where(AppPassword.user_id == user_id).order_by(AppPassword.id)
    return list(session.scalars(query))


def revoke_app_password(session: Session, user_id: int, app_password_id: int) -> None:
    """Delete one of the reader's app passwords (its Reader-API tokens and Fever key stop working)."""
    row = session.get(AppPassword, app_password_id)
    if row is None or row.user_id != user_id:
        raise LookupError(f"no app password {app_password_id}")
    session.delete(row)


def usable(user: User | None) -> bool:
    return user is not None and user.banned_at is None


def check_app_password(session: Session, username: str, password: str) -> tuple[User, AppPassword] | None:
    """The reader and the app password when ``password`` is one of theirs; None otherwise.

    The log-in password is never accepted here; banned readers are refused. Unknown names cost one
    argon2 verification like known ones.
    """
    try:
        name = normalise_username(username)
    except AccountError:
        name = ""
    user = session.scalars(select(User).where(User.username == name)).first() if name else None
    rows: list[AppPassword | None] = [*list_app_passwords(session, user.id)] if user is not None else []
    for row in rows or [None]:
        try:
            HASHER.verify(row.password_hash if row else DUMMY_HASH, password[:200])
        except (VerificationError, InvalidHashError):
            continue
        if row is not None and user is not None and usable(user):
            row.last_used_at = utcnow()
            return user, row
    return None


def check_fever_key(session: Session, key: str) -> tuple[User, AppPassword] | None:
    """The reader and app password a Fever key belongs to (None when unknown, or the reader is banned)."""
    row = session.scalars(select(AppPassword).where(AppPassword.fever_digest == fever_digest(key))).first()
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or not usable(user):
        return None
    assert user is not None
    return user, row


def reader_token(user: User, row: AppPassword) -> str:
    """The Google Reader API token of one app password: 'name/<hmac>', dead once the password is revoked."""
    digest = hmac.new(row.password_hash.encode(), TOKEN_PURPOSE, hashlib.sha256).hexdigest()
    return f"{user.username}/{digest}"


def check_reader_token(session: Session, token: str) -> tuple[User, AppPassword] | None:
    """The reader and app password a Reader-API token was made from (None when revoked, forged or banned)."""
    name, _, digest = token.strip().partition("/")
    if not name or not digest:
        return None
    user = session.scalars(select(User).where(User.username == name)).first()
    if not usable(user):
        return None
    assert user is not None
    for row in list_app_passwords(session, user.id):
        if hmac.compare_digest(reader_token(user, row), f"{name}/{digest}"):
            return user, row
    return None
