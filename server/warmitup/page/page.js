// The settings page: try a rewrite, edit team profiles, import and export them, and the
// history. Same-origin calls to the API; the session cookie is what lets them in.
"use strict";

const $ = (id) => document.getElementById(id);
let profiles = [];
let activeId = null;
let editingId = null; // null while writing a new profile

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

async function api(method, path, body, raw = false) {
  const init = { method, headers: {}, credentials: "same-origin" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = raw ? body : JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error((data.error && data.error.message) || `the server answered ${response.status}`);
    error.problems = (data.error && data.error.problems) || [];
    error.status = response.status;
    throw error;
  }
  return data;
}

function showError(box, error) {
  box.hidden = !error;
  if (!error) return;
  if (error.status === 401) {
    box.textContent = "This page's session has ended. Run `warmitup open` for a new link.";
  } else if (error.problems && error.problems.length) {
    box.textContent = `Not saved. Fix these and try again:\n• ${error.problems.join("\n• ")}`;
  } else {
    box.textContent = error.message;
  }
}

function say(box, text) {
  box.textContent = text;
}

// --- status -----------------------------------------------------------------------------

async function loadStatus() {
  try {
    const health = await api("GET", "/v1/health");
    const model = health.model ? health.model.name : "no model";
    say($("status"), health.status === "ok" ? `Running, with ${model}.` : `Server ${health.status}.`);
  } catch (error) {
    say($("status"), error.message);
  }
}

$("logout").addEventListener("click", async () => {
  await api("POST", "/page/logout");
  location.reload();
});

// --- try a rewrite --------------------------------------------------------------------------

$("try-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const body = {
    draft: form.draft.value,
    customer_message: form.customer_message.value,
    customer_name: form.customer_name.value,
    agent_name: form.agent_name.value,
  };
  if (form.tone.value) body.tone = form.tone.value;
  body.profile = form.profile.value === "active" || form.profile.value === "none" ? form.profile.value : Number(form.profile.value);
  $("try-submit").disabled = true;
  $("try-submit").textContent = "Warming…";
  showError($("try-error"), null);
  try {
    showResult(await api("POST", "/v1/rewrite", body));
    await loadHistory();
  } catch (error) {
    $("try-result").hidden = true;
    showError($("try-error"), error);
  } finally {
    $("try-submit").disabled = false;
    $("try-submit").textContent = "Warm it up";
  }
});

// The reply with every protected fact marked, the facts listed, and the word diff.
function showResult(result) {
  const facts = [...new Set(result.facts.map((f) => f.text))].sort((a, b) => b.length - a.length);
  const reply = $("try-reply");
  reply.replaceChildren();
  let rest = result.reply;
  while (rest) {
    let next = null;
    for (const fact of facts) {
      const at = rest.indexOf(fact);
      if (at >= 0 && (next === null || at < next.at)) next = { at, fact };
    }
    if (!next) {
      reply.append(rest);
      break;
    }
    reply.append(rest.slice(0, next.at), el("mark", { text: next.fact }));
    rest = rest.slice(next.at + next.fact.length);
  }
  say($("try-facts"), facts.length ? `Kept exactly: ${facts.join(" · ")}` : "No facts to protect in this draft.");
  $("try-diff").replaceChildren(...result.changes.map((part) =>
    part.op === "same" ? document.createTextNode(part.text) : el(part.op === "added" ? "ins" : "del", { text: part.text })));
  $("try-result").hidden = false;
}

// --- profiles -------------------------------------------------------------------------------

async function loadProfiles(selectId) {
  const data = await api("GET", "/v1/profiles");
  profiles = data.profiles;
  activeId = data.active;
  const active = $("active-profile");
  active.replaceChildren(new Option("None (built-in voice)", ""));
  const tryProfile = $("try-profile");
  tryProfile.replaceChildren(new Option("The active one", "active"), new Option("None", "none"));
  for (const p of profiles) {
    active.append(new Option(p.name, String(p.id), false, p.id === activeId));
    tryProfile.append(new Option(p.name, String(p.id)));
  }
  const chosen = profiles.find((p) => p.id === (selectId !== undefined ? selectId : editingId ?? activeId));
  if (chosen) editProfile(chosen);
  else if (!profiles.length) $("profile-form").hidden = true;
}

$("active-profile").addEventListener("change", async (event) => {
  const id = event.target.value ? Number(event.target.value) : null;
  try {
    await api("PUT", "/v1/profiles/active", { id });
    say($("profiles-message"), id ? "Active profile changed." : "No profile is active now.");
    await loadProfiles(id ?? undefined);
  } catch (error) {
    showError($("profiles-error"), error);
  }
});

function exampleRow(example = { draft: "", reply: "" }) {
  const remove = el("button", { type: "button", class: "danger", text: "Remove" });
  const row = el("div", { class: "example" },
    el("label", {}, "Draft", el("textarea", { rows: "3", "data-field": "draft" })),
    el("label", {}, "Your team's reply", el("textarea", { rows: "3", "data-field": "reply" })),
    remove);
  row.querySelector('[data-field="draft"]').value = example.draft;
  row.querySelector('[data-field="reply"]').value = example.reply;
  row.dataset.customerMessage = example.customer_message || "";
  remove.addEventListener("click", () => row.remove());
  return row;
}

function editProfile(profile) {
  editingId = profile ? profile.id : null;
  const form = $("profile-form");
  const p = profile || { name: "", greeting: "", signoff: "", avoid: [], keep_words: [], formality: "warm", emoji: false, examples: [] };
  form.hidden = false;
  say($("profile-title"), profile ? `Profile: ${p.name}` : "New profile");
  form.name.value = p.name;
  form.greeting.value = p.greeting;
  form.signoff.value = p.signoff;
  form.formality.value = p.formality;
  form.emoji.checked = p.emoji;
  form.avoid.value = p.avoid.map((r) => `${r.phrase} => ${r.instead}`.trimEnd()).join("\n");
  form.keep_words.value = p.keep_words.join("\n");
  $("examples").replaceChildren(...p.examples.map(exampleRow));
  $("export-profile").hidden = !profile;
  $("delete-profile").hidden = !profile;
  if (profile) $("export-profile").href = `/v1/profiles/${profile.id}/export`;
}

function profileFromForm() {
  const form = $("profile-form");
  const lines = (text) => text.split("\n").map((l) => l.trim()).filter(Boolean);
  return {
    name: form.name.value,
    greeting: form.greeting.value,
    signoff: form.signoff.value,
    formality: form.formality.value,
    emoji: form.emoji.checked,
    avoid: lines(form.avoid.value).map((line) => {
      const [phrase, ...instead] = line.split("=>");
      return { phrase: phrase.trim(), instead: instead.join("=>").trim() };
    }),
    keep_words: lines(form.keep_words.value),
    examples: [...$("examples").children].map((row) => {
      const example = {
        draft: row.querySelector('[data-field="draft"]').value,
        reply: row.querySelector('[data-field="reply"]').value,
      };
      if (row.dataset.customerMessage) example.customer_message = row.dataset.customerMessage;
      return example;
    }),
  };
}

$("new-profile").addEventListener("click", () => editProfile(null));
$("add-example").addEventListener("click", () => $("examples").append(exampleRow()));

$("profile-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  showError($("profiles-error"), null);
  try {
    const saved = editingId === null
      ? await api("POST", "/v1/profiles", profileFromForm())
      : await api("PUT", `/v1/profiles/${editingId}`, profileFromForm());
    say($("profiles-message"), `Saved "${saved.name}".`);
    await loadProfiles(saved.id);
  } catch (error) {
    showError($("profiles-error"), error);
  }
});

$("delete-profile").addEventListener("click", async () => {
  const profile = profiles.find((p) => p.id === editingId);
  if (!profile || !confirm(`Delete the profile "${profile.name}"?`)) return;
  await api("DELETE", `/v1/profiles/${profile.id}`);
  editingId = null;
  say($("profiles-message"), `Deleted "${profile.name}".`);
  $("profile-form").hidden = true;
  await loadProfiles();
});

$("import-file").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  event.target.value = "";
  if (!file) return;
  showError($("profiles-error"), null);
  try {
    const imported = await api("POST", "/v1/profiles/import", await file.text(), true);
    say($("profiles-message"), `${imported.replaced ? "Replaced" : "Imported"} "${imported.name}" from ${file.name}.`);
    await loadProfiles(imported.id);
  } catch (error) {
    showError($("profiles-error"), Object.assign(error, { message: `${file.name} was not imported: ${error.message}` }));
    if (error.problems.length) $("profiles-error").textContent = `${file.name} was not imported; nothing changed:\n• ${error.problems.join("\n• ")}`;
  }
});

// --- history ----------------------------------------------------------------------------------

async function loadHistory() {
  const data = await api("GET", "/v1/history");
  const form = $("history-form");
  form.enabled.checked = data.settings.enabled;
  form.retention_days.value = data.settings.retention_days;
  form.retention_count.value = data.settings.retention_count;
  for (const control of form.elements) control.disabled = false;  // the saved settings are in
  const list = $("history-list");
  list.replaceChildren(...data.entries.map(historyItem));
  if (!data.entries.length) list.append(el("li", { class: "meta", text: data.settings.enabled ? "Nothing yet." : "History is off." }));
  if (!data.settings.enabled && data.entries.length) say($("history-message"), historyState(data));
  return data;
}

// What is kept, said as it is: turning history off stops keeping new rewrites, and those
// kept before stay until they expire or are cleared.
function historyState(data) {
  if (data.settings.enabled) return "History is on.";
  const kept = data.entries.length;
  if (!kept) return "History is off: rewrites are not kept.";
  const rewrites = kept === 1 ? "1 rewrite kept before stays" : `${kept} rewrites kept before stay`;
  return `History is off: new rewrites are not kept. The ${rewrites} until deleted with Clear all history ` +
    `(or for ${data.settings.retention_days} days at most).`;
}

function historyItem(entry) {
  const when = new Date(entry.at * 1000).toLocaleString();
  const item = el("li", { "data-entry": String(entry.id) },
    el("div", { class: "meta", text: `${when} · ${entry.outcome}${entry.profile ? ` · ${entry.profile}` : ""}` }),
    el("div", { class: "text", text: `Draft: ${entry.draft}` }),
    el("div", { class: "text", text: `Reply: ${entry.final || entry.reply}` }));
  if ((entry.outcome === "kept" || entry.outcome === "edited") && activeId) {
    const use = el("button", { type: "button", class: "quiet", text: "Use as an example for the active profile" });
    use.addEventListener("click", async () => {
      try {
        await api("POST", `/v1/history/${entry.id}/example`, { profile: activeId });
        say($("history-message"), "Added to the profile's examples.");
        await loadProfiles(activeId);
      } catch (error) {
        showError($("history-error"), error);
      }
    });
    item.append(use);
  }
  return item;
}

$("history-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  showError($("history-error"), null);
  try {
    await api("PUT", "/v1/history/settings", {
      enabled: form.enabled.checked,
      retention_days: Number(form.retention_days.value),
      retention_count: Number(form.retention_count.value),
    });
    say($("history-message"), historyState(await loadHistory()));
  } catch (error) {
    showError($("history-error"), error);
  }
});

$("clear-history").addEventListener("click", async () => {
  if (!confirm("Delete every rewrite kept in the history?")) return;
  const { removed } = await api("DELETE", "/v1/history");
  say($("history-message"), `Cleared: ${removed} rewrite${removed === 1 ? "" : "s"} deleted.`);
  await loadHistory();
});

loadStatus();
loadProfiles().then(loadHistory).catch((error) => showError($("profiles-error"), error));
