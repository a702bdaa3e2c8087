"""`newsdesk websub list|renew`: what the hourly renewal job does, by hand, against a local hub."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from click.testing import CliRunner

from newsdesk.cli.main import cli
from newsdesk.settings import Settings, get_settings
from newsdesk.store import transaction
from newsdesk.store.models import utcnow
from newsdesk.store.websub import PushSubscription
from newsdesk.testing.websub_hub import PushSite, push_site


@pytest.fixture
def site(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[PushSite]:
    env = {
        "NEWSDESK_DATABASE_URL": settings.database_url,
        "NEWSDESK_ALLOW_PRIVATE_HOSTS": "127.0.0.1",
        "NEWSDESK_PUBLIC_URL": "http://testserver",
        "NEWSDESK_LOG_LEVEL": "ERROR",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    with push_site(settings) as pushed:
        pushed.serve([("urn:1", "Ferry timetable changes", "The ferry leaves at nine.")])
        pushed.poll()
        yield pushed
    get_settings.cache_clear()


def test_renew_asks_the_hub_again_before_the_lease_ends_and_list_shows_it(site: PushSite) -> None:
    with transaction(site.store.sessions) as session:
        subscription = session.get(PushSubscription, site.subscription().id)
        assert subscription is not None
        subscription.lease_expires_at = utcnow() + timedelta(minutes=5)
        subscription.requested_at = utcnow() - timedelta(hours=2)
    result = CliRunner().invoke(cli, ["websub", "renew"])
    assert (result.exit_code, result.output) == (0, "renewed: 1, unsubscribed: 0, failed: 0\n")
    assert [r["hub.mode"] for r in site.hub.requests] == ["subscribe", "subscribe"]
    listed = CliRunner().invoke(cli, ["websub", "list"]).output
    assert listed.startswith(f"Pushed Post  [active]  hub <{site.hub.url('/hub')}>  topic <{site.topic}>\n")


def test_renew_without_a_public_url_says_why_it_cannot(
    site: PushSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_PUBLIC_URL", "")
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["websub", "renew"])
    assert result.exit_code == 1
    assert "NEWSDESK_PUBLIC_URL is not set" in result.output
    assert len(site.hub.requests) == 1
