"""The Chrome extension end to end: Debian's Chromium, the extension loaded, fixture pages
that imitate Gmail and Zendesk at their real addresses, the real server and model behind.

Screenshots of the button, of finished rewrites and of the panel go to results/screenshots/.
"""

from __future__ import annotations

import re
import sys

import pytest

from warmitup.facts import contains_fact, extract

from conftest import free_port, serve

pytestmark = pytest.mark.model

GMAIL = "https://mail.google.com/mail/u/0/gmail.html"
ZENDESK = "https://acme.zendesk.com/agent/tickets/zendesk.html"
GMAIL_DRAFT = "Order shipped Tuesday. Tracking 1Z999AA10123456784. Should arrive Friday."
ZENDESK_DRAFT = "Refund of $29.00 issued. 5-7 business days. Ref RF-20931."
BUTTON = '[data-warmitup="button"]'
PANEL = '[data-warmitup="panel"]'
# The thread's messages in gmail.html, by the legacy id a compose form names them with.
MARIA_FIRST, SAM_REPLY, MARIA_LAST = "18c5f2a3b4d60001", "18c5f2a3b4d60002", "18c5f2a3b4d60003"
CARD_DRAFT = "Your new card ships within 3 business days. The old card stops working today."
LAMP_DRAFT = "Your lamp ships today. Tracking 1Z999AA10123456784. Arrives by Friday."
REWRITE_TIMEOUT_MS = 90_000  # a generous bound for a slow shared machine, not a speed test


@pytest.fixture
def browser(extension_browser, extension_server):
    extension_browser.configure(serverUrl=extension_server.url, token=extension_server.token, agentName="Sam")
    return extension_browser


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def assert_warm_reply(text: str, draft: str, customer: str) -> None:
    """Every fact of the draft, kept exactly, and the customer greeted by name."""
    for fact in extract(draft):
        assert contains_fact(text, fact), f"{fact.text!r} lost from {text!r}"
    assert customer in text, text
    assert flat(text) != flat(draft)
    assert not flat(text).endswith(flat(draft)), text  # the draft replaced, not left after the reply


def wait_finished(page) -> str:
    status = page.locator(f"{PANEL} .status")
    page.wait_for_function(
        "() => { const p = document.querySelector('[data-warmitup=panel]');"
        " const s = p && p.shadowRoot.querySelector('.status'); const e = p && p.shadowRoot.querySelector('.error');"
        " return (s && s.textContent.startsWith('Done')) || (e && !e.hidden); }",
        timeout=REWRITE_TIMEOUT_MS,
    )
    error = page.locator(f"{PANEL} .error")
    assert not error.is_visible(), error.text_content()
    return status.text_content()


def click_undo(page) -> None:
    """Our Undo, waiting until the panel says the draft is back."""
    page.click(f"{PANEL} [data-action=undo]")
    page.wait_for_function(
        "() => document.querySelector('[data-warmitup=panel]').shadowRoot.querySelector('.status').textContent.includes('Your draft is back')")


def gmail_text(page, selector: str = "#inline-body") -> str:
    return page.locator(selector).inner_text()


def zendesk_text(page, ticket: int = 1042) -> str:
    return page.locator(f'[data-ticket="{ticket}"] .ck-editor__editable').inner_text()


def open_compose(page, **options) -> tuple[str, str]:
    """A Gmail compose window opened as gmail.js does it: the selectors of its button and body."""
    name = page.evaluate("(options) => openCompose(options)", options)
    button = f'[data-fixture="{name}"] {BUTTON}'
    page.wait_for_selector(button)
    return button, f'[data-fixture="{name}"] [contenteditable="true"]'


def context_line(page) -> str:
    return page.locator(f"{PANEL} [data-part=context]").text_content()


def panel_layout(page, editor: str) -> dict:
    """Where the panel, its buttons and the editor are, and whether each button can be clicked
    where it is (nothing on top of it, inside the window), as the next painted frame shows them
    (the second frame's callbacks run after the first frame's layout and paint)."""
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return page.evaluate("""(editor) => {
        const root = document.querySelector('[data-warmitup=panel]').shadowRoot;
        const rect = (r) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
        const buttons = {};
        for (const button of root.querySelectorAll('.actions button')) {
            if (button.hidden) continue;
            const r = button.getBoundingClientRect();
            const x = r.left + r.width / 2, y = r.top + r.height / 2;
            buttons[button.dataset.action] = { ...rect(r), clickable: root.elementFromPoint(x, y) === button };
        }
        return { width: document.documentElement.clientWidth, height: innerHeight, buttons,
                 panel: rect(root.querySelector('.panel').getBoundingClientRect()),
                 editor: rect(document.querySelector(editor).getBoundingClientRect()) };
    }""", editor)


def assert_panel_on_screen_beside(page, editor: str, actions=("undo", "done")) -> None:
    """The whole panel in the window, its buttons clickable, and the editor's visible part
    not under it."""
    layout = panel_layout(page, editor)
    panel, editor_box = layout["panel"], layout["editor"]
    assert 0 <= panel["left"] and panel["right"] <= layout["width"], layout
    assert 0 <= panel["top"] and panel["bottom"] <= layout["height"], layout
    for action in actions:
        assert layout["buttons"][action]["clickable"], (action, layout)
    visible = {"left": max(editor_box["left"], 0), "top": max(editor_box["top"], 0),
               "right": min(editor_box["right"], layout["width"]), "bottom": min(editor_box["bottom"], layout["height"])}
    overlap = (min(panel["right"], visible["right"]) > max(panel["left"], visible["left"]) and
               min(panel["bottom"], visible["bottom"]) > max(panel["top"], visible["top"]))
    assert not overlap, layout


# --- Gmail -----------------------------------------------------------------------------


def test_gmail_button_once_on_existing_and_new_compose_windows(browser):
    page = browser.open(GMAIL)
    page.wait_for_selector(f'[data-fixture="inline-reply"] {BUTTON}')
    page.click("#compose-button")
    page.wait_for_selector(f'[data-fixture="popup-1"] {BUTTON}')
    page.click("#compose-button")
    page.wait_for_selector(f'[data-fixture="popup-2"] {BUTTON}')
    page.wait_for_timeout(500)  # let the observer run again over our own insertions
    for box in ("inline-reply", "popup-1", "popup-2"):
        assert page.locator(f'[data-fixture="{box}"] {BUTTON}').count() == 1, box
    # Beside the Send group, as Gmail's own toolbar buttons are.
    assert page.locator(f'[data-fixture="inline-reply"] .btC .dC + {BUTTON}').count() == 1
    browser.screenshot(page, "gmail-button")


def test_gmail_rewrite_keeps_facts_names_the_customer_and_undoes(browser):
    page = browser.open(GMAIL)
    page.click(f'[data-fixture="inline-reply"] {BUTTON}')
    assert "Done" in wait_finished(page)
    reply = gmail_text(page)
    assert_warm_reply(reply, GMAIL_DRAFT, "Maria")
    assert reply.rstrip().endswith("Sam")  # the agent's name from the options
    # The panel says what was protected and which message was the context.
    facts = page.locator(f"{PANEL} [data-part=facts]").text_content()
    assert "1Z999AA10123456784" in facts
    context = page.locator(f"{PANEL} [data-part=context]").text_content()
    assert "two weeks" in context and "warehouse" not in context  # her last message, quote stripped
    browser.screenshot(page, "gmail-rewrite")

    page.locator("#inline-body").click()
    page.keyboard.press("Control+z")
    assert flat(gmail_text(page)) == GMAIL_DRAFT


def test_gmail_undo_button_restores_the_draft(browser):
    page = browser.open(GMAIL)
    page.click(f'[data-fixture="inline-reply"] {BUTTON}')
    wait_finished(page)
    click_undo(page)
    assert flat(gmail_text(page)) == GMAIL_DRAFT


def test_gmail_new_message_with_a_thread_open_answers_nobody(browser):
    # A new message is about something else, to someone else: the open thread isn't its context.
    page = browser.open(GMAIL)
    page.click("#compose-button")
    body = page.locator("#popup-body-1")
    body.click()
    page.keyboard.type(CARD_DRAFT)
    page.keyboard.press("Alt+Shift+U")
    wait_finished(page)
    assert "No customer message" in context_line(page)
    text = body.inner_text()
    for fact in extract(CARD_DRAFT):
        assert contains_fact(text, fact)
    assert "Maria" not in text and "kettle" not in text and "order" not in text
    # The panel sits beside the compose window, not over it.
    assert_panel_on_screen_beside(page, "#popup-body-1")
    browser.screenshot(page, "gmail-new-message")


@pytest.mark.parametrize("compose,answers", [
    ({"replyTo": MARIA_LAST, "inline": True}, "two weeks"),
    ({"replyTo": MARIA_FIRST}, "blue kettle"),  # a reply to an earlier message, popped out
    ({"replyTo": MARIA_FIRST, "subject": "Fwd: Where is my order?"}, "blue kettle"),  # a forward of it
    ({"replyTo": SAM_REPLY}, "blue kettle"),  # the agent's own message: the customer's before it
    ({"replyTo": "18c5f2a3b4d6ffff"}, None),  # a reply popped out of another thread
    ({}, None),  # a new message
], ids=["inline-reply", "reply-to-earlier", "forward", "reply-to-own", "other-thread", "new-message"])
def test_gmail_each_compose_answers_its_own_message(browser, compose, answers):
    page = browser.open(GMAIL)
    button, body = open_compose(page, **compose)
    page.locator(body).click()
    page.keyboard.type("Your refund is on its way.")
    # The context is shown as the rewrite starts; cancelled at once, as only it matters here.
    page.evaluate("""([button, panel]) => {
        document.querySelector(button).click();
        document.querySelector(panel).shadowRoot.querySelector("[data-action=cancel]").click();
    }""", [button, PANEL])
    context = context_line(page)
    if answers:
        assert answers in context and "Maria" in context, context
    else:
        assert "No customer message" in context, context
def test_gmail_selection_only_rewrites_the_selection(browser):
    page = browser.open(GMAIL)
    # Select "Should arrive Friday." only, then rewrite.
    page.evaluate(
        """() => { const body = document.getElementById('inline-body'); const text = body.firstChild;
        const start = text.data.indexOf('Should'); const range = document.createRange();
        range.setStart(text, start); range.setEnd(text, text.data.length);
        body.focus(); const s = getSelection(); s.removeAllRanges(); s.addRange(range); }""")
    page.click(f'[data-fixture="inline-reply"] {BUTTON}')
    wait_finished(page)
    text = flat(gmail_text(page))
    assert text.startswith("Order shipped Tuesday. Tracking 1Z999AA10123456784. "), text
    assert "Friday" in text
    assert text.count("Tracking") == 1 and "Hi Maria" not in text


SITES = {
    "gmail": (GMAIL, f'[data-fixture="inline-reply"] {BUTTON}', lambda page: gmail_text(page), GMAIL_DRAFT),
    "zendesk": (ZENDESK, f'[data-ticket="1042"] {BUTTON}', lambda page: zendesk_text(page), ZENDESK_DRAFT),
}


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("problem,settings,says", [
    ("server stopped", {"serverUrl": "stopped"}, "Start Warm It Up"),
    ("not paired", {"token": ""}, "warmitup token"),
])
def test_a_problem_is_explained_and_the_draft_kept(browser, site, problem, settings, says):
    url, button, text_of, draft = SITES[site]
    if settings.get("serverUrl") == "stopped":
        settings = {"serverUrl": f"http://127.0.0.1:{free_port()}"}  # nothing listens there
    browser.configure(**settings)
    page = browser.open(url)
    page.click(button)
    error = page.locator(f"{PANEL} .error")
    error.wait_for(state="visible", timeout=REWRITE_TIMEOUT_MS)
    assert says in error.text_content(), problem
    assert flat(text_of(page)) == draft


def test_gmail_empty_draft_is_explained(browser):
    page = browser.open(GMAIL)
    page.click("#compose-button")
    page.click(f'[data-fixture="popup-1"] {BUTTON}')
    error = page.locator(f"{PANEL} .error")
    error.wait_for(state="visible")
    assert "draft is empty" in error.text_content()


def test_gmail_cancel_leaves_the_draft(browser):
    page = browser.open(GMAIL)
    page.wait_for_selector(f'[data-fixture="inline-reply"] {BUTTON}')
    # Cancel in the same task as the click: with the adapter a reply can arrive within a
    # second, and a separate click could land after it. This way it is always mid-rewrite.
    page.evaluate("""([button, panel]) => {
        document.querySelector(`[data-fixture="inline-reply"] ${button}`).click();
        document.querySelector(panel).shadowRoot.querySelector("[data-action=cancel]").click();
    }""", [BUTTON, PANEL])
    error = page.locator(f"{PANEL} .error")
    error.wait_for(state="visible")
    assert "Cancelled" in error.text_content()
    page.wait_for_timeout(3000)  # long enough for the reply to have arrived had it not been cancelled
    assert flat(gmail_text(page)) == GMAIL_DRAFT
    assert page.locator(BUTTON).first.text_content() == "Warm it up"


def reply_html(page, body: str) -> dict:
    """The compose body's HTML, and the HTML of everything after the draft: from the blank
    line (Gmail's <br>) before the signature or quote, or, with the signature inside the
    draft's wrapper, from its <br clear=all>."""
    return page.evaluate("""(selector) => {
        const body = document.querySelector(selector);
        const first = body.firstElementChild;
        const nested = first.querySelector('.gmail_signature');
        const after = nested ? [...first.childNodes].slice([...first.childNodes].findIndex((n) => n.nodeName === 'BR'))
                             : [...body.childNodes].slice(1);
        return { html: body.innerHTML, tail: after.map((n) => n.outerHTML).join('') + (nested ? '</div>' : '') };
    }""", body)


def test_gmail_reply_keeps_signature_and_quote_apart_and_ctrl_z_restores(browser):
    browser.configure(agentName="Sam Ortiz")
    for template in ("body-signature-quote", "body-quote"):
        page = browser.open(GMAIL)
        button, body = open_compose(page, replyTo=MARIA_LAST, inline=True, body=template)
        before = reply_html(page, body)
        page.click(button)
        wait_finished(page)
        after = page.locator(body).evaluate("(b) => b.innerHTML")
        # Signature and quote byte for byte, still after their blank line; the reply before them.
        assert after.endswith(before["tail"]) and after != before["html"], (template, after)
        reply = page.locator(body).evaluate(
            "(b) => { const r = document.createRange(); r.setStart(b, 0); r.setEndBefore(b.querySelector(':scope > br'));"
            " const d = document.createElement('div'); d.append(r.cloneContents()); return d.lastChild.nodeName + '|' + d.innerText; }")
        last_node, reply_text = reply.split("|", 1)
        assert last_node == "DIV", reply  # the reply's last line is a block of its own: the blank line shows
        assert_warm_reply(reply_text, LAMP_DRAFT, "Maria")
        text = page.locator(body).inner_text()
        assert "Sam OrtizSam Ortiz" not in text and not re.search(r"\S[ \t]*On Mon, 10 Nov", text), text
        browser.screenshot(page, f"gmail-reply-{template.removeprefix('body-')}")

        page.locator(body).click()
        page.keyboard.press("Control+z")
        assert page.locator(body).evaluate("(b) => b.innerHTML") == before["html"], template
        page.close()


def test_gmail_signature_inside_the_draft_wrapper_is_not_an_empty_draft(browser):
    # Gmail's own markup for a message with a signature: the draft, <br clear=all>, "-- " and
    # the signature, all in one <div dir=ltr>.
    page = browser.open(GMAIL)
    button, body = open_compose(page, body="body-nested-signature")
    before = reply_html(page, body)
    page.click(button)
    wait_finished(page)
    after = page.locator(body).evaluate("(b) => b.innerHTML")
    assert after.endswith(before["tail"]) and after != before["html"], after
    text = page.locator(body).inner_text()
    for fact in extract(CARD_DRAFT.replace("new card", "replacement card")):
        assert contains_fact(text, fact)
    assert text.count("Sam Ortiz") == 1 and "Sam Ortiz" in text.split("--")[-1], text
    browser.screenshot(page, "gmail-nested-signature")
    page.locator(body).click()
    page.keyboard.press("Control+z")
    assert page.locator(body).evaluate("(b) => b.innerHTML") == before["html"]


def test_gmail_signature_signs_the_reply_alone(browser):
    # With a Gmail signature in the compose, the reply ends with its closing line: no
    # "Best, Sam Ortiz" of ours above it, and not the signature from our options either.
    browser.configure(agentName="Sam Ortiz", signature="Sam from Acme")
    page = browser.open(GMAIL)
    button, body = open_compose(page, replyTo=MARIA_LAST, inline=True, body="body-signature-quote")
    page.click(button)
    wait_finished(page)
    reply = page.locator(body).evaluate(
        "(b) => { const r = document.createRange(); r.setStart(b, 0); r.setEndBefore(b.querySelector('.gmail_signature'));"
        " const d = document.createElement('div'); d.append(r.cloneContents()); return d.innerText; }").strip()
    assert "Maria" in reply and "1Z999AA10123456784" in reply
    assert "Sam" not in reply and not re.search(r"(Best|Thanks|regards|wishes),?$", reply), reply
    assert reply.endswith((".", "!", "?")), reply
    assert page.locator(body).inner_text().count("Sam Ortiz") == 1
    # Without a signature, the reply still signs off (the options' signature included).
    page = browser.open(GMAIL)
    page.click(f'[data-fixture="inline-reply"] {BUTTON}')
    wait_finished(page)
    assert flat(gmail_text(page)).endswith("Sam Ortiz Sam from Acme"), gmail_text(page)


# The real server, except that its rewrite sends the greeting and then hangs until the
# process is killed: a server that dies mid-stream, every time.
STALLING_SERVER = """
import sys
import threading

from warmitup import api
from warmitup.pipeline import Rewriter


class Stalls(Rewriter):
    def rewrite(self, request, emit=lambda event, data: None, cancelled=lambda: False, timeout=None):
        emit("facts", {"facts": []})
        emit("stage", {"stage": "mirror"})
        emit("text", {"text": "Hi Maria,\\n\\n"})
        threading.Event().wait()


api.Rewriter = Stalls
from warmitup.cli import main

sys.exit(main(sys.argv[1:]))
"""


def test_server_killed_mid_rewrite_is_explained_and_the_draft_kept(browser, tmp_path):
    with serve(tmp_path, "--no-model", command=(sys.executable, "-c", STALLING_SERVER)) as server:
        browser.configure(serverUrl=server.url, token=server.token)
        page = browser.open(GMAIL)
        page.click(f'[data-fixture="inline-reply"] {BUTTON}')
        page.locator(f"{PANEL} [data-part=preview]").wait_for(state="visible", timeout=REWRITE_TIMEOUT_MS)
        server.process.kill()
        server.process.wait()
        error = page.locator(f"{PANEL} .error")
        error.wait_for(state="visible", timeout=REWRITE_TIMEOUT_MS)
        message = error.text_content()
        assert "server stopped before the rewrite was finished" in message and "network error" not in message, message
        assert "Your draft is unchanged" in message
        assert flat(gmail_text(page)) == GMAIL_DRAFT
        browser.screenshot(page, "gmail-server-stopped")


@pytest.mark.parametrize("site,viewport,editor", [
    ("zendesk", (1280, 900), '[data-ticket="1042"] .ck-editor__editable'),
    ("gmail", (900, 560), "#inline-body"),
    ("gmail", (640, 420), "#inline-body"),
])
def test_panel_stays_on_screen_with_what_changed_open(browser, site, viewport, editor):
    url, button, text_of, draft = SITES[site]
    page = browser.open(url)
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.click(button)
    wait_finished(page)
    assert_warm_reply(text_of(page), draft, {"gmail": "Maria", "zendesk": "Tom"}[site])
    page.click(f"{PANEL} summary")
    page.wait_for_function("() => document.querySelector('[data-warmitup=panel]').shadowRoot.querySelector('details').open")
    assert_panel_on_screen_beside(page, editor)
    # The middle scrolls inside the panel: the end of the diff can be read.
    page.evaluate("() => { const c = document.querySelector('[data-warmitup=panel]').shadowRoot.querySelector('.content');"
                  " c.scrollTop = c.scrollHeight; }")
    assert page.evaluate("""() => {
        const root = document.querySelector('[data-warmitup=panel]').shadowRoot;
        const end = root.querySelector('.diff').getBoundingClientRect().bottom;
        return end <= root.querySelector('.content').getBoundingClientRect().bottom + 1; }""")
    browser.screenshot(page, f"{site}-what-changed-{viewport[0]}x{viewport[1]}")
    page.click(f"{PANEL} [data-action=done]")
    assert page.locator(PANEL).count() == 0


def test_panel_moves_when_the_agent_keeps_typing_and_the_compose_box_grows(browser):
    """A compose window sits on the bottom edge and grows upwards as the agent adds lines after
    the rewrite; nothing scrolls or resizes the window, and the panel still moves off it."""
    page = browser.open(GMAIL)
    page.set_viewport_size({"width": 640, "height": 900})  # no room beside it: the panel goes above
    button, body = open_compose(page, replyTo=MARIA_LAST)
    page.locator(body).click()
    page.keyboard.type("Your refund is on its way. It takes 5-7 business days.")
    page.click(button)
    wait_finished(page)
    assert_panel_on_screen_beside(page, body)
    before = panel_layout(page, body)["editor"]["top"]
    page.evaluate("""(selector) => { const body = document.querySelector(selector);
        for (let i = 0; i < 20; i++) { const line = document.createElement('div'); line.textContent = 'One more line.';
                                        body.append(line); } }""", body)
    assert panel_layout(page, body)["editor"]["top"] < before - 200  # it grew upwards
    assert_panel_on_screen_beside(page, body)


# --- Zendesk (a real CKEditor 5) -------------------------------------------------------------


def test_zendesk_button_once_on_existing_and_new_tickets(browser):
    page = browser.open(ZENDESK)
    page.wait_for_selector(f'[data-ticket="1042"] [data-test-id="omnichannel-composer-toolbar"] {BUTTON}')
    page.click("#open-ticket")
    page.wait_for_selector(f'[data-ticket="1077"] {BUTTON}')
    page.wait_for_timeout(500)
    assert page.locator(f'[data-ticket="1042"] {BUTTON}').count() == 1
    assert page.locator(f'[data-ticket="1077"] {BUTTON}').count() == 1
    browser.screenshot(page, "zendesk-button")


def test_zendesk_rewrite_keeps_facts_and_ctrl_z_restores(browser):
    page = browser.open(ZENDESK)
    page.click(f'[data-ticket="1042"] {BUTTON}')
    wait_finished(page)
    reply = zendesk_text(page)
    assert_warm_reply(reply, ZENDESK_DRAFT, "Tom")
    # The context is the customer's last comment, not the internal note after it.
    context = page.locator(f"{PANEL} [data-part=context]").text_content()
    assert "charged twice" in context and "legacy plan" not in context
    browser.screenshot(page, "zendesk-rewrite")
    # CKEditor's own model has it (what Zendesk would send), not just the DOM.
    assert "RF-20931" in page.evaluate("() => window.editors[1042].getData()")

    page.locator('[data-ticket="1042"] .ck-editor__editable').click()
    page.keyboard.press("Control+z")
    page.wait_for_timeout(200)
    assert flat(zendesk_text(page)) == ZENDESK_DRAFT


# A draft with code, as agents write them: the fenced block's lines (a double space, an
# indented line) and the inline code and link must reach the customer byte for byte.
CODE_BLOCK = "```\nsudo ./kiln --safe-mode  --log=/tmp/k.log\n  tail -f /tmp/k.log\n```"
CODE_DRAFT = f"Could you try this?\n\n{CODE_BLOCK}\n\nSee `kiln doctor` in [the guide](https://docs.example.com/kiln_safe-mode).\n\nThanks"
VERBATIM = (CODE_BLOCK, "`kiln doctor`", "[the guide](https://docs.example.com/kiln_safe-mode)")


# The text in ticket 1042's CKEditor model (what Zendesk sends): paragraphs apart by a blank
# line, soft breaks as line breaks, every space as it is.
CKEDITOR_TEXT = """[...window.editors[1042].model.document.getRoot().getChildren()]
    .map((block) => [...block.getChildren()].map((n) => n.is('$text') ? n.data : '\\n').join(''))
    .join('\\n\\n')"""


def ckeditor_text(page) -> str:
    return page.evaluate(f"() => {CKEDITOR_TEXT}")


def test_zendesk_code_block_comes_back_intact_and_ctrl_z_restores(browser, extension_server):
    extension_server.request("PUT", "/v1/history/settings", {"enabled": True})  # to see what the server got
    try:
        page = browser.open(ZENDESK)
        editable = page.locator('[data-ticket="1042"] .ck-editor__editable')
        editable.click()
        page.keyboard.press("Control+a")
        page.keyboard.press("Backspace")
        # Typed as an agent does in CKEditor: Enter starts a paragraph, Shift+Enter a line.
        for n, paragraph in enumerate(CODE_DRAFT.split("\n\n")):
            if n:
                page.keyboard.press("Enter")
            for m, line in enumerate(paragraph.split("\n")):
                if m:
                    page.keyboard.press("Shift+Enter")
                page.keyboard.type(line)
        assert ckeditor_text(page) == CODE_DRAFT
        page.click(f'[data-ticket="1042"] {BUTTON}')
        wait_finished(page)

        entry = extension_server.request("GET", "/v1/history")[1]["entries"][0]
        assert entry["draft"] == CODE_DRAFT  # read out of the composer with its lines and spaces
        reply = ckeditor_text(page)
        assert reply.strip() == entry["reply"].strip() and "Tom" in reply, reply
        # In the model and on screen: not reflowed, re-indented, capitalised or punctuated.
        screen = zendesk_text(page).replace("\xa0", " ")
        for span in VERBATIM:
            assert span in reply, (span, reply)
            assert span in screen, (span, screen)
        browser.screenshot(page, "zendesk-code-block")

        editable.click()
        page.keyboard.press("Control+z")
        page.wait_for_function(f"(draft) => {CKEDITOR_TEXT} === draft", arg=CODE_DRAFT)
    finally:
        extension_server.request("PUT", "/v1/history/settings", {"enabled": False})
        extension_server.request("DELETE", "/v1/history")


def test_zendesk_shortcut_and_undo_button(browser):
    page = browser.open(ZENDESK)
    page.locator('[data-ticket="1042"] .ck-editor__editable').click()
    page.keyboard.press("Alt+Shift+U")
    wait_finished(page)
    assert "RF-20931" in zendesk_text(page) and "Tom" in zendesk_text(page)
    click_undo(page)
    assert flat(zendesk_text(page)) == ZENDESK_DRAFT


def test_zendesk_selection_only_rewrites_the_selection(browser):
    page = browser.open(ZENDESK)
    editable = page.locator('[data-ticket="1042"] .ck-editor__editable')
    editable.click()
    page.evaluate(
        """() => { const p = document.querySelector('[data-ticket="1042"] .ck-editor__editable p');
        const text = p.firstChild; const start = text.data.indexOf('5-7');
        const range = document.createRange(); range.setStart(text, start); range.setEnd(text, text.data.length);
        const s = getSelection(); s.removeAllRanges(); s.addRange(range); }""")
    page.wait_for_timeout(100)
    page.click(f'[data-ticket="1042"] {BUTTON}')
    wait_finished(page)
    text = flat(zendesk_text(page))
    assert text.startswith("Refund of $29.00 issued. "), text
    assert "5-7 business days" in text and "RF-20931" in text and "Hi Tom" not in text


def test_zendesk_cancel_leaves_the_draft(browser):
    page = browser.open(ZENDESK)
    page.wait_for_selector(f'[data-ticket="1042"] {BUTTON}')
    # The second click, on the working button, cancels; in the same task, so always mid-rewrite.
    page.evaluate("""(button) => {
        const warm = document.querySelector(`[data-ticket="1042"] ${button}`);
        warm.click();
        warm.click();
    }""", BUTTON)
    page.locator(f"{PANEL} .error").wait_for(state="visible")
    page.wait_for_timeout(3000)
    assert flat(zendesk_text(page)) == ZENDESK_DRAFT


# --- Any other site, options and popup -------------------------------------------------


def test_context_menu_on_any_text_box(browser):
    page = browser.open(f"{browser.fixture_site}/generic.html")
    page.click("#reply", button="right")
    # Chrome's own menu can't be clicked headless; this is what its click runs.
    browser.worker.evaluate(
        """async (url) => { const [tab] = await chrome.tabs.query({ url });
        await warmInTab(tab.id, 0); }""", page.url)
    wait_finished(page)
    text = page.locator("#reply").input_value()
    for fact in extract("Password reset link sent to lena@example.com. Expires in 24 hours."):
        assert contains_fact(text, fact)
    page.locator("#reply").focus()
    page.keyboard.press("Control+z")
    assert page.locator("#reply").input_value() == "Password reset link sent to lena@example.com. Expires in 24 hours."


def test_sites_turned_off_get_no_button(browser):
    browser.configure(sites={"gmail": False, "zendesk": True})
    page = browser.open(GMAIL)
    page.wait_for_timeout(1000)
    assert page.locator(BUTTON).count() == 0


def test_options_page_pairs_and_popup_shows_the_model(browser, extension_server):
    browser.configure(token="", serverUrl="http://127.0.0.1:8787")
    page = browser.open(f"chrome-extension://{browser.id}/options/options.html")
    page.fill("#serverUrl", "http://example.com:8787")
    page.click("#save")
    assert "must run on this machine" in page.locator("#saved").text_content()
    page.fill("#serverUrl", extension_server.url)
    page.fill("#token", extension_server.token)
    page.fill("#agentName", "Priya")
    page.click("#save")
    page.wait_for_function("() => document.getElementById('status').dataset.state === 'ok'")
    assert "Ready" in page.locator("#status").text_content()

    popup = browser.open(f"chrome-extension://{browser.id}/popup/popup.html")
    popup.wait_for_function("() => document.getElementById('status').dataset.state === 'ok'")
    assert "gemma" in popup.locator("#status").text_content().lower()
    popup.select_option("#tone", "formal-warm")
    popup.wait_for_timeout(300)
    assert browser.worker.evaluate("async () => (await chrome.storage.local.get('tone')).tone") == "formal-warm"


def test_history_hears_what_the_agent_did_with_each_reply(browser, extension_server):
    extension_server.request("PUT", "/v1/history/settings", {"enabled": True})
    try:
        page = browser.open(GMAIL)
        page.click(f'[data-fixture="inline-reply"] {BUTTON}')
        wait_finished(page)
        click_undo(page)
        page.click(f'[data-fixture="inline-reply"] {BUTTON}')
        wait_finished(page)
        page.locator("#inline-body").click()
        page.keyboard.press("Control+End")
        page.keyboard.type(" See you soon.")
        assert gmail_text(page).rstrip().endswith("See you soon.")
        page.click(f"{PANEL} [data-action=done]")
        page.wait_for_timeout(500)
        entries = extension_server.request("GET", "/v1/history")[1]["entries"]
        assert [e["outcome"] for e in entries] == ["edited", "undone"]
        assert entries[0]["final"].endswith("See you soon.") and entries[0]["draft"] == GMAIL_DRAFT
    finally:
        extension_server.request("PUT", "/v1/history/settings", {"enabled": False})
        extension_server.request("DELETE", "/v1/history")
