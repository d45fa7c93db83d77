"""`crossing serve` in a real browser: headless Chromium from Debian, driven by Selenium through Debian's
chromium-driver. A student joins, plays a whole run to an ending, reloads mid-run, goes back, and the
page's rendered text shows `<script>` from the story and from the alias as text. Screenshots at phone
and projector sizes go to $CROSSING_SCREENSHOTS (default: the test's temporary folder) for a person to
look at.

Where Chromium or chromedriver is missing these tests are skipped, saying so; with
CROSSING_REQUIRE_BROWSER=1 (as in CI) they fail instead. The browser is kept to loopback: every host name
but 127.0.0.1 resolves to nothing, and Chromium's background services are off.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crossing.model import Story
from crossing.serve.room import Room
from serve_support import SCRIPT, hostile_story, running

pytestmark = pytest.mark.slow  # a real browser takes seconds to start; the full suite (and CI) runs these

CODE = "RIVER7"
PHONE = (390, 844)
PROJECTOR = (1920, 1080)
REQUIRED = os.environ.get("CROSSING_REQUIRE_BROWSER") == "1"


def _browser_parts() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    problem = None
    if chromium is None or driver is None:
        problem = ("Chromium and its driver are not installed (Debian: apt-get install chromium chromium-driver); "
                   "set CROSSING_REQUIRE_BROWSER=1 to make this a failure")
    else:
        try:
            import selenium  # noqa: F401
        except ImportError:
            problem = "selenium is not installed (pip install '.[test]')"
    if problem is not None:
        if REQUIRED:
            pytest.fail(f"CROSSING_REQUIRE_BROWSER=1 but {problem}")
        pytest.skip(problem)
    assert chromium is not None and driver is not None
    return chromium, driver


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium, driver_path = _browser_parts()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-default-apps", "--disable-domain-reliability", "--metrics-recording-only",
                     "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", "--hide-scrollbars",
                     f"--window-size={PHONE[0]},{PHONE[1]}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CROSSING_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def story(tmp_path: Path) -> Story:
    return hostile_story(tmp_path / "story")


def heading(driver: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.CSS_SELECTOR, "main h1").text)


def wait_heading(driver: Any, text: str) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # the vote page swaps its content in when it changes: an element can go stale between finding and reading
    WebDriverWait(driver, 10, poll_frequency=0.05, ignored_exceptions=[StaleElementReferenceException]).until(lambda d: heading(d) == text,
                                                          f"the page's heading to become {text!r}")


def click_choice(driver: Any, text: str) -> None:
    from selenium.webdriver.common.by import By

    for button in driver.find_elements(By.CSS_SELECTOR, "form.choices button"):
        if text in button.text:
            button.click()
            return
    raise AssertionError(f"no choice {text!r} on the page")


def no_alert(driver: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert  # noqa: B018 - asking is the check


def screenshot(driver: Any, folder: Path, name: str, size: tuple[int, int]) -> Path:
    driver.set_window_size(*size)
    path = folder / f"{name}-{size[0]}x{size[1]}.png"
    # the whole page, not just the window: the window is made as tall as the document
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(size[0], max(size[1], min(height + 140, 6000)))
    driver.save_screenshot(str(path))
    driver.set_window_size(*size)
    return path


def test_a_student_plays_a_whole_run_in_the_browser(browser: Any, story: Story, tmp_path: Path, shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    room = Room(story, tmp_path / "lesson", code=CODE)
    alias = "<script>alert('alias')</script>"
    with running(room) as base:
        browser.set_window_size(*PHONE)
        browser.get(base + "/")
        assert heading(browser) == "Join the lesson"
        assert browser.find_element(By.CSS_SELECTOR, "label[for=code]").text.startswith("Join code")
        screenshot(browser, shots, "join", PHONE)
        browser.find_element(By.ID, "code").send_keys("river7")
        browser.find_element(By.ID, "alias").send_keys(alias)
        browser.find_element(By.CSS_SELECTOR, "form.join button").click()
        wait_heading(browser, "Home <script>alert('title')</script>")
        no_alert(browser)
        text = browser.find_element(By.TAG_NAME, "body").text
        assert SCRIPT.replace("<script>", "").replace("</script>", "") in text
        assert "The night is quiet. <script>alert('story')</script>" in text
        assert f"Playing as {alias}" in text
        assert "Wade across <img src=x onerror=alert(1)>" in text
        # the sources are behind a toggle
        claim = "A claim with <script>alert('fact')</script> in it."
        assert claim not in text
        browser.find_element(By.CSS_SELECTOR, "details.sources summary").click()
        assert claim in browser.find_element(By.TAG_NAME, "body").text
        screenshot(browser, shots, "scene", PHONE)
        screenshot(browser, shots, "scene", PROJECTOR)
        browser.set_window_size(*PHONE)

        # with JavaScript, choosing does not reload the page
        browser.execute_script("window.crossingMarker = 42")
        click_choice(browser, "Wait for a guide")
        wait_heading(browser, "The far bank")
        assert browser.execute_script("return window.crossingMarker") == 42
        assert browser.switch_to.active_element.tag_name == "h1"  # focus moves to the new scene for screen readers

        # a reload in the middle of the run loses nothing
        browser.refresh()
        wait_heading(browser, "The far bank")
        assert browser.execute_script("return window.crossingMarker") is None

        # going back a step, then on again by keyboard alone
        browser.find_element(By.CSS_SELECTOR, "form.back button").click()
        wait_heading(browser, "Home <script>alert('title')</script>")
        buttons = browser.find_elements(By.CSS_SELECTOR, "form.choices button")
        buttons[0].send_keys(Keys.ENTER)
        wait_heading(browser, "The far bank")
        click_choice(browser, "Walk")
        wait_heading(browser, "The city")

        # the map, as SVG, and back with the browser's own Back button
        browser.find_element(By.LINK_TEXT, "Map of your journey").click()
        wait_heading(browser, "Map of your journey")
        assert browser.find_elements(By.CSS_SELECTOR, "figure svg")
        assert "Changbai <x>" in browser.find_element(By.TAG_NAME, "body").text
        screenshot(browser, shots, "map", PHONE)
        browser.back()
        wait_heading(browser, "The city")

        # a forged form token is refused in place: the refusal shows, the address stays, a reload goes on
        browser.execute_script("document.querySelector('form.choices input[name=csrf]').value = 'forged'")
        click_choice(browser, "Go on")
        wait_heading(browser, "Not allowed")
        assert browser.current_url == base + "/play"
        browser.refresh()
        wait_heading(browser, "The city")

        click_choice(browser, "Go on")
        wait_heading(browser, "Safe <b>at last</b>")
        no_alert(browser)
        ending = browser.find_element(By.TAG_NAME, "main").text
        for part in ("What happened, and why", "The real world", "Your path", "To discuss",
                     "What would you do? <script>alert('q')</script>", "Download your transcript", "Play another life"):
            assert part in ending
        assert ending.index("Your path") < ending.index("To discuss")
        screenshot(browser, shots, "ending", PHONE)
        screenshot(browser, shots, "ending", PROJECTOR)
        browser.get(base + "/glossary")
        assert "far bank" in browser.find_element(By.TAG_NAME, "main").text  # a term met on the way
        browser.find_element(By.CSS_SELECTOR, "main details summary").click()
        assert "<term>" in browser.find_element(By.TAG_NAME, "main").text
        # no console errors but the forged form's 403: the CSP let the app's own script and style sheet through, and nothing else was asked for
        logs = [entry for entry in browser.get_log("browser") if entry.get("level") == "SEVERE"
                and "favicon" not in entry.get("message", "")
                and "/choose - Failed to load resource: the server responded with a status of 403" not in entry.get("message", "")]
        assert logs == []
    room.flush_all()
    assert len(list(room.folder.glob("*.json"))) == 1


def test_the_class_vote_page_in_the_browser(browser: Any, story: Story, tmp_path: Path, shots: Path) -> None:
    from selenium.webdriver.common.by import By

    room = Room(story, tmp_path / "vote", code=CODE, mode="vote")
    with running(room) as base:
        browser.delete_all_cookies()
        browser.set_window_size(*PHONE)
        browser.get(base + "/")
        browser.find_element(By.ID, "code").send_keys(CODE)
        browser.find_element(By.CSS_SELECTOR, "form.join button").click()
        wait_heading(browser, "Waiting for the lesson to begin")
        room.open_vote("The river <b>", ["Cross now", "Wait <i>"])
        wait_heading(browser, "The river <b>")  # the page polls: the vote appears without a reload
        screenshot(browser, shots, "vote", PHONE)
        click_choice(browser, "Wait <i>")
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException]).until(
            lambda d: "Your vote is in" in d.find_element(By.TAG_NAME, "main").text)
        assert room.tally() == (0, 1)
