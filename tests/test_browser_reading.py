"""Issue 18 items 4–7 in a real browser on the demo: images from the site itself, the phone layout, offline
reading and the following page (screenshots in test-artifacts/, axe on every page, desktop and phone)."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from test_browser import axe_violations, new_page, shoot, top_story

pytestmark = pytest.mark.slow
PHONE_HEADER_MAX = 100  # px at 390×844; 180 px before (256 px logged in, in German)
PHONE_HOME_MAX = (
    12_000  # px at 390×844: 16,424 before; 8,587 after the layout, 9,374-10,568 with coverage and
)
# wire-copy lines (the latest list's length depends on how far processing has got)


def wait_for_images(base: str, minimum: int = 40) -> None:
    """Until the worker's job has copied the demo's images (it runs after each poll)."""
    deadline = time.monotonic() + 240
    while True:
        items = httpx.get(f"{base}/api/v1/articles", params={"limit": 100}).json()["items"]
        if sum(1 for i in items if i["image"]) >= minimum:
            return
        assert time.monotonic() < deadline, "the demo's images were never copied"
        time.sleep(1)


def requested_hosts(page: Any) -> set[str]:
    """Every host the page asks for anything from, from now on."""
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    return hosts


def scroll_through(page: Any) -> None:
    """Scroll to the bottom a screen at a time, so lazy images load."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height, 700):
        page.evaluate(f"window.scrollTo(0, {y})")
        time.sleep(0.05)
    page.wait_for_load_state("networkidle")


def register(page: Any, lang: str = "en") -> str:
    name = f"reader-{uuid.uuid4().hex[:8]}"
    page.goto(f"/{lang}/register")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", "a long and fresh password 42")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    return name


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_images_come_from_the_site_itself_with_alt_text_and_srcset(
    browser: Any, demo: str, size: str
) -> None:
    top_story(demo)
    wait_for_images(demo)
    page = new_page(browser, demo, size)
    hosts = requested_hosts(page)
    page.goto("/en/")
    scroll_through(page)
    top = page.locator(".top-story")
    assert top.count() >= 4
    assert page.locator(".top-story img").count() == page.locator(".top-story.with-image").count() >= 4
    for image in page.locator("main img").all():
        assert image.get_attribute("loading") == "lazy" and image.get_attribute("srcset")
        assert image.get_attribute("src").startswith("/images/") and image.get_attribute("alt")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), image.get_attribute("src")
    shoot(page, f"home-images-{size}")
    page.goto(top_story(demo)["timeline"][0]["url"])
    scroll_through(page)
    assert page.locator("figure.photo img").count() >= 1
    assert hosts == {urlsplit(demo).netloc}, hosts  # the reader's browser never contacted a publisher
    page.context.close()


def phone_layout(page: Any) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """() => ({
            header: document.querySelector('header').getBoundingClientRect().height,
            height: document.documentElement.scrollHeight,
            ask: document.querySelector('.ask-box').getBoundingClientRect().top + scrollY,
            hint: getComputedStyle(document.querySelector('nav.sections'), '::after').content,
            scrolls: (n => n.scrollWidth > n.clientWidth)(document.querySelector('nav.sections')),
            wide: document.documentElement.scrollWidth > innerWidth,
        })"""
        )
    )


def test_the_phone_layout_keeps_the_header_small_and_the_home_page_short(browser: Any, demo: str) -> None:
    top_story(demo)
    wait_for_images(demo)
    page = new_page(browser, demo, "phone")
    measured = {}
    for lang in ("en", "de", "es"):
        page.goto(f"/{lang}/")
        measured[lang] = layout = phone_layout(page)
        assert layout["header"] <= PHONE_HEADER_MAX, (lang, layout)
        assert layout["ask"] < 300, (lang, layout)  # the Ask box near the top, not after 16,000 px
        assert layout["scrolls"] and "›" in layout["hint"], (lang, layout)  # the category bar says it scrolls
        assert layout["height"] <= PHONE_HOME_MAX and not layout["wide"], (lang, layout)
    register(page, "de")
    page.goto("/de/")
    measured["de-logged-in"] = layout = phone_layout(page)
    assert layout["header"] <= PHONE_HEADER_MAX, layout
    page.get_by_text(page.locator("summary").inner_text()).click()  # the account menu opens, no JavaScript
    assert page.get_by_role("button", name="Abmelden").is_visible()
    shoot(page, "home-phone-de-logged-in")
    print(json.dumps(measured))
    page.context.close()


def follow_top_story(page: Any, demo: str) -> dict[str, Any]:
    story = top_story(demo)
    page.goto(story["story"]["url"])
    page.get_by_role("button", name="Follow this story").click()
    page.wait_for_load_state()
    return story


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_following_page_lists_follows_with_unfollow_buttons_and_passes_axe(
    browser: Any, demo: str, size: str
) -> None:
    page = new_page(browser, demo, size, bypass_csp=True)
    register(page)
    story = follow_top_story(page, demo)
    page.goto("/en/source/northgate-ledger")
    page.get_by_role("button", name="Follow Northgate Ledger").click()
    page.goto("/en/following")
    items = page.locator("ul.follows li")
    assert items.count() == 2
    assert items.nth(0).get_by_role("link").inner_text() == story["story"]["title"]
    assert page.get_by_role("button", name="Unfollow Northgate Ledger").is_visible()
    shoot(page, f"following-{size}")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Unfollow Northgate Ledger").click()
    page.wait_for_url("**/en/following")
    assert page.locator("ul.follows li").count() == 1
    page.context.close()


def wait_for_worker(page: Any) -> None:
    deadline = time.monotonic() + 15  # polled from here: wait_for_function would need 'unsafe-eval'
    while not page.evaluate("!!(navigator.serviceWorker && navigator.serviceWorker.controller)"):
        assert time.monotonic() < deadline, "the service worker never took control"
        time.sleep(0.2)


def saved_articles(page: Any) -> int:
    return int(page.evaluate("caches.open('newsdesk-articles-v2').then(c => c.keys()).then(k => k.length)"))


def test_offline_reading_keeps_the_front_page_stories_and_the_newest_articles(
    browser: Any, demo: str
) -> None:
    story = top_story(demo)
    page = new_page(browser, demo, "phone", bypass_csp=True)
    page.goto("/de/")
    wait_for_worker(page)
    page.goto("/de/")  # now through the worker: kept, and its newest articles fetched ahead
    deadline = time.monotonic() + 30
    while saved_articles(page) < 15:
        assert time.monotonic() < deadline, "the newest articles were not fetched ahead"
        time.sleep(0.5)
    story_path = story["story"]["url"].replace("/en/", "/de/")
    page.goto(story_path)
    title = page.locator("h1").inner_text()
    time.sleep(0.5)  # the worker stores the copy after answering
    page.context.set_offline(True)
    page.goto("/de/")
    assert page.locator("#top-h").inner_text() == "Top-Themen"  # the front page, not "offline"
    page.goto(story_path)
    assert page.locator("h1").inner_text() == title
    page.goto("/de/category/sports")  # never opened: the offline page, in German, lists what is saved
    assert page.locator("h1").inner_text() == "Sie sind offline"
    saved = page.locator("ul.saved li a")
    deadline = time.monotonic() + 5
    while saved.count() < 15:
        assert time.monotonic() < deadline, "the offline page lists nothing"
        time.sleep(0.2)
    shoot(page, "offline-phone-de")
    assert axe_violations(page) == []
    never_opened = page.locator("ul[data-saved='newsdesk-articles-v2'] li a").first
    name = never_opened.inner_text()
    never_opened.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == name  # an article fetched ahead, read offline
    page.goto("/de/category/sports")
    page.get_by_role("link", name="Zurück zur Startseite").click()
    page.wait_for_load_state()
    assert page.locator("#top-h").count() == 1  # the offline page's own link works offline
    page.context.close()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_home_story_and_offline_pages_pass_axe(browser: Any, demo: str, size: str) -> None:
    story = top_story(demo)
    page = new_page(browser, demo, size, bypass_csp=True)
    for name, path in [("home", "/en/"), ("story", story["story"]["url"]), ("offline", "/es/offline")]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        scroll_through(page)
        shoot(page, f"reading-{name}-{size}")
        violations = axe_violations(page)
        assert violations == [], (path, json.dumps([(v["id"], v["help"]) for v in violations]))
    page.context.close()
