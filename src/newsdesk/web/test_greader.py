"""Google Reader API: request and response pairs of every endpoint, on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode
from xml.etree.ElementTree import fromstring

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select, update

from newsdesk.demo.publisher import PublisherNetwork
from newsdesk.settings import Settings
from newsdesk.store import Store, transaction
from newsdesk.store.app_passwords import create_app_password, list_app_passwords, revoke_app_password
from newsdesk.store.articles import ArticleRecord, save_article
from newsdesk.store.community import create_user, set_banned, toggle_follow
from newsdesk.store.models import Article, Source, User
from newsdesk.testing.apps import NOW, add_articles
from newsdesk.web.app import create_app

LOGIN_PASSWORD = "correct horse battery"
READING_LIST = "user/-/state/com.google/reading-list"
READ, STARRED = "user/-/state/com.google/read", "user/-/state/com.google/starred"
API = "/api/greader/reader/api/0"


@dataclass
class Site:
    client: TestClient
    store: Store
    password: str  # the reader's app password
    admin_password: str
    gazette: int  # source ids
    courier: int


@pytest.fixture
def site(store: Store, settings: Settings) -> Site:
    gazette, courier = add_articles(store)
    with transaction(store.sessions) as session:
        reader = create_user(session, "reader", LOGIN_PASSWORD)
        admin = create_user(session, "editor", LOGIN_PASSWORD, is_admin=True)
        password = create_app_password(session, reader, "phone").password
        admin_password = create_app_password(session, admin, "desktop").password
    client = TestClient(create_app(settings, store), follow_redirects=False)
    return Site(client, store, password, admin_password, gazette, courier)


def log_in(site: Site, name: str = "reader", password: str = "") -> str:
    response = site.client.post(
        "/api/greader/accounts/ClientLogin", data={"Email": name, "Passwd": password or site.password}
    )
    assert response.status_code == 200, response.text
    match = re.search(r"^Auth=(\S+)$", response.text, re.M)
    assert match and f"SID={match[1]}" in response.text
    return match[1]


def post_form(site: Site, path: str, pairs: list[tuple[str, str]], headers: dict[str, str]) -> Response:
    """POST a form with repeated keys (i=…&i=…), as Reader apps send."""
    form_headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
    return site.client.post(path, content=urlencode(pairs), headers=form_headers)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"GoogleLogin auth={token}"}


def titles(body: dict[str, object]) -> list[str]:
    items = body["items"]
    assert isinstance(items, list)
    return [item["title"] for item in items]


def test_client_login_takes_app_passwords_only(site: Site) -> None:
    token = log_in(site)
    assert token.startswith("reader/")
    for name, password in (("reader", LOGIN_PASSWORD), ("reader", "wrong"), ("nobody", site.password)):
        response = site.client.post(
            "/api/greader/accounts/ClientLogin", data={"Email": name, "Passwd": password}
        )
        assert response.status_code == 401 and response.text.startswith("Error=BadAuthentication")
    info = site.client.get(f"{API}/user-info", headers=auth(token))
    assert info.json()["userName"] == "reader"
    assert info.headers["cache-control"] == "private, no-store"
    assert "set-cookie" not in info.headers


def test_requests_without_a_live_token_are_refused(site: Site) -> None:
    token = log_in(site)
    assert site.client.get(f"{API}/subscription/list").status_code == 401
    assert site.client.get(f"{API}/subscription/list", headers=auth("reader/forged")).status_code == 401
    assert site.client.get(f"{API}/subscription/list", headers={"Authorization": token}).status_code == 401
    with transaction(site.store.sessions) as session:
        user = session.scalars(select(User).where(User.username == "reader")).one()
        set_banned(session, user.id, True)
    assert site.client.get(f"{API}/subscription/list", headers=auth(token)).status_code == 401
    failed = site.client.post(
        "/api/greader/accounts/ClientLogin", data={"Email": "reader", "Passwd": site.password}
    )
    assert failed.status_code == 401


def test_a_revoked_app_password_kills_its_token(site: Site) -> None:
    token = log_in(site)
    assert site.client.get(f"{API}/tag/list", headers=auth(token)).status_code == 200
    with transaction(site.store.sessions) as session:
        user = session.scalars(select(User).where(User.username == "reader")).one()
        revoke_app_password(session, user.id, list_app_passwords(session, user.id)[0].id)
    assert site.client.get(f"{API}/tag/list", headers=auth(token)).status_code == 401


def test_failed_log_ins_are_throttled(site: Site) -> None:
    for _ in range(5):
        site.client.post("/api/greader/accounts/ClientLogin", data={"Email": "reader", "Passwd": "wrong"})
    right = site.client.post(
        "/api/greader/accounts/ClientLogin", data={"Email": "reader", "Passwd": site.password}
    )
    assert right.status_code == 429


def test_subscriptions_folders_and_unread_counts(site: Site) -> None:
    headers = auth(log_in(site))
    subscriptions = site.client.get(
        f"{API}/subscription/list", params={"output": "json"}, headers=headers
    ).json()
    by_title = {s["title"]: s for s in subscriptions["subscriptions"]}
    assert by_title["The Gazette"]["id"] == f"feed/{site.gazette}"
    assert by_title["The Gazette"]["categories"] == [{"id": "user/-/label/World news", "label": "World news"}]
    assert by_title["The Courier"]["categories"] == []
    tags = site.client.get(f"{API}/tag/list", headers=headers).json()["tags"]
    assert {"id": "user/-/label/World news", "type": "folder"} in tags and {"id": STARRED} in tags
    counts = {
        c["id"]: c["count"]
        for c in site.client.get(f"{API}/unread-count", headers=headers).json()["unreadcounts"]
    }
    assert counts == {
        f"feed/{site.gazette}": 5,
        f"feed/{site.courier}": 2,
        "user/-/label/World news": 5,
        READING_LIST: 7,
    }


def test_stream_contents_pages_with_continuation_and_filters(site: Site) -> None:
    headers = auth(log_in(site))
    seen: list[str] = []
    params: dict[str, str] = {"n": "3"}
    for _ in range(5):
        body = site.client.get(f"{API}/stream/contents/{READING_LIST}", params=params, headers=headers).json()
        seen += titles(body)
        if "continuation" not in body:
            break
        params = {"n": "3", "c": body["continuation"]}
    assert seen == [f"Report {n}" for n in range(7)]  # newest first, each once
    oldest = site.client.get(
        f"{API}/stream/contents/feed/{site.gazette}", params={"r": "o", "n": "2"}, headers=headers
    )
    assert titles(oldest.json()) == ["Report 4", "Report 3"]
    since = int((NOW - timedelta(hours=2, minutes=30)).timestamp())
    recent = site.client.get(
        f"{API}/stream/contents/{READING_LIST}", params={"ot": str(since)}, headers=headers
    )
    assert titles(recent.json()) == ["Report 0", "Report 1", "Report 2"]
    item = recent.json()["items"][0]
    assert item["origin"]["streamId"] == f"feed/{site.gazette}"
    assert (
        "Text &lt;b&gt;0&lt;/b&gt;" in item["summary"]["content"]
        and "<li>a point</li>" in item["summary"]["content"]
    )
    assert item["author"] == "Hannah Okoro"
    assert (
        site.client.get(
            f"{API}/stream/contents/{READING_LIST}", params={"c": "nonsense"}, headers=headers
        ).status_code
        == 400
    )


def edit_tag(site: Site, headers: dict[str, str], ids: list[str], **tags: str) -> str:
    edit = site.client.get(f"{API}/token", headers=headers).text
    data: list[tuple[str, str]] = [("i", i) for i in ids] + [(k, v) for k, v in tags.items()] + [("T", edit)]
    response = post_form(site, f"{API}/edit-tag", data, headers)
    assert response.status_code == 200, response.text
    return response.text


def test_item_ids_long_and_short_forms_and_edit_tag_round_trip(site: Site) -> None:
    headers = auth(log_in(site))
    refs = site.client.get(f"{API}/stream/items/ids", params={"s": READING_LIST, "n": "10"}, headers=headers)
    short_ids = [ref["id"] for ref in refs.json()["itemRefs"]]
    assert len(short_ids) == 7 and all(i.isdigit() for i in short_ids)
    long_ids = [f"tag:google.com,2005:reader/item/{int(i):016x}" for i in short_ids]
    contents = post_form(
        site, f"{API}/stream/items/contents", [("i", long_ids[0]), ("i", short_ids[1])], headers
    )
    items = contents.json()["items"]
    assert [i["id"] for i in items] == long_ids[:2] and titles(contents.json()) == ["Report 0", "Report 1"]
    assert edit_tag(site, headers, [long_ids[0], short_ids[1]], a=READ) == "OK"
    assert edit_tag(site, headers, [short_ids[2]], a=STARRED) == "OK"
    unread = site.client.get(
        f"{API}/stream/items/ids", params={"s": READING_LIST, "xt": READ}, headers=headers
    )
    assert [r["id"] for r in unread.json()["itemRefs"]] == short_ids[2:]
    starred = site.client.get(f"{API}/stream/contents/{STARRED}", headers=headers).json()
    assert titles(starred) == ["Report 2"] and STARRED in starred["items"][0]["categories"]
    only_read = site.client.get(
        f"{API}/stream/items/ids", params={"s": READING_LIST, "it": READ}, headers=headers
    )
    assert [r["id"] for r in only_read.json()["itemRefs"]] == short_ids[:2]
    edit_tag(site, headers, [long_ids[0]], r=READ)
    edit_tag(site, headers, [short_ids[2]], r=STARRED)
    unread = site.client.get(
        f"{API}/stream/items/ids", params={"s": READING_LIST, "xt": READ}, headers=headers
    )
    assert [r["id"] for r in unread.json()["itemRefs"]] == [short_ids[0], *short_ids[2:]]
    assert titles(site.client.get(f"{API}/stream/contents/{STARRED}", headers=headers).json()) == []
    bad = site.client.post(
        f"{API}/edit-tag", data={"i": short_ids[0], "a": READ, "T": "forged"}, headers=headers
    )
    assert bad.status_code == 401 and bad.headers["x-reader-google-bad-token"] == "true"


def test_mark_all_as_read_up_to_a_time(site: Site) -> None:
    headers = auth(log_in(site))
    cutoff = (NOW - timedelta(hours=3, minutes=30)) - datetime(1970, 1, 1, tzinfo=UTC)
    response = site.client.post(
        f"{API}/mark-all-as-read",
        data={"s": f"feed/{site.gazette}", "ts": str(cutoff // timedelta(microseconds=1))},
        headers=headers,
    )
    assert response.text == "OK"
    unread = site.client.get(f"{API}/stream/contents/{READING_LIST}", params={"xt": READ}, headers=headers)
    assert titles(unread.json()) == ["Report 0", "Report 1", "Report 2", "Report 3", "Report 5", "Report 6"]
    site.client.post(f"{API}/mark-all-as-read", data={"s": READING_LIST}, headers=headers)
    assert site.client.get(f"{API}/unread-count", headers=headers).json()["unreadcounts"] == []
    with transaction(site.store.sessions) as session:  # an article that arrives later is unread
        save_article(
            session,
            ArticleRecord(
                source_id=site.courier,
                url="https://c.example/new",
                canonical_url="https://c.example/new",
                title="Later report",
                blocks=[{"kind": "p", "text": "News."}],
                published_at=datetime.now(UTC) + timedelta(minutes=1),
            ),
        )
    unread = site.client.get(f"{API}/stream/contents/{READING_LIST}", params={"xt": READ}, headers=headers)
    assert titles(unread.json()) == ["Later report"]


def test_followed_stories_are_virtual_feeds(site: Site) -> None:
    headers = auth(log_in(site))
    with transaction(site.store.sessions) as session:
        user = session.scalars(select(User).where(User.username == "reader")).one()
        toggle_follow(session, user.id, "story", "s" * 32)
        toggle_follow(session, user.id, "category", "world")
    feeds = site.client.get(f"{API}/subscription/list", headers=headers).json()["subscriptions"]
    story = next(f for f in feeds if f["id"] == "feed/newsdesk:story:" + "s" * 32)
    assert story["title"] == "Harbour bridge" and story["categories"][0]["label"] == "newsdesk"
    assert story["htmlUrl"].endswith("/en/story/" + "s" * 32)
    body = site.client.get(f"{API}/stream/contents/feed/newsdesk:story:{'s' * 32}", headers=headers).json()
    assert titles(body) == ["Report 1", "Report 5"]
    counts = {
        c["id"]: c["count"]
        for c in site.client.get(f"{API}/unread-count", headers=headers).json()["unreadcounts"]
    }
    assert counts["feed/newsdesk:story:" + "s" * 32] == 2 and "feed/newsdesk:category:world" not in counts
    folder = site.client.get(f"{API}/stream/contents/user/-/label/newsdesk", headers=headers).json()
    assert titles(folder) == ["Report 1", "Report 5"]
    gone = site.client.post(
        f"{API}/subscription/edit",
        data={"ac": "unsubscribe", "s": "feed/newsdesk:story:" + "s" * 32},
        headers=headers,
    )
    assert gone.text == "OK"
    feeds = site.client.get(f"{API}/subscription/list", headers=headers).json()["subscriptions"]
    assert [f["id"] for f in feeds if f["id"].startswith("feed/newsdesk:")] == [
        "feed/newsdesk:category:world"
    ]


def test_only_administrators_change_sources(site: Site) -> None:
    reader, admin = auth(log_in(site)), auth(log_in(site, "editor", site.admin_password))
    data = {
        "ac": "subscribe",
        "s": "feed/https://post.example/rss",
        "t": "The Post",
        "a": "user/-/label/Local",
    }
    assert site.client.post(f"{API}/subscription/edit", data=data, headers=reader).status_code == 403
    assert (
        site.client.post(
            f"{API}/subscription/quickadd", data={"quickadd": "https://x.example"}, headers=reader
        ).status_code
        == 403
    )
    assert site.client.post(f"{API}/subscription/edit", data=data, headers=admin).text == "OK"
    feeds = site.client.get(f"{API}/subscription/list", headers=reader).json()["subscriptions"]
    post = next(f for f in feeds if f["title"] == "The Post")
    assert post["categories"] == [{"id": "user/-/label/Local", "label": "Local"}]
    rename = {"ac": "edit", "s": post["id"], "t": "The Morning Post", "r": "user/-/label/Local"}
    assert site.client.post(f"{API}/subscription/edit", data=rename, headers=admin).text == "OK"
    site.client.post(f"{API}/subscription/edit", data={"ac": "unsubscribe", "s": post["id"]}, headers=admin)
    with site.store.session() as session:
        source = session.scalars(select(Source).where(Source.feed_url == "https://post.example/rss")).one()
        assert (source.name, source.folder, source.enabled) == ("The Morning Post", "", False)
    feeds = site.client.get(f"{API}/subscription/list", headers=reader).json()["subscriptions"]
    assert "The Morning Post" not in {f["title"] for f in feeds}


def test_quickadd_finds_the_feed_of_a_page(site: Site, publishers: PublisherNetwork) -> None:
    admin = auth(log_in(site, "editor", site.admin_password))
    home = publishers.sites[0].base_url + "/"
    added = site.client.post(f"{API}/subscription/quickadd", data={"quickadd": home}, headers=admin).json()
    assert added["numResults"] >= 1 and added["streamId"].startswith("feed/")
    feeds = site.client.get(f"{API}/subscription/list", headers=admin).json()["subscriptions"]
    assert added["streamId"] in {f["id"] for f in feeds}


def test_atom_streams_carry_read_states_for_feedhq_clients(site: Site) -> None:
    headers = auth(log_in(site))
    with transaction(site.store.sessions) as session:
        first = session.scalars(select(Article).where(Article.title == "Report 0")).one()
        item_no = first.item_no
    edit_tag(site, headers, [str(item_no)], a=READ)
    response = site.client.get(
        f"/api/greader//reader/atom/feed%2F{site.gazette}", params={"n": "2"}, headers=headers
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = fromstring(response.content)
    entries = feed.findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == ["Report 0", "Report 1"]
    labels = [{c.get("label") for c in e.findall("a:category", ns)} for e in entries]
    assert labels == [{"reading-list", "read"}, {"reading-list", "fresh"}]
    assert entries[0].findtext("a:id", namespaces=ns) == f"tag:google.com,2005:reader/item/{item_no:016x}"


def test_item_numbers_follow_arrival(site: Site) -> None:
    with site.store.session() as session:
        numbers = list(session.scalars(select(Article.item_no).order_by(Article.first_seen_at, Article.id)))
    assert all(isinstance(n, int) for n in numbers) and len(set(numbers)) == 7
    with transaction(site.store.sessions) as session:
        session.execute(update(Article).values(title=Article.title + "!"))
    with site.store.session() as session:
        assert sorted(numbers) == sorted(session.scalars(select(Article.item_no)))
