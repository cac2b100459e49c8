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

const BUTTON_TITLE = "Warm it up: rewrite this draft warmly, on this machine";
const BUTTON_TITLE_WORKING = "Click to cancel: your draft stays as it is";

// Shaped like Gmail's own Send-row controls (a 36px pill, Google Sans where there is one),
// so it sits in the row as one of them; its colour says it isn't Gmail's.
function makeButton(onClick) {
  const button = el("button", { type: "button", "data-warmitup": "button", title: BUTTON_TITLE });
  button.textContent = "Warm it up";
  Object.assign(button.style, {
    display: "inline-flex", alignItems: "center", flex: "none", boxSizing: "border-box", height: "36px",
    margin: "0 4px 0 8px", padding: "0 16px", border: "1px solid #c2410c", borderRadius: "18px",
    background: "#fff7ed", color: "#9a3412", font: '500 14px/20px "Google Sans", Roboto, system-ui, sans-serif',
    letterSpacing: ".25px", cursor: "pointer", whiteSpace: "nowrap", verticalAlign: "middle",
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
  button.title = state === "working" ? BUTTON_TITLE_WORKING : BUTTON_TITLE;
  button.textContent = state === "working" ? `Warming… ${Math.round(fraction * 100)}%` : "Warm it up";
  button.style.background = state === "working"
    ? `linear-gradient(90deg, #fed7aa ${fraction * 100}%, #fff7ed ${fraction * 100}%)`
    : "#fff7ed";
}

// The panel is a column: its header and buttons always show, the middle scrolls when the
// space beside the compose box is short (a small window, "What changed" open).
const PANEL_CSS = `
  :host { all: initial; }
  .panel { position: fixed; z-index: 2147483000; display: flex; flex-direction: column;
    box-sizing: border-box; padding: 12px 14px; background: #fff; color: #1f2937; border: 1px solid #fdba74;
    border-radius: 10px; box-shadow: 0 8px 24px rgba(0,0,0,.18); font: 13px/1.45 system-ui, sans-serif; }
  header { flex: none; display: flex; justify-content: space-between; align-items: center; font-weight: 600; color: #9a3412; }
  .content { flex: 1 1 auto; min-height: 0; overflow: auto; overscroll-behavior: contain; }
  .close { border: 0; background: none; font-size: 18px; cursor: pointer; color: #6b7280; }
  progress { width: 100%; height: 6px; accent-color: #ea580c; }
  .status { margin: 6px 0; }
  .error { margin: 6px 0; padding: 8px; border-radius: 6px; background: #fef2f2; color: #991b1b; }
  .context { color: #6b7280; font-size: 12px; }
  .preview { white-space: pre-wrap; margin: 8px 0; padding: 8px; background: #fffbf5; border-radius: 6px; }
  .facts { margin: 6px 0; color: #166534; }
  .facts code { background: #f0fdf4; padding: 0 3px; border-radius: 3px; }
  details { margin: 6px 0; }
  summary { cursor: pointer; }
  .diff { white-space: pre-wrap; }
  ins { background: #dcfce7; text-decoration: none; }
  del { background: #fee2e2; }
  .actions { flex: none; display: flex; gap: 8px; justify-content: flex-end; margin-top: 8px; }
  .actions button { padding: 5px 12px; border-radius: 14px; border: 1px solid #d1d5db; background: #fff; cursor: pointer; }
  .actions button.primary { border-color: #c2410c; background: #ea580c; color: #fff; }
  [hidden] { display: none !important; }
`;

const PANEL_WIDTH = 380;
const MARGIN = 8;
const MIN_WIDTH = 260; // narrower than this, the diff is unreadable
const MIN_HEIGHT = 150; // the header, two lines and the buttons
const ROOMY = 240; // enough to read a reply without scrolling much

class Panel {
  // `anchor`: what the panel belongs to (our button, or the editor); `keepClear()`: the
  // rectangles it must not cover, the compose box first, then the text in it.
  constructor(anchor, keepClear = null) {
    this.anchor = anchor;
    this.keepClear = keepClear;
    this.region = "";
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
    this.content = el(
      "div", { class: "content" },
      this.progress, this.status, this.contextLine, this.errorBox, this.previewBox, this.factsBox, this.details,
    );
    this.box = el(
      "div", { class: "panel", role: "dialog", "aria-label": "Warm It Up" },
      el("header", {}, el("span", { text: "Warm It Up" }), this.closeButton),
      this.content,
      el("div", { class: "actions" }, this.copyButton, this.undoButton, this.cancelButton, this.doneButton),
    );
    root.append(this.box);
    this.details.addEventListener("toggle", () => this.place());
    // What changes size under the panel (its own parts as the reply streams in or "What changed"
    // opens, the compose box as the reply lands in it) moves it before the frame is painted:
    // the toggle event alone comes a task later, after a frame with the panel over the editor.
    this.resized = new ResizeObserver(() => this.place());
    this.watched = [this.previewBox, this.factsBox, this.details, this.errorBox, this.anchor].filter(Boolean);
    let frame = 0;
    // The page scrolls or resizes under a fixed panel: follow the compose box.
    this.follow = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => this.place());
    };
    this.handlers = {};
    for (const button of [this.closeButton, this.cancelButton, this.undoButton, this.copyButton, this.doneButton]) {
      button.addEventListener("mousedown", (event) => event.preventDefault());
      button.addEventListener("click", () => (this.handlers[button.dataset.action] || (() => this.remove()))());
    }
  }

  // Also follow `element`'s size (the compose box the anchor sits in).
  watch(element) {
    if (element) this.watched.push(element);
    if (element && this.host.isConnected) this.resized.observe(element);
    return this;
  }

  on(action, handler) {
    this.handlers[action] = handler;
    return this;
  }

  show() {
    if (!this.host.isConnected) {
      document.body.append(this.host);
      for (const element of this.watched) this.resized.observe(element);
      window.addEventListener("resize", this.follow);
      document.addEventListener("scroll", this.follow, { capture: true, passive: true });
    }
    this.place();
  }

  // Where the panel goes: below the button, beside the compose box, or above it, never over
  // the compose box (failing that, never over the text in it). It keeps its place while that
  // still has room, takes the roomiest otherwise, and scrolls inside when even that is
  // short; with no room anywhere (a tiny window) it docks at the bottom.
  place() {
    if (!this.host.isConnected) return;
    const view = { width: document.documentElement.clientWidth || window.innerWidth, height: window.innerHeight };
    view.height = Math.min(view.height, document.documentElement.clientHeight || view.height);
    const anchor = (this.anchor && this.anchor.isConnected ? this.anchor : document.body).getBoundingClientRect();
    const full = Math.min(PANEL_WIDTH, view.width - 2 * MARGIN);
    const natural = this.naturalHeight(full);
    const enough = Math.min(natural, ROOMY);
    let keep = anchor;
    let regions = [];
    for (const rect of [...(this.keepClear ? this.keepClear() : []), null]) {
      const visible = visiblePart(rect, view);
      keep = visible ? union(anchor, visible) : anchor;
      regions = freeRegions(keep, view, full);
      if (regions.length) break;
    }
    const roomiest = regions.slice().sort((a, b) => b.height - a.height)[0];
    const region = regions.find((r) => r.name === this.region && r.height >= enough) ||
      regions.find((r) => r.height >= natural) || regions.find((r) => r.height >= enough) || roomiest ||
      { name: "dock", top: MARGIN, bottom: view.height - MARGIN, height: view.height - 2 * MARGIN, width: full };
    this.region = region.name;

    const style = this.box.style;
    const height = Math.min(natural, region.height);
    style.width = `${region.width}px`;
    style.maxHeight = `${region.height}px`;
    if (region.name === "left" || region.name === "right") {
      // Beside the compose box: level with it where the window allows.
      style.left = `${region.name === "left" ? keep.left - MARGIN - region.width : keep.right + MARGIN}px`;
      style.top = `${clamp(keep.top, region.top, region.bottom - height)}px`;
    } else {
      const left = anchor.left + region.width <= view.width - MARGIN ? anchor.left : anchor.right - region.width;
      style.left = `${clamp(left, MARGIN, view.width - MARGIN - region.width)}px`;
      style.top = `${region.name === "below" ? region.top : region.bottom - height}px`;
    }
  }

  // The panel's height with nothing to hold it in, at `width`.
  naturalHeight(width) {
    const style = this.box.style;
    const saved = [style.width, style.maxHeight];
    style.width = `${width}px`;
    style.maxHeight = "none";
    const height = this.box.getBoundingClientRect().height;
    [style.width, style.maxHeight] = saved;
    return Math.ceil(height);
  }

  remove() {
    this.resized.disconnect();
    window.removeEventListener("resize", this.follow);
    document.removeEventListener("scroll", this.follow, { capture: true });
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
    this.place();
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
    this.place();
  }
}

const clamp = (value, low, high) => Math.max(low, Math.min(value, high));

// The parts of the window around `keep` with room for the panel, in the order it goes there.
function freeRegions(keep, view, full) {
  return [
    { name: "below", top: keep.bottom + MARGIN, bottom: view.height - MARGIN, width: full },
    { name: "right", top: MARGIN, bottom: view.height - MARGIN, width: view.width - keep.right - 2 * MARGIN },
    { name: "left", top: MARGIN, bottom: view.height - MARGIN, width: keep.left - 2 * MARGIN },
    { name: "above", top: MARGIN, bottom: keep.top - MARGIN, width: full },
  ].map((r) => ({ ...r, width: Math.min(r.width, PANEL_WIDTH), height: r.bottom - r.top }))
    .filter((r) => r.width >= MIN_WIDTH && r.height >= MIN_HEIGHT);
}

function union(a, b) {
  const left = Math.min(a.left, b.left);
  const top = Math.min(a.top, b.top);
  const right = Math.max(a.right, b.right);
  const bottom = Math.max(a.bottom, b.bottom);
  return { left, top, right, bottom, width: right - left, height: bottom - top };
}

// The part of `rect` inside the window, or null when none of it is.
function visiblePart(rect, view) {
  if (!rect || (!rect.width && !rect.height)) return null;
  const left = Math.max(rect.left, 0);
  const top = Math.max(rect.top, 0);
  const right = Math.min(rect.right, view.width);
  const bottom = Math.min(rect.bottom, view.height);
  return right > left && bottom > top ? { left, top, right, bottom, width: right - left, height: bottom - top } : null;
}
