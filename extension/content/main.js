// Wires the page: a button on every compose box (once, including boxes opened later), the
// keyboard shortcut, the context menu, and the rewrite itself, which never loses the draft:
// the editor is only written to when the whole reply has arrived and the draft is unchanged.

(async () => {
  const adapter = adapterFor(location.hostname);
  let settings = { tone: "", sites: {}, agentName: "", shortcut: "" };
  const seen = new WeakSet(); // compose bodies that already have a button
  const buttons = new WeakMap(); // compose body -> its button
  const sessions = new WeakMap(); // editor element -> the rewrite running in it
  const panels = new WeakMap(); // editor element -> its panel
  let lastContextTarget = null;

  // Listening before anything is awaited: the worker may send this right after injecting us.
  chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    switch (message && message.type) {
      case MSG.WARM_FOCUSED: {
        const target = focusedEditable() || editable(lastContextTarget);
        if (target) warm(target, buttonFor(target), "command");
        sendResponse({ ok: Boolean(target) });
        return false;
      }
      default:
        throw new Error(`unknown message ${JSON.stringify(message && message.type)}`);
    }
  });
  document.addEventListener("contextmenu", (event) => (lastContextTarget = event.composedPath()[0]), true);

  try {
    settings = await askWorker(MSG.PAGE_SETTINGS);
  } catch {
    // the worker is restarting; the defaults do
  }
  const siteOn = adapter.name === "generic" || settings.sites[adapter.name] !== false;
  if (!siteOn) return;

  function scan() {
    for (const body of adapter.composeBoxes()) {
      if (seen.has(body)) continue;
      seen.add(body);
      const button = makeButton(() => warm(body, button));
      buttons.set(body, button);
      adapter.placeButton(body, button);
    }
  }
  function buttonFor(target) {
    for (const body of adapter.composeBoxes()) if (body.contains(target) || target.contains(body)) return buttons.get(body);
    return null;
  }
  scan();
  let pending = 0;
  new MutationObserver(() => {
    clearTimeout(pending);
    pending = setTimeout(scan, 100);
  }).observe(document.body, { childList: true, subtree: true });

  // The shortcut: Chrome delivers it as a command when it owns the key; where it doesn't
  // (a page that got the key first, a headless browser) the same binding is heard here.
  const shortcut = parseShortcut(settings.shortcut);
  if (shortcut) {
    document.addEventListener("keydown", (event) => {
      if (!matchesShortcut(event, shortcut)) return;
      const target = editable(event.composedPath()[0]);
      if (!target) return;
      event.preventDefault();
      event.stopPropagation();
      warm(target, buttonFor(target), "shortcut");
    }, true);
  }

  // `source`: "button", "shortcut" or "command" (Chrome's shortcut or the context menu).
  async function warm(target, button, source = "button") {
    const editor = editorFor(target, adapter.notDraft);
    if (!editor) return;
    const running = sessions.get(editor.el);
    if (running) {
      // One key press can arrive twice (as Chrome's command and as a keydown): a second
      // trigger by key right after the first is that echo, not a request to cancel.
      const echo = source !== "button" && running.source !== "button" && Date.now() - running.startedAt < 500;
      if (!echo) running.cancel();
      return;
    }
    if (panels.get(editor.el)) panels.get(editor.el).remove();
    const panel = new Panel(button || editor.el, () => editor.area()).watch(editor.el);
    panels.set(editor.el, panel);
    panel.on("closed", () => panels.get(editor.el) === panel && panels.delete(editor.el));

    // A selection of the whole draft (as undo leaves it) is the whole draft, greeting and all.
    const partial = editor.selection();
    const selection = partial && !sameText(partial.text, editor.read()) ? partial : null;
    const draft = selection ? selection.text : editor.read();
    if (!draft.trim()) {
      panel.error("The draft is empty: write your reply first, then warm it up.");
      return;
    }
    const snapshot = editor.snapshot();
    const context = adapter.context(editor.el, settings.agentName);
    const port = chrome.runtime.connect({ name: PORT_REWRITE });
    let streamed = "";
    let facts = [];
    const finish = () => {
      sessions.delete(editor.el);
      setButtonState(button, "idle");
    };
    const session = {
      startedAt: Date.now(),
      source,
      cancel() {
        port.disconnect();
        finish();
        panel.error("Cancelled: your draft is unchanged.");
      },
    };
    sessions.set(editor.el, session);
    panel.on("cancel", () => session.cancel());
    panel.context(context.customerName, context.customerMessage);
    setButtonState(button, "working", panel.working("facts"));

    port.onMessage.addListener(({ event, data }) => {
      switch (event) {
        case "facts":
          facts = [...new Set(data.facts.map((fact) => fact.text))];
          break;
        case "stage":
          setButtonState(button, "working", panel.working(data.stage));
          break;
        case "text":
          streamed += data.text;
          panel.preview(streamed);
          break;
        case "replace":
          streamed = data.text;
          panel.preview(streamed);
          break;
        case "done":
          port.disconnect();
          finish();
          apply(editor, panel, { selection, snapshot, facts, result: data });
          break;
        case "error":
          port.disconnect();
          finish();
          panel.error(`${data.message} Your draft is unchanged.`);
          break;
        default:
          break; // an event a newer server sends; nothing to show for it
      }
    });
    port.onDisconnect.addListener(() => {
      if (sessions.get(editor.el) !== session) return;
      finish();
      panel.error("Warm It Up stopped before the reply arrived (was the extension reloaded?). Your draft is unchanged.");
    });
    port.postMessage({
      draft,
      customerMessage: context.customerMessage,
      customerName: context.customerName,
      tone: settings.tone,
      selectionOnly: Boolean(selection),
      // The compose's own signature signs the reply: no "Best, Sam" above it.
      signOff: !adapter.signed(editor.el),
    });
  }

  async function apply(editor, panel, { selection, snapshot, facts, result }) {
    // A selection gets the warm middle (no second greeting or sign-off inside a draft).
    const text = selection ? (result.parts && result.parts.answer) || result.reply : result.reply;
    if (!sameText(editor.snapshot().text, snapshot.text)) {
      panel.error("The draft changed while Warm It Up was working, so it was left as it is. Here is the reply:", text);
      panel.on("copy", () => navigator.clipboard.writeText(text));
      return;
    }
    await editor.write(text, selection);
    // A whole draft must now read as the reply, not hold it beside the draft.
    const landed = selection ? editor.read().replace(/\s+/g, " ").includes(text.replace(/\s+/g, " ").trim())
      : sameText(editor.read(), text);
    if (!landed) {
      if (!sameText(editor.snapshot().text, snapshot.text)) await editor.restore(snapshot);
      panel.error("This editor didn't accept the reply, so your draft is as it was. Copy the reply instead:", text);
      panel.on("copy", () => navigator.clipboard.writeText(text));
      return;
    }
    const undoKey = /Mac/.test(navigator.platform) ? "⌘Z" : "Ctrl+Z";
    // The server's word diff is of the whole draft; a selection's is not worth showing.
    panel.finished({ message: `Done. ${undoKey} or Undo brings your draft back.`, facts, changes: selection ? null : result.changes });
    const report = (outcome, final = "") => {
      if (result.history_id === undefined) return; // history is off: nothing to tell
      askWorker(MSG.REPORT_OUTCOME, { historyId: result.history_id, outcome, final }).catch(() => {});
    };
    panel.on("undo", async () => {
      await editor.undo();
      if (!sameText(editor.snapshot().text, snapshot.text)) await editor.restore(snapshot);
      const back = sameText(editor.snapshot().text, snapshot.text);
      panel.undone(back ? "Your draft is back." : "Couldn't bring the draft back here; use Ctrl+Z in the editor.");
      if (back) report("undone");
    });
    panel.on("done", () => {
      const now = editor.read();
      const flat = (s) => s.replace(/\s+/g, " ").trim();
      const kept = selection ? flat(now).includes(flat(text)) : flat(now) === flat(text);
      if (sameText(now, snapshot.text)) report("undone"); // undone with Ctrl+Z
      else report(kept ? "kept" : "edited", kept ? "" : now);
      panel.remove();
    });
  }
})();

// The editable element at or around `node` (through shadow roots), or null.
function editable(node) {
  for (let el = node; el; el = el.parentNode || el.host) {
    if (el.nodeType !== Node.ELEMENT_NODE) continue;
    if (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type === "text") || el.isContentEditable) return el;
  }
  return null;
}

function focusedEditable() {
  let active = document.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
  return editable(active);
}

// "Alt+Shift+U" (as chrome.commands reports it) -> the keys to listen for.
function parseShortcut(text) {
  if (!text) return null;
  const parts = text.split("+").map((p) => p.trim());
  const key = parts.pop();
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  return {
    key: key.toUpperCase(),
    ctrl: mods.has("ctrl") || mods.has("macctrl"),
    alt: mods.has("alt") || mods.has("option"),
    shift: mods.has("shift"),
    meta: mods.has("command") || mods.has("cmd"),
  };
}

function matchesShortcut(event, shortcut) {
  const code = /^[A-Z]$/.test(shortcut.key) ? `Key${shortcut.key}` : /^[0-9]$/.test(shortcut.key) ? `Digit${shortcut.key}` : null;
  const keyOk = code ? event.code === code : event.key.toUpperCase() === shortcut.key;
  return keyOk && event.ctrlKey === shortcut.ctrl && event.altKey === shortcut.alt &&
    event.shiftKey === shortcut.shift && event.metaKey === shortcut.meta;
}
