// Shared by the popup and the options page: the server's status in one sentence.

/* exported describeStatus */

// One sentence for a person, and whether all is well.
function describeStatus(status) {
  if (!status.reachable) return { ok: false, text: status.message };
  if (status.status === "loading") return { ok: false, text: "Server running; the model is still loading." };
  if (status.status === "error") return { ok: false, text: "The server is running but could not load its model; see its log." };
  if (!status.paired) return { ok: false, text: status.message };
  const model = status.model ? ` with ${status.model}` : "";
  return { ok: true, text: `Ready${model} (server ${status.version}).` };
}
