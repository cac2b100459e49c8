// How to read and write each kind of editor, apart from where it sits on a site (adapters.js).
// Every write goes through the editor's own input path, so its undo (Ctrl+Z) brings the
// draft back: execCommand("insertText") for textareas and plain contenteditables, a paste
// event for CKEditor 5 (which ignores execCommand and innerHTML).

/* exported editorFor, textOf, sameText */

const BLOCK_TAGS = new Set(["DIV", "P", "LI", "UL", "OL", "H1", "H2", "H3", "H4", "H5", "H6", "BLOCKQUOTE", "PRE", "TR"]);

// The text of a node as a person reads it: <br> and block boundaries become line breaks.
function textOf(node) {
  const out = [];
  const walk = (n) => {
    if (n.nodeType === Node.TEXT_NODE) {
      out.push(n.data.replace(/\u00a0/g, " "));
      return;
    }
    if (n.nodeType !== Node.ELEMENT_NODE && n.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return;
    if (n.nodeName === "BR") {
      out.push("\n");
      return;
    }
    const block = BLOCK_TAGS.has(n.nodeName);
    if (block) out.push("\n");
    for (const child of n.childNodes) walk(child);
    if (block) out.push("\n");
  };
  walk(node);
  return out.join("").replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
}

// Whether two texts say the same thing, line breaks and spacing aside.
function sameText(a, b) {
  const norm = (s) => s.replace(/\s+/g, " ").trim();
  return norm(a) === norm(b);
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

// A line's spaces as HTML that keeps them: an editor reading pasted HTML collapses runs of
// spaces and drops a line's leading ones, as a browser renders them, which would reflow the
// code in a draft. A space that would be lost becomes &nbsp;, in the pattern CKEditor 5
// writes itself (" &nbsp;" for two spaces), which it reads back as plain spaces.
function keepSpaces(line) {
  return line.replace(/^ /, "&nbsp;").replace(/ {2}/g, " &nbsp;").replace(/ $/, "&nbsp;");
}

// Paragraphs (blank-line separated) as <p>, single line breaks as <br>.
function textToHtml(text) {
  return text
    .split(/\n{2,}/)
    .map((para) => `<p>${para.split("\n").map((line) => keepSpaces(escapeHtml(line))).join("<br>")}</p>`)
    .join("");
}

const tick = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

function selectRange(range) {
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

// Selects `range` and waits until the page has heard of it: CKEditor copies the DOM
// selection into its model on "selectionchange", and a paste before that lands at the caret.
async function selectAndSettle(range) {
  const heard = new Promise((resolve) => {
    document.addEventListener("selectionchange", resolve, { once: true });
    setTimeout(resolve, 300);
  });
  selectRange(range);
  await heard;
  await tick();
}

// The selected part of `el`, when the agent selected something inside it.
function selectedRange(el) {
  const selection = window.getSelection();
  if (!selection.rangeCount || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!el.contains(range.commonAncestorContainer)) return null;
  return textOf(range.cloneContents()).trim() ? range.cloneRange() : null;
}

// The agent's part of a rich editor: everything before a quoted thread or signature, however
// deep that sits (Gmail puts its signature inside the draft's own wrapper).
function draftRange(el, notDraft) {
  const range = document.createRange();
  range.selectNodeContents(el);
  const stop = notDraft ? el.querySelector(notDraft) : null;
  if (stop) range.setEndBefore(stop);
  return range;
}

const isContent = (node) => node.nodeType === Node.TEXT_NODE ? Boolean(node.data.trim()) : node.nodeName === "IMG";

// Where a rewrite of the whole draft goes: from its first character to its last. The line
// breaks and blocks around it (the blank line before a signature, the wrapper a signature
// shares with the draft) stay as they are: a range reaching into them would have the
// reply's last line merged into the block that follows.
function writeRange(el, notDraft) {
  const draft = draftRange(el, notDraft);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  let first = null;
  let last = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const inside = node.nodeType === Node.TEXT_NODE ? draft.comparePoint(node, node.length) === 0 : draft.intersectsNode(node);
    if (!inside && draft.comparePoint(node, 0) > 0) break;
    if (inside && isContent(node)) {
      first = first || node;
      last = node;
    }
  }
  if (!first) return draft;
  const range = document.createRange();
  if (first.nodeType === Node.TEXT_NODE) range.setStart(first, 0);
  else range.setStartBefore(first);
  if (last.nodeType === Node.TEXT_NODE) range.setEnd(last, last.length);
  else range.setEndAfter(last);
  return range;
}

// The on-screen box of a range, or of `fallback` when the range shows nothing.
function rectOf(range, fallback) {
  const rect = range.getBoundingClientRect();
  return rect.width || rect.height ? rect : fallback.getBoundingClientRect();
}

class TextareaEditor {
  constructor(el) {
    this.el = el;
    this.kind = "textarea";
  }

  read() {
    return this.el.value;
  }

  selection() {
    const { selectionStart: start, selectionEnd: end, value } = this.el;
    return end > start && value.slice(start, end).trim() ? { text: value.slice(start, end), start, end } : null;
  }

  async write(text, selection) {
    const el = this.el;
    el.focus();
    if (selection) el.setSelectionRange(selection.start, selection.end);
    else el.select();
    if (!document.execCommand("insertText", false, text)) {
      // No undo for this path, but the text still arrives; our own Undo button remains.
      const [start, end] = selection ? [selection.start, selection.end] : [0, el.value.length];
      el.setRangeText(text, start, end, "end");
      el.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  async undo() {
    this.el.focus();
    document.execCommand("undo");
  }

  async restore(snapshot) {
    this.el.focus();
    this.el.select();
    document.execCommand("insertText", false, snapshot.text);
  }

  snapshot() {
    return { text: this.el.value };
  }

  area() {
    return [this.el.getBoundingClientRect()];
  }
}

class ContentEditableEditor {
  constructor(el, notDraft) {
    this.el = el;
    this.notDraft = notDraft;
    this.kind = "contenteditable";
  }

  read() {
    return textOf(draftRange(this.el, this.notDraft).cloneContents());
  }

  selection() {
    const range = selectedRange(this.el);
    return range ? { text: textOf(range.cloneContents()), range } : null;
  }

  async write(text, selection) {
    this.el.focus();
    selectRange(selection ? selection.range : writeRange(this.el, this.notDraft));
    document.execCommand("insertText", false, text);
  }

  async undo() {
    this.el.focus();
    document.execCommand("undo");
  }

  async restore(snapshot) {
    this.el.focus();
    selectRange(writeRange(this.el, this.notDraft));
    document.execCommand("insertText", false, snapshot.text);
  }

  snapshot() {
    return { text: this.read() };
  }

  // The compose box, then the draft (later the reply) in it: a box holding a long quoted
  // thread can fill the window.
  area() {
    return [this.el.getBoundingClientRect(), rectOf(writeRange(this.el, this.notDraft), this.el)];
  }
}

class CKEditor5Editor {
  constructor(el) {
    this.el = el;
    this.kind = "ckeditor5";
  }

  read() {
    return textOf(this.el);
  }

  selection() {
    const range = selectedRange(this.el);
    return range ? { text: textOf(range.cloneContents()), range } : null;
  }

  // CKEditor 5 takes text only through its own input pipeline: a paste event. It replaces
  // the selection and goes on CKEditor's undo stack, so Ctrl+Z restores the draft.
  async write(text, selection) {
    this.el.focus();
    await tick();
    if (selection) await selectAndSettle(selection.range);
    else await this.selectAll();
    this.paste(text, textToHtml(text));
    await tick();
  }

  // Selects everything and waits until that holds: CKEditor writes its own selection back
  // into the page a moment after it gets focus, and a paste then lands at the caret instead.
  async selectAll() {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const range = document.createRange();
      range.selectNodeContents(this.el);
      await selectAndSettle(range);
      await tick(50);
      const now = window.getSelection();
      if (now.rangeCount && sameText(textOf(now.getRangeAt(0).cloneContents()), textOf(this.el))) return;
    }
  }

  paste(text, html) {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    data.setData("text/html", html);
    this.el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }

  // A content script can't reach CKEditor's undo command, so our Undo pastes the draft back.
  async undo() {
    return false;
  }

  async restore(snapshot) {
    this.el.focus();
    await tick();
    await this.selectAll();
    this.paste(snapshot.text, snapshot.html);
    await tick();
  }

  snapshot() {
    const clone = this.el.cloneNode(true);
    return { text: this.read(), html: clone.innerHTML };
  }

  area() {
    return [this.el.getBoundingClientRect()];
  }
}

// The editor object for an editable element, or null when it is not one we can write to.
function editorFor(el, notDraft = "") {
  if (!el) return null;
  if (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type === "text")) return new TextareaEditor(el);
  const ck = el.closest(".ck-editor__editable") || el.querySelector(".ck-editor__editable");
  if (ck) return new CKEditor5Editor(ck);
  if (el.isContentEditable) {
    let root = el;
    while (root.parentElement && root.parentElement.isContentEditable) root = root.parentElement;
    return new ContentEditableEditor(root, notDraft);
  }
  return null;
}
