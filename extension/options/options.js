// The options page: server address and pairing, the agent's name and signature, tone, sites.

const form = document.getElementById("form");
const statusLine = document.getElementById("status");
const savedLine = document.getElementById("saved");

async function showStatus() {
  statusLine.textContent = "Checking the server…";
  const { ok, text } = describeStatus(await askWorker(MSG.STATUS));
  statusLine.textContent = text;
  statusLine.dataset.state = ok ? "ok" : "problem";
}

function fill(settings) {
  form.serverUrl.value = settings.serverUrl;
  form.token.value = "";
  form.token.placeholder = settings.hasToken ? "paired (paste a new token to change it)" : "paste what `warmitup token` prints";
  form.agentName.value = settings.agentName;
  form.signature.value = settings.signature;
  form.tone.value = settings.tone;
  form.gmail.checked = settings.sites.gmail;
  form.zendesk.checked = settings.sites.zendesk;
}

async function main() {
  for (const [value, label] of Object.entries(TONES)) form.tone.append(new Option(label, value));
  const commands = await chrome.commands.getAll();
  const command = commands.find((c) => c.name === "warm-it-up");
  document.getElementById("shortcut").textContent = (command && command.shortcut) || "none set";
  fill(await askWorker(MSG.GET_SETTINGS));
  await showStatus();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const changes = {
    serverUrl: form.serverUrl.value,
    agentName: form.agentName.value,
    signature: form.signature.value,
    tone: form.tone.value,
    sites: { gmail: form.gmail.checked, zendesk: form.zendesk.checked },
  };
  if (form.token.value.trim()) changes.token = form.token.value;
  savedLine.dataset.state = "";
  try {
    fill(await askWorker(MSG.SAVE_SETTINGS, { changes }));
    savedLine.textContent = "Saved. Reload open Gmail or Zendesk tabs for site changes.";
    savedLine.dataset.state = "ok";
  } catch (error) {
    savedLine.textContent = `Not saved: ${error.message}`;
    savedLine.dataset.state = "problem";
    return;
  }
  await showStatus();
});

main().catch((error) => {
  statusLine.textContent = error.message;
  statusLine.dataset.state = "problem";
});
