"""The security issue's findings, each as an HTTP test that fails when its protection is removed."""

from __future__ import annotations

import base64
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import itsdangerous
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select

from newsdesk.settings import PLACEHOLDER_KEYS, Settings, describe_settings
from newsdesk.store import Store, transaction
from newsdesk.store.models import Source, User
from newsdesk.store.secrets import SESSION_KEY, read_secret
from newsdesk.testing.accounts import (
    PASSWORD,
    article_id,
    client_for,
    login,
    register,
    seeded_site_store,
    seeded_store,
    token,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    yield from seeded_site_store(tmp_path)


@pytest.fixture
def client(store: Store) -> TestClient:
    return client_for(store)


def forged_cookie(key: str, session: dict[str, object]) -> str:
    """A session cookie as Starlette's SessionMiddleware signs it, with ``key``."""
    data = base64.b64encode(json.dumps(session).encode())
    return itsdangerous.TimestampSigner(key).sign(data).decode()


def admin_id(store: Store) -> int:
    with store.session() as session:
        return int(session.scalars(select(User.id).where(User.username == "editor")).one())


# 1. The secret key


@pytest.mark.parametrize("key", sorted(PLACEHOLDER_KEYS | {"change-me", "a" * 40, "short"}))
def test_a_placeholder_or_short_key_is_refused_with_a_clear_message(key: str) -> None:
    with pytest.raises(ValidationError, match=r"the key (is|repeats)"):
        Settings(secret_key=key)


def test_a_cookie_forged_with_any_placeholder_key_opens_nothing(client: TestClient, store: Store) -> None:
    uid = admin_id(store)
    for key in sorted(PLACEHOLDER_KEYS):
        for session in ({"uid": uid}, {"uid": uid, "sv": 0}):
            client.cookies.set("newsdesk_session", forged_cookie(key, session))
            assert client.get("/en/admin/sources").status_code == 403, key
    client.cookies.clear()


def test_the_generated_key_is_random_kept_and_shared(store: Store, tmp_path: Path) -> None:
    client_for(store)
    first = read_secret(store, SESSION_KEY)
    assert first is not None and len(first.value) >= 43
    client_for(store)  # a second process (or a restart) uses the same key: sessions survive
    again = read_secret(store, SESSION_KEY)
    assert again is not None and again.value == first.value
    other = seeded_store(f"sqlite:///{tmp_path / 'other.db'}")
    client_for(other)
    assert read_secret(other, SESSION_KEY).value != first.value  # type: ignore[union-attr]
    other.close()


def test_a_cookie_signed_with_the_sites_own_key_works(client: TestClient, store: Store) -> None:
    key = read_secret(store, SESSION_KEY)
    assert key is not None
    client.cookies.set("newsdesk_session", forged_cookie(key.value, {"uid": admin_id(store), "sv": 0}))
    assert client.get("/en/admin/sources").status_code == 200  # the test above fails for the right reason


def test_config_says_where_the_key_comes_from_never_the_key(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsdesk.cli.main import cli
    from newsdesk.settings import get_settings

    key = "k" + os.urandom(24).hex()
    runner = CliRunner()
    get_settings.cache_clear()
    env = {"NEWSDESK_SECRET_KEY": key, "NEWSDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"}
    result = runner.invoke(cli, ["config"], env=env)
    get_settings.cache_clear()
    assert result.exit_code == 0 and key not in result.output
    assert "NEWSDESK_SECRET_KEY=(environment (NEWSDESK_SECRET_KEY))" in result.output


# 2. Absolute URLs never come from the request


def test_a_host_header_never_reaches_a_shared_page_or_a_feed(store: Store) -> None:
    client = client_for(store, public_url="https://news.example")
    aid = article_id(store)
    for path in (
        "/",
        "/en/",
        f"/en/article/{aid}",
        "/feeds/latest.atom",
        "/feeds/latest.rss",
        "/feeds/latest.json",
    ):
        for _ in range(7):
            client.get(path, headers={"Host": "evil.example"})
        for response in (client.get(path), client.get(path, headers={"Host": "evil.example"})):
            assert response.status_code == (302 if path == "/" else 200), path
            assert "evil.example" not in response.text + response.headers.get("location", ""), path
    assert "https://news.example/en/article/" in client.get("/feeds/latest.atom").text
    assert f'content="https://news.example/en/article/{aid}"' in client.get(f"/en/article/{aid}").text


def test_allowed_hosts_refuse_other_hosts(store: Store) -> None:
    client = client_for(store, allowed_hosts="news.example, *.news.example")
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/en/", headers={"Host": "www.news.example"}).status_code == 200


# 3. Log-in and sign-up abuse


def test_a_full_width_spelling_shares_the_throttle_of_the_name(client: TestClient) -> None:
    assert register(client, "carol") == 303
    attacker = TestClient(client.app, follow_redirects=False)
    spellings = ["cａrol", "ＣＡＲＯＬ", "Carol", "carol "]
    statuses = [login(attacker, spellings[n % 4], "not the password").status_code for n in range(24)]
    assert 429 in statuses[:8]
    assert login(attacker, "ｃａｒｏｌ").status_code == 429  # the right password waits too


def test_a_success_does_not_reset_the_address_counter(client: TestClient) -> None:
    assert register(client, "mallory") == 303
    attacker = TestClient(client.app, follow_redirects=False)
    for victim in ("alice1", "bob22", "carol3", "dave4", "erin5", "frank6"):
        login(attacker, victim, "guess")
    assert login(attacker, "mallory").status_code == 429  # the address waits, whichever name it tries


def test_sign_ups_are_limited_per_address(store: Store) -> None:
    client = client_for(store, signups_per_hour=3)
    statuses = [register(TestClient(client.app, follow_redirects=False), f"reader{n}") for n in range(4)]
    assert statuses == [303, 303, 303, 429]


@pytest.mark.parametrize(
    ("name", "password"),
    [
        ("dorothea12", "dorothea12"),
        ("dorothea12", "DOROTHEA12"),
        ("dorothea12", "ｄｏｒｏｔｈｅａ１２"),
        ("zed", "aaaaaaaaaaaa"),
        ("zed", "qwertyuiop"),
        ("zed", "password123"),
        ("zed", "1234567890"),
    ],
)
def test_weak_passwords_are_refused(client: TestClient, name: str, password: str) -> None:
    assert register(client, name, password) == 400
    assert register(client, name, "a sound long passphrase") == 303  # the name itself was fine


# 4. Sessions that can be revoked


def test_an_old_cookie_is_refused_after_log_out(client: TestClient) -> None:
    assert register(client) == 303
    saved = client.cookies.get("newsdesk_session")
    assert client.get("/en/account").status_code == 200
    assert client.post("/en/logout", data={"csrf": token(client, "/en/account")}).status_code == 303
    thief = TestClient(client.app, follow_redirects=False)
    thief.cookies.set("newsdesk_session", saved)  # type: ignore[arg-type]
    assert thief.get("/en/account").status_code == 303  # to the log-in page


def test_a_password_change_ends_every_other_session(client: TestClient) -> None:
    assert register(client) == 303
    laptop = TestClient(client.app, follow_redirects=False)
    assert login(laptop, "reader").status_code == 303
    data = {"current": PASSWORD, "password": "a new long passphrase", "csrf": token(client, "/en/account")}
    assert client.post("/en/account/password", data=data).status_code == 200
    assert client.get("/en/account").status_code == 200  # this browser stays in
    assert laptop.get("/en/account").status_code == 303
    assert login(laptop, "reader", "a new long passphrase").status_code == 303


def test_deleting_an_account_ends_its_sessions(client: TestClient, store: Store) -> None:
    assert register(client) == 303
    saved = client.cookies.get("newsdesk_session")
    wrong = client.post("/en/account/delete", data={"password": "nope", "csrf": token(client, "/en/account")})
    assert wrong.status_code == 401
    gone = client.post(
        "/en/account/delete", data={"password": PASSWORD, "csrf": token(client, "/en/account")}
    )
    assert gone.status_code == 303 and "cache" in gone.headers["clear-site-data"]
    with store.session() as session:
        assert session.scalars(select(User).where(User.username == "reader")).first() is None
    thief = TestClient(client.app, follow_redirects=False)
    thief.cookies.set("newsdesk_session", saved)  # type: ignore[arg-type]
    assert thief.get("/en/account").status_code == 303


# 6. Nothing private in the public API


def test_public_sources_show_no_credentials_or_errors(client: TestClient, store: Store) -> None:
    with transaction(store.sessions) as session:
        source = session.scalars(select(Source)).one()
        source.feed_url = "https://user:hunter2@gazette.example/feed"
        source.site_url = "https://user:hunter2@gazette.example/"
        source.last_error = "connect to 10.0.0.7:8080 refused"
    public = client.get("/api/v1/sources").text + client.get("/api/v1/sources/the-gazette").text
    assert "hunter2" not in public and "10.0.0.7" not in public and "feed_url" not in public
    admin = TestClient(client.app, follow_redirects=False)
    login(admin, "editor")
    private = admin.get("/api/v1/sources")
    assert "10.0.0.7" in private.text and "hunter2" not in private.text
    assert private.headers["cache-control"] == "private, no-store"


# 7. One URL-scheme rule


def test_opml_links_of_other_schemes_are_not_stored_or_shown(client: TestClient, store: Store) -> None:
    admin = TestClient(client.app, follow_redirects=False)
    login(admin, "editor")
    opml = (
        b'<opml version="2.0"><body>'
        b'<outline text="A" xmlUrl="https://a.example/rss" htmlUrl="javascript:alert(1)"/>'
        b'<outline text="B" xmlUrl="https://b.example/rss" htmlUrl="data:text/html,&lt;script&gt;"/>'
        b'<outline text="C" xmlUrl="https://c.example/rss" htmlUrl=" JAVA&#9;SCRIPT:alert(1)"/>'
        b"</body></opml>"
    )
    csrf = token(admin, "/en/admin/sources")
    admin.post("/en/admin/opml", data={"csrf": csrf}, files={"file": ("s.opml", opml, "text/xml")})
    with store.session() as session:
        sites = set(session.scalars(select(Source.site_url)))
    assert not any(site for site in sites if "script" in site.lower() or site.startswith("data"))
    with transaction(store.sessions) as session:  # an old row written before the rule
        session.scalars(select(Source)).first().site_url = "javascript:alert(1)"  # type: ignore[union-attr]
    assert "javascript:" not in client.get("/en/source/the-gazette").text


# 9. Files and settings


def test_the_database_and_queue_are_the_owners_alone(tmp_path: Path) -> None:
    from newsdesk.jobs.queue import make_huey

    folder = tmp_path / "data"
    settings = Settings(database_url=f"sqlite:///{folder / 'news.db'}")
    store = seeded_store(settings.database_url)
    make_huey(settings)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for name in ("news.db", "news.db-wal", "news.db.queue"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name
    store.close()


def test_config_masks_credentials_in_every_url() -> None:
    settings = Settings(
        llm_url="http://u:pw-llm@llm.local:8080/v1",
        database_url="postgresql+psycopg://news:pw-db@db/news",
        redis_url="redis://:pw-redis@cache:6379/0",  # type: ignore[arg-type]
        public_url="https://token-only@news.example",
    )
    shown = " ".join(value for _, value, _ in describe_settings(settings))
    assert "pw-" not in shown and "token-only" not in shown
    assert "http://u:***@llm.local:8080/v1" in shown and "redis://:***@cache:6379/0" in shown


# 10. The service worker keeps no reader's page


def test_a_logged_in_readers_pages_are_not_kept(client: TestClient, store: Store) -> None:
    aid = article_id(store)
    assert "no-store" not in TestClient(client.app).get(f"/en/article/{aid}").headers.get("cache-control", "")
    assert register(client) == 303
    for path in (f"/en/article/{aid}", "/en/", "/en/account"):
        assert client.get(path).headers["cache-control"] == "private, no-store", path
    worker = client.get("/sw.js").text
    assert "no-store" in worker and "keepable(response)" in worker


def test_error_pages_speak_the_readers_language_and_the_api_stays_precise(client: TestClient) -> None:
    page = client.get("/de/search?q=brücke&since=kein-datum")
    assert page.status_code == 422 and "since: bitte ein Datum im Format JJJJ-MM-TT angeben." in page.text
    assert "Input should be" not in page.text
    assert "No encontramos esa página." in client.get("/es/story/" + "0" * 32).text
    api = client.get("/api/v1/search?q=x&since=kein-datum").json()
    assert api["error"]["status"] == 422 and "query.since" in api["error"]["message"]
