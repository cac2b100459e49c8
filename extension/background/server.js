// The only code in the extension that talks to the Warm It Up server (the service worker's).
// A fetch from here carries Origin: chrome-extension://<our id>, which the server allows;
// a content script's fetch would count as the web page's and be refused.

/* exported ServerError, checkHealth, streamRewrite, reportOutcome, START_HINT */

const START_HINT = "Start Warm It Up: run scripts/serve in the warmitup folder (or `warmitup serve`).";
const PAIR_HINT = "Pair the extension: run `warmitup token` and paste the token in Warm It Up's options.";
const STOPPED_MIDWAY = "The server stopped before the rewrite was finished (was it closed or restarted?).";

class ServerError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function serverUrl(settings, path) {
  try {
    return new URL(path, settings.serverUrl);
  } catch {
    throw new ServerError("bad_address", `The server address "${settings.serverUrl}" is not a web address; fix it in the options.`);
  }
}

async function serverFetch(settings, path, init = {}) {
  const headers = { ...(init.headers || {}) };
  if (settings.token) headers.Authorization = `Bearer ${settings.token}`;
  let response;
  try {
    response = await fetch(serverUrl(settings, path), { ...init, headers, cache: "no-store", credentials: "omit" });
  } catch (error) {
    if (error instanceof ServerError || init.signal?.aborted) throw error;
    throw new ServerError("unreachable", `Warm It Up isn't running at ${settings.serverUrl}. ${START_HINT}`);
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

async function errorFrom(response) {
  let error = {};
  try {
    error = (await response.json()).error || {};
  } catch {
    // not our server's JSON: described by its status below
  }
  const known = {
    unauthorized: PAIR_HINT,
    model_loading: "The model is still loading; try again in a few seconds.",
    model_unavailable: `The server could not load its model: ${error.message || "see its log"}.`,
    busy: "Warm It Up is busy with other rewrites; try again in a moment.",
    forbidden_origin: "The server refused this extension (its id does not match); reinstall Warm It Up.",
    bad_host: "The server refused the address; use http://127.0.0.1:<port> in the options.",
  };
  const message = known[error.code] || error.message || `The server answered ${response.status} ${response.statusText}.`;
  return new ServerError(error.code || `http_${response.status}`, message);
}

async function checkHealth(settings) {
  try {
    const body = await (await serverFetch(settings, "/v1/health")).json();
    return {
      reachable: true,
      status: body.status,
      paired: Boolean(body.paired),
      model: body.model ? body.model.name : null,
      version: body.version,
      message: body.paired ? "" : PAIR_HINT,
    };
  } catch (error) {
    return { reachable: false, status: "unreachable", paired: false, model: null, message: error.message };
  }
}

// POST /v1/rewrite/stream and hand each Server-Sent Event to onEvent(event, data).
async function streamRewrite(settings, body, onEvent, signal) {
  const response = await serverFetch(settings, "/v1/rewrite/stream", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let finished = false;
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch (error) {
      // A cancel aborts the read; anything else is the connection breaking mid-stream
      // (Chrome says only "network error"), which is the server stopping.
      if (signal?.aborted) throw error;
      break;
    }
    const { value, done } = chunk;
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = parseEvent(block);
      if (!event) continue; // a keep-alive comment
      if (event.name === "done" || event.name === "error") finished = true;
      onEvent(event.name, event.data);
    }
  }
  if (!finished) throw new ServerError("interrupted", STOPPED_MIDWAY);
}

function parseEvent(block) {
  let name = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue;
    if (line.startsWith("event:")) name = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
  }
  return data.length ? { name, data: JSON.parse(data.join("\n")) } : null;
}

// What the agent did with a reply, for the history the agent turned on (the server keeps
// nothing when it is off, and then the reply has no history id to report against).
async function reportOutcome(settings, historyId, outcome, final = "") {
  if (!Number.isInteger(historyId)) throw new ServerError("no_history", "this rewrite was not kept in the history");
  const response = await serverFetch(settings, `/v1/history/${historyId}/outcome`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ outcome, final }),
  });
  return response.json();
}
