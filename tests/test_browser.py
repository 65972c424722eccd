"""The archive page in headless Chromium: it loads, the player knows the length, chapters seek."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefing.config import Config
from briefing.publish import archive
from briefing.serve import make_server
from tests.episodes import fake_episode
from tests.probe import ffprobe

pytestmark = pytest.mark.network

SHOW = Config(description="The town's news, read aloud every morning by a machine.")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
webdriver = pytest.importorskip("selenium.webdriver", reason="pip install selenium")
if not (CHROMIUM and CHROMEDRIVER):
    pytest.skip("chromium and chromedriver are needed: scripts/setup.sh test installs them",
                allow_module_level=True)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console errors, CSP
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--autoplay-policy=no-user-gesture-required", "--mute-audio",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    out = tmp_path / "output"
    fake_episode(out, "2026-01-01", "older", seconds=4)
    fake_episode(out, "2026-01-02", "solar", seconds=9)
    server = make_server(out, "127.0.0.1", 0, config=SHOW)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", out
    finally:
        server.shutdown()
        server.server_close()


def wait_for(driver: Any, script: str, timeout: float = 15) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {script}")


def highlighted(driver: Any, text: str) -> bool:
    """Wait until the transcript's highlighted sentence is `text`."""
    return bool(wait_for(driver, "const c = document.querySelector('.cue.current'); "
                                 f"return c && c.textContent === {text!r}"))


def test_archive_page_plays_seeks_and_follows_the_transcript(browser: Any, site):
    from selenium.webdriver.common.by import By

    url, out = site
    browser.get(url)
    assert browser.title == "Morning Briefing"
    assert not console_errors(browser)
    episodes = browser.find_elements(By.CSS_SELECTOR, "article.episode")
    assert len(episodes) == 2
    newest = episodes[0]
    expected = archive.scan(out)[0]
    assert newest.get_attribute("id") == "ep-2026-01-02-solar"

    audio = "document.querySelector('article.episode audio')"
    wait_for(browser, f"return {audio}.readyState >= 1")
    duration = browser.execute_script(f"return {audio}.duration")
    probed = float(ffprobe(expected.mp3)["format"]["duration"])
    assert abs(duration - probed) < 0.1, (duration, probed)
    assert abs(duration - expected.duration_ms / 1000) < 0.1

    # the VTT track is loaded and parsed by the browser
    cues = wait_for(browser, f"const t = {audio}.textTracks[0]; "
                             "return t && t.cues && t.cues.length")
    assert cues == 3

    link = newest.find_element(By.CSS_SELECTOR, "ol.chapters li:nth-child(2) a[data-seek]")
    assert link.text == "Solar & the town"
    link.click()
    start = expected.chapters[1].start_ms / 1000
    wait_for(browser, f"return Math.abs({audio}.currentTime - {start}) < 0.5")
    assert browser.current_url == url  # seeking, not navigating to the MP3
    assert highlighted(browser, "The town voted for solar panels.")

    # a later chapter: the highlight moves with the player
    newest.find_element(By.CSS_SELECTOR, "ol.chapters li:nth-child(3) a[data-seek]").click()
    third = expected.chapters[2].start_ms / 1000
    wait_for(browser, f"return {audio}.currentTime >= {third - 0.1}")
    assert highlighted(browser, "That was the briefing.")


@pytest.mark.e2e
def test_a_real_episode_has_its_manifest_duration_in_the_player(browser: Any, tmp_path: Path):
    import subprocess
    import sys

    from tests.conftest import SAMPLE

    out = tmp_path / "output"
    out.mkdir()  # -o makes at most the last folder (the day's)
    mp3 = out / "2026-03-20" / "real.mp3"
    proc = subprocess.run([sys.executable, "-m", "briefing", "make", str(SAMPLE), "-o", str(mp3),
                           "--minutes", "0.5", "--date", "2026-03-20"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    episode = archive.scan(out)[0]
    server = make_server(out, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        browser.get(f"http://127.0.0.1:{server.server_address[1]}/")
        audio = "document.querySelector('article.episode audio')"
        wait_for(browser, f"return {audio}.readyState >= 1")
        duration = browser.execute_script(f"return {audio}.duration")
        assert abs(duration - episode.duration_ms / 1000) < 0.1, (duration, episode.duration_ms)
        story = episode.chapters[1]
        from selenium.webdriver.common.by import By

        link = browser.find_element(By.CSS_SELECTOR, "ol.chapters li:nth-child(2) a[data-seek]")
        assert link.text == story.title
        link.click()
        wait_for(browser, f"return Math.abs({audio}.currentTime - {story.start_ms / 1000}) < 0.5")
        first_story_line = next(s for s in episode.segments if s[1] >= story.start_ms)
        assert highlighted(browser, first_story_line[0])
    finally:
        server.shutdown()
        server.server_close()


def console_errors(driver: Any) -> list[str]:
    """What the page logged as errors (CSP refusals among them) since the last call."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_the_page_works_on_a_phone_sized_screen_under_the_csp(
        browser: Any, site, tmp_path_factory: pytest.TempPathFactory):
    from selenium.webdriver.common.by import By

    url, _ = site
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 360, "height": 780, "deviceScaleFactor": 2, "mobile": True})
    try:
        browser.get(url)
        wait_for(browser, "return document.readyState === 'complete'")
        wait_for(browser, "return document.querySelector('header img').complete")
        assert browser.execute_script("return window.innerWidth") == 360
        # nothing wider than the screen: no sideways scrolling
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 360, width
        wide = browser.execute_script(
            "return Array.from(document.querySelectorAll('body *'))"
            ".filter(e => e.getBoundingClientRect().right > 360.5)"
            ".map(e => e.outerHTML.slice(0, 80))")
        assert wide == []
        shot = tmp_path_factory.getbasetemp() / "artifacts" / "index-360px.png"
        shot.parent.mkdir(exist_ok=True)
        assert browser.save_screenshot(str(shot))  # outside the repository, for a human look
        print(f"screenshot: {shot}")
        assert not console_errors(browser)  # the CSP refused nothing the page needs
        # the cover, the description, the subscribe box
        assert browser.execute_script(
            "return document.querySelector('header img').naturalWidth") == 1400
        assert "read aloud every morning" in browser.find_element(By.CSS_SELECTOR, "header p").text
        feed_url = browser.find_element(By.ID, "feed-url").get_attribute("value")
        assert feed_url == url + "feed.xml"
        app = browser.find_element(By.ID, "podcast-app").get_attribute("href")
        assert app == "podcast:" + (url + "feed.xml").removeprefix("http:")
        # the feed link resolves, to a feed whose links come back to this server
        fetched = browser.execute_async_script(
            "const done = arguments[0];"
            "fetch(document.querySelector('.links a[href=\"feed.xml\"]').href)"
            ".then(r => r.text().then(t => done([r.status, r.headers.get('content-type'), t])))"
            ".catch(e => done([0, String(e), '']));")
        assert fetched[0] == 200 and fetched[1].startswith("application/rss+xml")
        assert f'url="{url}2026-01-02/solar.mp3"' in fetched[2]
        # transcripts start folded under a "Transcript" disclosure
        boxes = browser.find_elements(By.CSS_SELECTOR, "details.transcript-box")
        assert len(boxes) == 2 and not any(b.get_attribute("open") for b in boxes)
        summary = boxes[0].find_element(By.TAG_NAME, "summary")
        assert summary.text == "Transcript"
        summary.click()
        assert boxes[0].get_attribute("open") is not None
        # the copy button says what happened
        button = browser.find_element(By.CSS_SELECTOR, "button[data-copy]")
        button.click()
        wait_for(browser, "return document.querySelector('button[data-copy]').textContent"
                          " !== 'Copy'")
        assert button.text in ("Copied", "Press Ctrl+C")
        assert not console_errors(browser)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_the_page_is_keyboard_usable_and_every_control_is_labelled(browser: Any, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, out = site
    browser.get(url)
    unlabelled = browser.execute_script("""
        const name = (e) => (e.getAttribute('aria-label') || e.textContent ||
            (e.id && document.querySelector(`label[for="${e.id}"]`)?.textContent) || '').trim();
        return Array.from(document.querySelectorAll('a, button, input, audio, summary'))
            .filter(e => !name(e)).map(e => e.outerHTML.slice(0, 80));""")
    assert unlabelled == []
    # Tab reaches the copy button, the feed links and each player's chapters
    reached = []
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(40):
        reached.append(browser.execute_script(
            "const e = document.activeElement; return e.tagName + (e.dataset.seek ? ':seek' :"
            " e.dataset.copy ? ':copy' : '')"))
        browser.switch_to.active_element.send_keys(Keys.TAB)
    assert "INPUT" in reached and "BUTTON:copy" in reached and "A:seek" in reached
    # Enter on a chapter seeks the player, as a click does
    audio = "document.querySelector('article.episode audio')"
    wait_for(browser, f"return {audio}.readyState >= 1")
    expected = archive.scan(out)[0]
    link = browser.find_element(By.CSS_SELECTOR, "ol.chapters li:nth-child(3) a[data-seek]")
    browser.execute_script("arguments[0].focus()", link)
    link.send_keys(Keys.ENTER)
    third = expected.chapters[2].start_ms / 1000
    wait_for(browser, f"return Math.abs({audio}.currentTime - {third}) < 0.5")
    assert browser.current_url == url
    assert not console_errors(browser)


def test_a_page_with_a_public_url_shows_the_qr_code(browser: Any, tmp_path: Path):
    from selenium.webdriver.common.by import By

    out = tmp_path / "output"
    fake_episode(out, "2026-01-02", "solar", seconds=3)
    server = make_server(out, "127.0.0.1", 0, config=Config(public_url="https://pod.example/"))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        browser.get(f"http://127.0.0.1:{server.server_address[1]}/")
        code = browser.find_element(By.CSS_SELECTOR, ".qr svg")
        assert code.get_attribute("aria-label") == "QR code of the feed address"
        assert 100 <= code.size["width"] <= 360
        assert browser.find_element(By.ID, "feed-url").get_attribute(
            "value") == "https://pod.example/feed.xml"
        assert not console_errors(browser)
    finally:
        server.shutdown()
        server.server_close()


def test_the_page_on_disk_works_from_any_static_server(browser: Any, tmp_path: Path):
    """daily's index.html, served by a plain web server: the feed's address is made from
    the page's own, and nothing fails to load."""
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from selenium.webdriver.common.by import By

    from briefing.publish.feed import write_feed
    from briefing.publish.page import write_index

    out = tmp_path / "output"
    fake_episode(out, "2026-01-02", "solar", seconds=3)
    episodes = archive.scan(out)
    write_feed(out, episodes, SHOW)
    write_index(out, episodes, SHOW)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        browser.get(url)
        wait_for(browser, "return document.getElementById('feed-url').value.startsWith('http')")
        assert browser.find_element(By.ID, "feed-url").get_attribute("value") == url + "feed.xml"
        assert browser.find_element(By.ID, "podcast-app").get_attribute(
            "href") == "podcast:" + (url + "feed.xml").removeprefix("http:")
        assert not console_errors(browser)
    finally:
        server.shutdown()
        server.server_close()
