"""The settings page in a real browser (Debian's Chromium): opened with `warmitup open`,
try a rewrite, write a profile that changes the next rewrite, import a bad file, history."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from conftest import CHROMIUM, SCREENSHOTS, WARMITUP

pytestmark = pytest.mark.model


@pytest.fixture
def page(playwright_driver, live_server, tmp_path):
    opened = subprocess.run(
        [WARMITUP, "open", "--port", live_server.url.rsplit(":", 1)[1]], capture_output=True, text=True,
        env={**os.environ, "WARMITUP_DATA_DIR": str(live_server.data_dir)}, check=True,
    )
    link = opened.stdout.strip()
    assert link.startswith(live_server.url + "/open?code=")
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
    context = browser.new_context(viewport={"width": 1200, "height": 1600})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(link)
    assert page.url == live_server.url + "/"
    yield page
    context.close()
    browser.close()


def test_try_a_rewrite_with_facts_marked_and_a_diff(page):
    page.fill("#try-form [name=customer_message]", "I was charged twice for my subscription this month.")
    page.fill("#try-form [name=draft]", "Refund issued. 5-7 business days. Ref RF-20931.")
    page.fill("#try-form [name=customer_name]", "Pat")
    page.click("#try-submit")
    page.wait_for_selector("#try-result:not([hidden])", timeout=90_000)
    reply = page.locator("#try-reply").inner_text()
    assert reply.startswith("Hi Pat,") and "RF-20931" in reply and "5-7 business days" in reply
    marked = page.locator("#try-reply mark").all_inner_texts()
    assert "RF-20931" in marked and "5-7 business days" in marked
    assert page.locator("#try-diff ins").count() >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "settings-page-rewrite.png"), full_page=True)


def test_a_profile_written_on_the_page_shapes_the_next_rewrite(page, live_server):
    page.click("#new-profile")
    page.fill("#profile-form [name=name]", "Bakery")
    page.fill("#profile-form [name=signoff]", "Warmly,\n{agent}\nThe Bakery")
    page.fill("#profile-form [name=avoid]", "Nope => I'm afraid not\nper our policy => because")
    page.click("#save-profile")
    page.wait_for_function("() => document.getElementById('profiles-message').textContent.includes('Saved')")
    page.select_option("#active-profile", label="Bakery")
    page.wait_for_function("() => document.getElementById('profiles-message').textContent.includes('Active')")

    page.fill("#try-form [name=draft]", "Nope. No refunds on bread per our policy.")
    page.fill("#try-form [name=agent_name]", "Bea")
    page.click("#try-submit")
    page.wait_for_selector("#try-result:not([hidden])", timeout=90_000)
    reply = page.locator("#try-reply").inner_text()
    assert "Nope" not in reply and "per our policy" not in reply.lower()
    assert "afraid not" in reply and reply.rstrip().endswith("Warmly,\nBea\nThe Bakery")

    # Edit it: the change is stored.
    page.fill("#profile-form [name=keep_words]", "CrumbCard")
    page.click("#save-profile")
    page.wait_for_function("() => document.getElementById('profiles-message').textContent.includes('Saved')")
    status, body = live_server.request("GET", "/v1/profiles")
    assert body["profiles"][0]["keep_words"] == ["CrumbCard"]
    assert body["active"] == body["profiles"][0]["id"]


def test_a_bad_import_file_is_explained_and_changes_nothing(page, live_server):
    page.set_input_files("#import-file", files=[{
        "name": "team.json", "mimeType": "application/json",
        "buffer": json.dumps({"name": "", "emoji": "sometimes"}).encode(),
    }])
    error = page.locator("#profiles-error")
    error.wait_for(state="visible")
    text = error.inner_text()
    assert "team.json was not imported" in text and "name: required" in text and "emoji: expected true or false" in text
    assert live_server.request("GET", "/v1/profiles")[1]["profiles"] == []


def test_history_on_then_cleared(page, live_server):
    page.check("#history-enabled")
    page.click("#save-history")
    page.wait_for_function("() => document.getElementById('history-message').textContent.includes('on')")
    page.fill("#try-form [name=draft]", "Password reset link sent. Expires in 24 hours.")
    page.click("#try-submit")
    page.wait_for_selector("#history-list li[data-entry]", timeout=90_000)
    assert "Password reset link sent" in page.locator("#history-list").inner_text()
    page.click("#clear-history")
    page.wait_for_function("() => document.getElementById('history-message').textContent.includes('Cleared: 1')")
    page.wait_for_selector("#history-list li[data-entry]", state="detached")
    assert live_server.request("GET", "/v1/history")[1]["entries"] == []


def test_history_turned_off_says_what_is_still_kept(page, live_server):
    page.check("#history-enabled")
    page.click("#save-history")
    page.wait_for_function("() => document.getElementById('history-message').textContent.includes('on')")
    page.fill("#try-form [name=draft]", "Password reset link sent. Expires in 24 hours.")
    page.click("#try-submit")
    page.wait_for_selector("#history-list li[data-entry]", timeout=90_000)
    page.uncheck("#history-enabled")
    page.click("#save-history")
    page.wait_for_function("() => document.getElementById('history-message').textContent.includes('off')")
    said = page.locator("#history-message").inner_text()
    assert "new rewrites are not kept" in said and "The 1 rewrite kept before stays until deleted with Clear all history" in said
    assert page.locator("#history-list li[data-entry]").count() == 1  # as it says
    page.reload()  # opened again later, the page says the same
    page.wait_for_function("() => document.getElementById('history-message').textContent.includes('1 rewrite kept before')")
    page.click("#clear-history")
    page.wait_for_function("() => document.getElementById('history-message').textContent.includes('Cleared: 1')")
    assert live_server.request("GET", "/v1/history")[1]["entries"] == []


def test_another_site_cannot_use_the_page(page, live_server):
    # The page's cookie is SameSite=Strict and other origins are refused: a forged request
    # from a page elsewhere (here: a data: URL in the same browser) gets nothing.
    other = page.context.new_page()
    other.goto("data:text/html,<title>elsewhere</title>")
    status = other.evaluate(
        """async (url) => { try { const r = await fetch(url + '/v1/profiles', {method: 'POST', credentials: 'include',
        headers: {'Content-Type': 'text/plain'}, body: '{"name": "evil"}'}); return r.status; } catch (e) { return 'blocked'; } }""",
        live_server.url)
    assert status in (401, 403, "blocked")
    assert live_server.request("GET", "/v1/profiles")[1]["profiles"] == []
