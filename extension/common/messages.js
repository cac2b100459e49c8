// Names shared by the service worker, the content scripts, the popup and the options page.
// A classic script (not a module): content scripts and importScripts() can load it alike.

/* exported MSG, PORT_REWRITE, CONTENT_FILES, DEFAULT_SETTINGS, TONES, askWorker */

const MSG = Object.freeze({
  STATUS: "status", // popup, options -> worker: is the server reachable, paired, which model
  PAGE_SETTINGS: "page-settings", // content -> worker: the settings a page may know (never the token)
  GET_SETTINGS: "get-settings", // options, popup -> worker: the settings, the token as hasToken
  SAVE_SETTINGS: "save-settings", // options, popup -> worker: check and store changed settings
  WARM_FOCUSED: "warm-focused", // worker -> content: the shortcut or the context menu was used
  REPORT_OUTCOME: "report-outcome", // content -> worker: kept, edited or undone (kept only if history is on)
});

// One long-lived port per rewrite: disconnecting it is how a rewrite is cancelled.
const PORT_REWRITE = "rewrite";

// The content scripts, in load order; also injected on demand for the context menu.
const CONTENT_FILES = Object.freeze([
  "common/messages.js",
  "content/sites.js",
  "content/editors.js",
  "content/adapters.js",
  "content/panel.js",
  "content/main.js",
]);

// "" leaves the tone to the server's active team profile (or warm).
const TONES = Object.freeze({
  "": "The team profile's tone",
  "warm": "Warm",
  "formal-warm": "Formal and warm",
  "brief-warm": "Brief and warm",
});

const DEFAULT_SETTINGS = Object.freeze({
  serverUrl: "http://127.0.0.1:8787",
  token: "",
  agentName: "",
  signature: "",
  tone: "",
  sites: Object.freeze({ gmail: true, zendesk: true }),
});

// A message to the service worker and its answer, from a content script or an extension page.
function askWorker(type, extra = {}) {
  return chrome.runtime.sendMessage({ type, ...extra }).then((answer) => {
    if (!answer || !answer.ok) throw new Error((answer && answer.error) || "no answer from the extension");
    return answer.result;
  });
}
