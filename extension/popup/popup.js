// The toolbar popup: is the server there, which model, and the tone for the next rewrites.

const statusLine = document.getElementById("status");
const toneSelect = document.getElementById("tone");

async function main() {
  const settings = await askWorker(MSG.GET_SETTINGS);
  for (const [value, label] of Object.entries(TONES)) toneSelect.append(new Option(label, value, false, value === settings.tone));
  toneSelect.addEventListener("change", async () => {
    await askWorker(MSG.SAVE_SETTINGS, { changes: { tone: toneSelect.value } });
  });
  const commands = await chrome.commands.getAll();
  const command = commands.find((c) => c.name === "warm-it-up");
  document.getElementById("shortcut").textContent = (command && command.shortcut) || "no shortcut set";
  document.getElementById("options").addEventListener("click", (event) => {
    event.preventDefault();
    chrome.runtime.openOptionsPage();
  });
  const { ok, text } = describeStatus(await askWorker(MSG.STATUS));
  statusLine.textContent = text;
  statusLine.dataset.state = ok ? "ok" : "problem";
}

main().catch((error) => {
  statusLine.textContent = error.message;
  statusLine.dataset.state = "problem";
});
