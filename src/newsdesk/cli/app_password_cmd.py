"""`newsdesk app-password USER`: make, list or revoke a reader's app passwords for reader apps."""

from __future__ import annotations

import sys

import click
from sqlalchemy import select

from newsdesk.settings import get_settings
from newsdesk.store import open_store, transaction
from newsdesk.store.app_passwords import create_app_password, list_app_passwords, revoke_app_password
from newsdesk.store.community import AccountError, login_key
from newsdesk.store.models import User


@click.command("app-password")
@click.argument("username")
@click.option("--label", default="", help="Which app it is for (shown on the account page)")
@click.option("--revoke", "revoke_id", type=int, default=None, help="Revoke the app password with this id")
@click.option("--list", "list_only", is_flag=True, help="List the reader's app passwords (never their text)")
def command(username: str, label: str, revoke_id: int | None, list_only: bool) -> None:
    """Print a new app password for USER (Google Reader API and Fever apps), or --revoke / --list them."""
    store = open_store(get_settings().database_url)
    try:
        with transaction(store.sessions) as session:
            user = session.scalars(select(User).where(User.username == login_key(username))).first()
            if user is None:
                raise AccountError(f"no user {username!r}")
            if revoke_id is not None:
                revoke_app_password(session, user.id, revoke_id)
                click.echo(f"revoked app password {revoke_id} of {user.username}")
            elif list_only:
                for row in list_app_passwords(session, user.id):
                    used = f"{row.last_used_at:%Y-%m-%d}" if row.last_used_at else "never"
                    click.echo(f"{row.id}\t{row.label or '-'}\tmade {row.created_at:%Y-%m-%d}\tused {used}")
            else:
                click.echo(create_app_password(session, user, label).password)
    except (AccountError, LookupError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    finally:
        store.close()
