"""The archive page in headless Chromium: it loads, the player knows the length, chapters seek."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefing.publish import archive
from briefing.serve import make_server
from tests.episodes import fake_episode
from tests.probe import ffprobe

pytestmark = pytest.mark.network

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
    server = make_server(out, "127.0.0.1", 0)
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
