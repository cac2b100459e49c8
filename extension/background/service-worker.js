// The service worker: the one place that talks to the server, holds the token, and
// turns the shortcut and the context menu into a rewrite in the page.

importScripts("../common/messages.js", "settings.js", "server.js");

const MENU_ID = "warm-it-up";

chrome.runtime.onInstalled.addListener(() => {
  chrome.contextMenus.create({ id: MENU_ID, title: "Warm it up", contexts: ["editable"] });
});

// Keep the token out of content scripts' reach.
chrome.storage.local.setAccessLevel({ accessLevel: "TRUSTED_CONTEXTS" });

chrome.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === MENU_ID && tab) warmInTab(tab.id, info.frameId || 0);
});

chrome.commands.onCommand.addListener((command, tab) => {
  if (command === "warm-it-up" && tab) warmInTab(tab.id, 0);
});

// Asks the page to warm its focused editor; on a site without our content scripts (the
// generic fallback) injects them first, which the click or shortcut allows (activeTab).
async function warmInTab(tabId, frameId) {
  const message = { type: MSG.WARM_FOCUSED };
  try {
    await chrome.tabs.sendMessage(tabId, message, { frameId });
  } catch {
    await chrome.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [...CONTENT_FILES] });
    await chrome.tabs.sendMessage(tabId, message, { frameId });
  }
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  answer(message, sender).then(
    (result) => sendResponse({ ok: true, result }),
    (error) => sendResponse({ ok: false, error: error.message }),
  );
  return true; // the answer comes asynchronously
});

async function answer(message, sender) {
  // The popup and options pages, not a content script (whose sender.url is the web page's).
  const fromExtensionPage = sender.id === chrome.runtime.id && String(sender.url).startsWith(chrome.runtime.getURL(""));
  switch (message && message.type) {
    case MSG.PAGE_SETTINGS:
      return pageSettings();
    case MSG.STATUS:
      return checkHealth(await loadSettings());
    case MSG.REPORT_OUTCOME:
      return reportOutcome(await loadSettings(), message.historyId, message.outcome, message.final);
    case MSG.GET_SETTINGS:
      if (!fromExtensionPage) throw new Error("settings are for the extension's own pages");
      return publicSettings(await loadSettings());
    case MSG.SAVE_SETTINGS:
      if (!fromExtensionPage) throw new Error("settings can only be changed from the extension's own pages");
      return publicSettings(await saveSettings(message.changes || {}));
    default:
      throw new Error(`unknown message ${JSON.stringify(message && message.type)}`);
  }
}

// Settings for the extension's own pages: the token is replaced by whether there is one.
function publicSettings(settings) {
  const { token, ...rest } = settings;
  return { ...rest, hasToken: Boolean(token) };
}

// A rewrite: the page sends one request on a port and hears the server's events back;
// the page disconnecting (cancel, tab closed) aborts the request, which stops the model.
chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== PORT_REWRITE) return;
  const controller = new AbortController();
  port.onDisconnect.addListener(() => controller.abort());
  port.onMessage.addListener(async (request) => {
    const send = (event, data) => {
      if (!controller.signal.aborted) port.postMessage({ event, data });
    };
    try {
      const settings = await loadSettings();
      const body = {
        draft: String(request.draft || ""),
        customer_message: String(request.customerMessage || ""),
        customer_name: String(request.customerName || ""),
        agent_name: settings.agentName,
      };
      const tone = request.tone in TONES ? request.tone : settings.tone;
      if (tone) body.tone = tone;
      const signOff = request.signOff !== false;
      if (!signOff) body.sign_off = false;
      await streamRewrite(settings, body, (event, data) => {
        if (event === "done" && !request.selectionOnly && signOff) data.reply = withSignature(data.reply, settings.signature);
        send(event, data);
      }, controller.signal);
    } catch (error) {
      if (!controller.signal.aborted) send("error", { code: error.code || "failed", message: error.message });
    }
  });
});

function withSignature(reply, signature) {
  if (!signature || reply.includes(signature)) return reply;
  return `${reply}\n\n${signature}`;
}
