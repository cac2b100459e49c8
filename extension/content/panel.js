// What the agent sees: the "Warm it up" button, and a small panel beside the compose box
// with progress, the reply as it streams in, what was kept, what changed, errors and Undo.
// Built with DOM calls only (Gmail enforces Trusted Types), in a shadow root so neither the
// site's styles nor ours leak across.

/* exported makeButton, Panel */

const STAGES = { facts: "Reading the facts…", mirror: "Writing the opening…", answer: "Writing the reply…" };
const STAGE_ORDER = ["facts", "mirror", "answer"];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

function makeButton(onClick) {
  const button = el("button", { type: "button", "data-warmitup": "button", title: "Warm it up: rewrite this draft warmly, on this machine" });
  button.textContent = "Warm it up";
  Object.assign(button.style, {
    margin: "0 8px", padding: "6px 12px", border: "1px solid #c2410c", borderRadius: "16px",
    background: "#fff7ed", color: "#9a3412", font: "500 13px/1.2 system-ui, sans-serif", cursor: "pointer",
    whiteSpace: "nowrap",
  });
  // Keep the editor's focus and selection: "rewrite only what I selected" depends on it.
  button.addEventListener("mousedown", (event) => event.preventDefault());
  button.addEventListener("click", (event) => {
    event.preventDefault();
    event.stopPropagation();
    onClick();
  });
  return button;
}

function setButtonState(button, state, fraction = 0) {
  if (!button) return;
  button.dataset.state = state;
  button.setAttribute("aria-busy", String(state === "working"));
  button.textContent = state === "working" ? `Warming… ${Math.round(fraction * 100)}% (click to cancel)` : "Warm it up";
  button.style.background = state === "working"
    ? `linear-gradient(90deg, #fed7aa ${fraction * 100}%, #fff7ed ${fraction * 100}%)`
    : "#fff7ed";
}

const PANEL_CSS = `
  :host { all: initial; }
  .panel { position: fixed; z-index: 2147483000; width: 380px; max-height: 60vh; overflow: auto;
    box-sizing: border-box; padding: 12px 14px; background: #fff; color: #1f2937; border: 1px solid #fdba74;
    border-radius: 10px; box-shadow: 0 8px 24px rgba(0,0,0,.18); font: 13px/1.45 system-ui, sans-serif; }
  header { display: flex; justify-content: space-between; align-items: center; font-weight: 600; color: #9a3412; }
  .close { border: 0; background: none; font-size: 18px; cursor: pointer; color: #6b7280; }
  progress { width: 100%; height: 6px; accent-color: #ea580c; }
  .status { margin: 6px 0; }
  .error { margin: 6px 0; padding: 8px; border-radius: 6px; background: #fef2f2; color: #991b1b; }
  .context { color: #6b7280; font-size: 12px; }
  .preview { white-space: pre-wrap; margin: 8px 0; padding: 8px; background: #fffbf5; border-radius: 6px; }
  .facts { margin: 6px 0; color: #166534; }
  .facts code { background: #f0fdf4; padding: 0 3px; border-radius: 3px; }
  details { margin: 6px 0; }
  .diff { white-space: pre-wrap; }
  ins { background: #dcfce7; text-decoration: none; }
  del { background: #fee2e2; }
  .actions { display: flex; gap: 8px; justify-content: flex-end; margin-top: 8px; }
  .actions button { padding: 5px 12px; border-radius: 14px; border: 1px solid #d1d5db; background: #fff; cursor: pointer; }
  .actions button.primary { border-color: #c2410c; background: #ea580c; color: #fff; }
  [hidden] { display: none !important; }
`;

class Panel {
  constructor(anchor) {
    this.anchor = anchor;
    this.host = el("div", { "data-warmitup": "panel" });
    const root = this.host.attachShadow({ mode: "open" });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(PANEL_CSS);
    root.adoptedStyleSheets = [sheet];

    this.closeButton = el("button", { class: "close", "aria-label": "Close", "data-action": "close", text: "×" });
    this.progress = el("progress", { max: "1", value: "0" });
    this.status = el("div", { class: "status", role: "status", "aria-live": "polite" });
    this.contextLine = el("div", { class: "context", "data-part": "context", hidden: "" });
    this.errorBox = el("div", { class: "error", role: "alert", hidden: "" });
    this.previewBox = el("div", { class: "preview", "data-part": "preview", hidden: "" });
    this.factsBox = el("div", { class: "facts", "data-part": "facts", hidden: "" });
    this.diffBox = el("div", { class: "diff", "data-part": "diff" });
    this.details = el("details", { hidden: "" }, el("summary", { text: "What changed" }), this.diffBox);
    this.cancelButton = el("button", { "data-action": "cancel", text: "Cancel" });
    this.undoButton = el("button", { "data-action": "undo", text: "Undo", hidden: "" });
    this.copyButton = el("button", { "data-action": "copy", text: "Copy reply", hidden: "" });
    this.doneButton = el("button", { class: "primary", "data-action": "done", text: "Done", hidden: "" });
    this.box = el(
      "div", { class: "panel", role: "dialog", "aria-label": "Warm It Up" },
      el("header", {}, el("span", { text: "Warm It Up" }), this.closeButton),
      this.progress, this.status, this.contextLine, this.errorBox, this.previewBox, this.factsBox, this.details,
      el("div", { class: "actions" }, this.copyButton, this.undoButton, this.cancelButton, this.doneButton),
    );
    root.append(this.box);
    this.handlers = {};
    for (const button of [this.closeButton, this.cancelButton, this.undoButton, this.copyButton, this.doneButton]) {
      button.addEventListener("mousedown", (event) => event.preventDefault());
      button.addEventListener("click", () => (this.handlers[button.dataset.action] || (() => this.remove()))());
    }
  }

  on(action, handler) {
    this.handlers[action] = handler;
    return this;
  }

  show() {
    if (!this.host.isConnected) document.body.append(this.host);
    this.place();
  }

  // Below the button when there is room (the editor is above it), otherwise above it.
  place() {
    const rect = (this.anchor && this.anchor.isConnected ? this.anchor : document.body).getBoundingClientRect();
    const width = 380;
    const left = rect.left + width <= window.innerWidth - 8 ? rect.left : rect.right - width;
    this.box.style.left = `${Math.max(8, left)}px`;
    if (window.innerHeight - rect.bottom >= 260 || rect.top < 260) {
      this.box.style.top = `${Math.min(window.innerHeight - 120, rect.bottom + 8)}px`;
      this.box.style.bottom = "";
    } else {
      this.box.style.bottom = `${Math.max(8, window.innerHeight - rect.top + 8)}px`;
      this.box.style.top = "";
    }
  }

  remove() {
    this.host.remove();
    if (this.handlers.closed) this.handlers.closed();
  }

  // Which message the rewrite answers, so the agent can tell it read the right one.
  context(name, message) {
    const quote = message.length > 90 ? `${message.slice(0, 90).trimEnd()}…` : message;
    this.contextLine.textContent = message
      ? `Answering ${name || "the customer"}: “${quote}”`
      : "No customer message found here; warming the draft on its own.";
    this.contextLine.hidden = false;
  }

  working(stage) {
    const step = Math.max(0, STAGE_ORDER.indexOf(stage)) + 1;
    const fraction = step / (STAGE_ORDER.length + 1);
    this.progress.value = fraction;
    this.progress.hidden = false;
    this.status.textContent = STAGES[stage] || "Warming up your draft…";
    this.cancelButton.hidden = false;
    this.show();
    return fraction;
  }

  preview(text) {
    this.previewBox.hidden = !text;
    this.previewBox.textContent = text;
  }

  error(message, reply = "") {
    this.progress.hidden = true;
    this.cancelButton.hidden = true;
    this.status.textContent = "";
    this.errorBox.hidden = false;
    this.errorBox.textContent = message;
    this.preview(reply);
    this.copyButton.hidden = !reply;
    this.doneButton.hidden = false;
    this.doneButton.textContent = "Close";
    this.show();
  }

  finished({ message, facts, changes }) {
    this.progress.hidden = true;
    this.cancelButton.hidden = true;
    this.status.textContent = message;
    this.preview("");
    this.factsBox.replaceChildren();
    if (facts.length) {
      this.factsBox.append("Kept exactly: ");
      facts.forEach((fact, i) => {
        if (i) this.factsBox.append(" · ");
        this.factsBox.append(el("code", { text: fact }));
      });
    } else {
      this.factsBox.append("No numbers, dates, links or names to protect in this draft.");
    }
    this.factsBox.hidden = false;
    this.diffBox.replaceChildren(...(changes || []).map((part) =>
      part.op === "same" ? document.createTextNode(part.text) : el(part.op === "added" ? "ins" : "del", { text: part.text })));
    this.details.hidden = !changes;
    this.undoButton.hidden = false;
    this.doneButton.hidden = false;
    this.doneButton.textContent = "Done";
    this.show();
  }

  undone(message) {
    this.undoButton.hidden = true;
    this.details.hidden = true;
    this.factsBox.hidden = true;
    this.status.textContent = message;
  }
}
