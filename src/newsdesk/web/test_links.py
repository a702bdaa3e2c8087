"""Every page type in every UI language prints only working links: each internal href and src answers 200."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from fastapi.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.web.app import create_app
from newsdesk.web.i18n import LANGUAGES

SITE = "http://testserver"


@pytest.fixture(scope="module")
def site(demo_site_store: Store) -> TestClient:
    return TestClient(create_app(Settings(), demo_site_store))


def publisher_hosts(client: TestClient) -> set[str]:
    """The demo publishers' host:port: links to them are the articles' originals and images, not ours."""
    sources = client.get("/api/v1/sources").json()["items"]
    return {urlsplit(source["site_url"]).netloc for source in sources}


def page_paths(client: TestClient, lang: str) -> list[str]:
    """One page of every kind the site serves, in ``lang``."""
    leading = client.get("/api/v1/stories").json()["items"][0]
    detail = client.get(f"/api/v1/stories/{leading['id']}").json()
    article = detail["timeline"][0]["url"]
    return [
        "/",
        f"/{lang}/",
        article.replace("/en/", f"/{lang}/", 1),
        detail["story"]["url"].replace("/en/", f"/{lang}/", 1),
        detail["tags"][0]["url"].replace("/en/", f"/{lang}/", 1),
        f"/{lang}/category/world",
        f"/{lang}/source/northgate-ledger",
        f"/{lang}/edition/de",
        f"/{lang}/briefing",
        f"/{lang}/search?q=Valmora",
        f"/{lang}/ask?q=How+many+people+were+evacuated+in+Valmora",
        f"/{lang}/login",
        "/offline",
        "/api/v1/docs",
    ]


def printed_links(html: str) -> list[str]:
    """Every href and src the page prints, as written."""
    document = lxml.html.fromstring(html)
    return [str(value) for value in document.xpath("//@href | //@src")]


def check_page(client: TestClient, path: str, external: set[str]) -> tuple[set[str], list[str]]:
    """(the internal URLs a page links to, what is wrong with its links)."""
    page = client.get(path)
    if page.status_code != 200:
        return set(), [f"{path} answered {page.status_code}"]
    document = lxml.html.fromstring(page.text)
    ids = {str(i) for i in document.xpath("//@id")}
    internal: set[str] = set()
    problems: list[str] = []
    for link in printed_links(page.text):
        if link.startswith("#"):
            if link[1:] not in ids:
                problems.append(f"{path} links to #{link[1:]}, which it does not have")
            continue
        parts = urlsplit(urljoin(SITE + path, link))
        if parts.scheme in ("http", "https") and parts.netloc in external:
            continue  # a publisher's article or image
        if f"{parts.scheme}://{parts.netloc}" != SITE or link.startswith("//"):
            problems.append(f"{path} prints {link!r}, which leaves the site")
            continue
        internal.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return internal, problems


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_link_a_page_prints_answers(site: TestClient, lang: str) -> None:
    external = publisher_hosts(site)
    targets: set[str] = set()
    problems: list[str] = []
    for path in page_paths(site, lang):
        internal, wrong = check_page(site, path, external)
        targets |= internal
        problems += wrong
    answers = {target: site.get(target).status_code for target in sorted(targets)}
    problems += [f"{target} answered {status}" for target, status in answers.items() if status != 200]
    assert problems == [], "\n".join(problems)
    assert len(targets) > 150  # articles, stories, categories, sources, feeds, assets: a real crawl
