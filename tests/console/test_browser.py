"""The console in a real browser: Debian's headless chromium driven by Playwright (no browser
download), against a real ``scamtrail serve`` (see :mod:`tests.console.served_console`).

``SCAMTRAIL_CONSOLE_SHOTS=DIR`` saves a PNG of each page into DIR (``make console-screenshots``
refreshes the ones in docs/console/). Without /usr/bin/chromium the tests are skipped, except
under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from scamtrail.records import Alert, Identifier
from tests.console.conftest import HOSTILE, A
from tests.console.served_console import Server, serving

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium (CI installs it)")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("console")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server: Server):
    """A fresh browser context (no cookies) whose dialogs are recorded, not answered."""
    context = browser.new_context(base_url=server.base, viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    yield tab
    context.close()


def shot(page, name: str, full: bool = True) -> None:
    """Save a screenshot of the page when SCAMTRAIL_CONSOLE_SHOTS names a folder."""
    folder = os.environ.get("SCAMTRAIL_CONSOLE_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full)


def sign_in(page, token: str, then: str = "/console/") -> None:
    page.goto(then)
    assert "/console/signin" in page.url
    page.get_by_label("API key").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_sign_in_and_sign_out(page, server: Server):
    page.goto("/")
    assert page.url.endswith("/console/signin?next=/console/")
    page.get_by_label("API key").fill("st_dead_beef")
    page.get_by_role("button", name="Sign in").click()
    assert page.locator(".error").inner_text() == "not a valid API key"
    shot(page, "signin")
    page.get_by_label("API key").fill(server.tokens["investigator"])
    page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/console/search")
    session = next(c for c in page.context.cookies() if c["name"] == "st_console")
    assert session["httpOnly"] and session["sameSite"] == "Strict" and session["expires"] > 0
    assert page.evaluate("document.cookie") == ""  # no script can read the session
    page.get_by_role("button", name="Sign out").click()
    assert "/console/signin" in page.url
    page.goto("/console/alerts")
    assert "/console/signin" in page.url


def test_search_and_keyboard(page, server: Server):
    sign_in(page, server.tokens["investigator"], "/console/search")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.get_by_label("Words").fill("kyc")
    page.get_by_label("Category").select_option("bank_fraud")
    page.get_by_role("button", name="Search").click()
    texts = page.locator("#results .text").all_inner_texts()
    assert len(texts) == 7 and all("kyc" in t.lower() for t in texts)
    shot(page, "search")
    page.get_by_label("Words").fill("ओटीपी")
    page.get_by_role("button", name="Search").click()
    assert page.locator("#results .text").all_inner_texts() == [
        "मुझे 9876543210 से कॉल आया, ओटीपी मांगा"
    ]


def test_dossier_and_its_ring_graph(page, server: Server):
    sign_in(page, server.tokens["investigator"], "/console/identifier")
    page.get_by_label("Phone number, UPI ID, URL, email, vehicle or account").fill("098765 43210")
    page.get_by_role("button", name="Open dossier").click()
    assert page.locator("#norm-value").inner_text() == A
    assert page.locator("#complaint-count").inner_text() == "10"
    graph = page.locator("#ring-graph")
    graph.wait_for()
    assert graph.get_attribute("data-drawn") == "3"
    assert graph.locator("circle").count() == 3 and graph.locator("line").count() == 3
    box = graph.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 150
    assert page.locator("#timeline rect.bar").count() >= 10
    shot(page, "identifier")
    graph.locator("a[aria-label='upi kyc@ybl']").click()  # a node opens its dossier
    page.wait_for_load_state()
    assert page.locator("#norm-value").inner_text() == "kyc@ybl"


def test_mark_false_positive_and_clear(page, server: Server):
    sign_in(page, server.tokens["investigator"], f"/console/identifier?value={A[1:]}")
    before = float(page.locator("#risk-score").inner_text())
    page.get_by_label("Why it is not a fraudster's").fill("the bank's own helpline")
    page.get_by_role("button", name="Mark false positive").click()
    assert "false positive" in page.locator("#verdict").inner_text()
    assert "the bank's own helpline" in page.locator("#verdict").inner_text()
    assert float(page.locator("#risk-score").inner_text()) < before
    store = server.store()
    assert store.marks([("phone", A)])[("phone", A)].reason == "the bank's own helpline"
    page.get_by_role("button", name="Clear the verdict").click()
    assert "No verdict." in page.locator("#verdict").inner_text()
    assert store.marks([("phone", A)]) == {}
    store.close()


def test_the_alerts_feed_updates_without_reload(page, server: Server):
    sign_in(page, server.tokens["investigator"], "/console/alerts")
    feed = page.locator("#alerts-feed li")
    before = feed.count()
    page.evaluate("window.__sameDocument = true")
    store = server.store()
    store.record_alerts(
        [
            Alert(
                id="velocity:upi:kyc@ybl:1",
                rule="velocity",
                level=3,
                identifier=Identifier(kind="upi", value="kyc@ybl"),
                complaint_ids=["x:2", "x:3"],
                categories=["bank_fraud"],
                complaint_count=3,
                message="kyc@ybl named in 3 complaints within 24 h",
            )
        ]
    )
    store.close()
    page.locator("#alerts-feed li[data-id='velocity:upi:kyc@ybl:1']").wait_for(timeout=15_000)
    assert feed.count() == before + 1
    assert feed.first.get_attribute("data-id") == "velocity:upi:kyc@ybl:1"  # newest first
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    shot(page, "alerts")


def test_a_partner_key_cannot_see_complaint_texts(page, server: Server):
    sign_in(page, server.tokens["partner"])
    assert page.url.endswith("/console/registry")
    shot(page, "registry")
    page.goto(f"/console/identifier?value={A[1:]}")
    body = page.locator("main").inner_text()
    assert page.locator("#complaint-count").inner_text() == "10"
    for text in ("SBI caller asked OTP", "onerror", "ओटीपी", "citizen1", "x:1"):
        assert text not in body
    assert page.locator(".complaint").count() == 0
    assert page.get_by_role("button", name="Mark false positive").count() == 0
    page.goto("/console/search?q=otp")
    assert "may not use this page" in page.locator("main").inner_text()
    assert "Search" not in page.locator("nav").inner_text()


def test_hostile_complaint_text_shows_as_text_and_runs_nothing(page, server: Server):
    sign_in(page, server.tokens["investigator"], "/console/search?q=onerror")
    for url in ("/console/search?q=onerror", f"/console/identifier?value={A[1:]}"):
        page.goto(url)
        page.wait_for_timeout(500)
        assert HOSTILE in page.locator("main").inner_text(), url
        assert page.locator("main img").count() == 0
        assert page.locator("main script").count() == 0
    assert page.dialogs == []


def test_usable_at_phone_width(browser, server: Server):
    context = browser.new_context(base_url=server.base, viewport={"width": 360, "height": 740})
    tab = context.new_page()
    sign_in(tab, server.tokens["admin"], "/console/search?q=kyc")
    for url in (
        "/console/search?q=kyc",
        f"/console/identifier?value={A[1:]}",
        "/console/alerts",
        "/console/registry",
    ):
        tab.goto(url)
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (url, overflow)
        if "identifier" in url:
            shot(tab, "identifier-phone")
    context.close()


def test_devanagari_renders_with_a_devanagari_font(page, server: Server):
    """The glyphs of a Hindi complaint come from a font that has them (no empty boxes)."""
    sign_in(
        page,
        server.tokens["investigator"],
        "/console/search?q=%E0%A4%93%E0%A4%9F%E0%A5%80%E0%A4%AA%E0%A5%80",
    )
    assert "ओटीपी" in page.locator("#results .text").first.inner_text()
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#results .text"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    assert any("Devanagari" in f["familyName"] and f["glyphCount"] > 0 for f in fonts), fonts


def test_the_ring_graph_is_reachable_by_keyboard(page, server: Server):
    sign_in(page, server.tokens["investigator"], f"/console/identifier?value={A[1:]}")
    page.locator("#ring-graph").wait_for()
    for _ in range(60):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.getAttribute('aria-label')")
        if label == "upi kyc@ybl":
            break
    else:
        raise AssertionError("no graph node took the focus")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("#norm-value").inner_text() == "kyc@ybl"
