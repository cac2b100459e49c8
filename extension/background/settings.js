// The extension's settings, in chrome.storage.local, readable by the extension's own pages
// and this worker only: content scripts ask the worker and never see the token.

/* exported loadSettings, saveSettings, pageSettings */

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

async function loadSettings() {
  const stored = await chrome.storage.local.get(Object.keys(DEFAULT_SETTINGS));
  return { ...DEFAULT_SETTINGS, ...stored, sites: { ...DEFAULT_SETTINGS.sites, ...(stored.sites || {}) } };
}

// Checks and stores `changes`; throws an Error saying what is wrong, storing nothing.
async function saveSettings(changes) {
  const clean = {};
  for (const [key, value] of Object.entries(changes)) {
    if (!(key in DEFAULT_SETTINGS)) throw new Error(`unknown setting "${key}"`);
    clean[key] = value;
  }
  if ("serverUrl" in clean) clean.serverUrl = checkServerUrl(clean.serverUrl);
  if ("tone" in clean && !(clean.tone in TONES)) throw new Error(`unknown tone "${clean.tone}"`);
  for (const key of ["token", "agentName", "signature"]) {
    if (key in clean) clean[key] = String(clean[key]).trim();
  }
  if ("agentName" in clean && clean.agentName.length > 100) throw new Error("Your name can be at most 100 characters.");
  if ("token" in clean && /\s/.test(clean.token)) throw new Error("The token has spaces in it; paste exactly what `warmitup token` prints.");
  await chrome.storage.local.set(clean);
  return loadSettings();
}

// Only a server on this machine: no draft may leave it.
function checkServerUrl(value) {
  let url;
  try {
    url = new URL(String(value).trim());
  } catch {
    throw new Error(`"${value}" is not an address; use e.g. http://127.0.0.1:8787`);
  }
  if (url.protocol !== "http:" || !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new Error("The server must run on this machine: use http://127.0.0.1:<port> (or localhost).");
  }
  return url.origin;
}

// What a web page's content script may know: no token, no server address.
async function pageSettings() {
  const settings = await loadSettings();
  const commands = await chrome.commands.getAll();
  const shortcut = (commands.find((c) => c.name === "warm-it-up") || {}).shortcut || "";
  return { tone: settings.tone, sites: settings.sites, agentName: settings.agentName, shortcut };
}
