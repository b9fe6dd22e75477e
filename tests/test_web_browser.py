"""The team page in a real browser: the OS's headless Chromium driven by Playwright (never
a browser of Playwright's own). No console errors (a script the page's CSP refused would
be one), a change written by the CLI shown within 10 s without a reload, and screenshots
kept to be looked at."""

import os
import time
from pathlib import Path

import pytest
from served import Served
from support import Tracker, chromium, installed, png_pixels

installed("uvicorn", "web")
sync_api = installed("playwright.sync_api", "test")

# Where the screenshots are kept (set it to keep them after the run), else the test's folder.
SHOTS = os.environ.get("TRACKER_TEST_SCREENSHOTS")


@pytest.fixture
def desk(sqlite_url):
    tracker = Tracker(sqlite_url)
    tracker.ok("seed")
    tracker.ok("add", "Xiaomi 13 Ultra launches in Q2 2023", "--key", "13-ultra",
               "--subject", "Xiaomi 13 Ultra", "--source", "Digital Chat Station",
               "--said-on", "2022-12-01", "--expected", "Q2 2023")  # fmt: skip
    tracker.ok("confirm", "13-ultra", "--on", "2023-04-18", "--note", "Launched in China",
               "--url", "https://example.com/launch")  # fmt: skip
    tracker.ok("add", "Nintendo Switch 2 is backwards compatible", "--subject", "Switch 2",
               "--source", "Nintendo", "--said-on", "2024-11-06", "--expected", "2099",
               "--hedge", "official", "--article-url", "javascript:alert(1)")  # fmt: skip
    return tracker


def test_the_page_in_a_browser_updates_itself(desk, tmp_path):
    browser = chromium()
    shots = Path(SHOTS) if SHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    server = Served(desk.url)
    complaints: list[str] = []
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=browser, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("console", lambda m: m.type in ("error", "warning") and complaints.append(
                f"{m.type}: {m.text}"))  # fmt: skip
            page.on("pageerror", lambda error: complaints.append(f"page error: {error}"))
            page.goto(server.url)
            assert page.title().startswith("Claim report as of ")
            assert page.locator("h1").inner_text().startswith("Claim report as of ")
            page.evaluate("window.loadedOnce = true")  # gone if the page reloads
            page.screenshot(path=str(shots / "team-page.png"), full_page=True)

            written = time.monotonic()
            desk.ok("add", "Apple ships a foldable iPhone in 2026", "--source", "Ming-Chi Kuo",
                    "--subject", "Foldable iPhone", "--said-on", "2024-03-01",
                    "--expected", "H2 2026", "--hedge", "rumoured")  # fmt: skip
            # (A locator, not wait_for_function: the page's CSP forbids the eval that needs.)
            cell = page.locator("td").filter(has_text="Apple ships a foldable iPhone")
            cell.first.wait_for(timeout=10_000)
            shown_after = time.monotonic() - written
            assert shown_after < 10
            assert page.evaluate("window.loadedOnce") is True  # the same page: no reload
            assert "Foldable iPhone" in page.locator("body").inner_text()
            page.screenshot(path=str(shots / "team-page-updated.png"), full_page=True)

            # A claim's number leads to its page; the javascript: article is no link.
            assert page.locator('a[href^="javascript"]').count() == 0
            page.get_by_role("link", name="6", exact=True).first.click()
            page.wait_for_url("**/claims/*")
            assert "Switch 2 is backwards compatible" in page.locator("p.text").inner_text()
            page.goto(server.url + "claims/13-ultra")
            assert "Launched in China" in page.locator("body").inner_text()
            page.screenshot(path=str(shots / "claim-page.png"), full_page=True)
            page.goto(server.url + "sources")
            assert "Digital Chat Station" in page.locator("table").inner_text()
            browser.close()
    finally:
        server.stop()
    assert complaints == [], complaints
    print(f"shown {shown_after:.1f} s after the write; screenshots in {shots}")
    # The first screen shows the report's timelines with their marks (not an empty page).
    _, _, rows = png_pixels(shots / "team-page.png")
    plot = [(x, y) for y, row in enumerate(rows) for x, pixel in enumerate(row)
            if pixel == (250, 250, 250)]  # fmt: skip
    assert plot, "no timeline on the page"
    left, right = min(x for x, _ in plot), max(x for x, _ in plot)
    assert right - left > 500


def test_an_open_error_page_becomes_the_claim_once_it_is_added(desk, tmp_path):
    """A 404 has no ETag; its script asks again plainly, and puts the claim's page in
    place once the claim exists: no reload, no console error but the first 404's."""
    executable = chromium()
    server = Served(desk.url)
    complaints: list[str] = []
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page()
            page.on("console", lambda m: m.type in ("error", "warning") and complaints.append(
                f"{m.type}: {m.text}"))  # fmt: skip
            page.on("pageerror", lambda error: complaints.append(f"page error: {error}"))
            assert page.goto(server.url + "claims/later").status == 404  # type: ignore[union-attr]
            assert page.locator("h1").inner_text() == "Not found"
            page.evaluate("window.loadedOnce = true")
            desk.ok("add", "Added while the page was open", "--key", "later",
                    "--said-on", "2024-01-01")  # fmt: skip
            page.locator("p.text").filter(has_text="Added while the page was open").wait_for(
                timeout=10_000
            )
            assert page.evaluate("window.loadedOnce") is True
            assert page.title().endswith(": Added while the page was open")
            page.screenshot(path=str(tmp_path / "claim-appeared.png"))
            browser.close()
    finally:
        server.stop()
    assert complaints == [
        "error: Failed to load resource: the server responded with a status of 404 (Not Found)"
    ], complaints
