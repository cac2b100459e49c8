// Opens Gmail-like popup compose windows, as Gmail does, after the page has loaded.
// DOM calls only: the page enforces Trusted Types, as Gmail does.
let composeCount = 0;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

function openCompose() {
  composeCount += 1;
  const body = el("div", {
    class: "Am Al editable LW-avf tS-tW", role: "textbox", "aria-label": "Message Body", "aria-multiline": "true",
    g_editable: "true", contenteditable: "true", tabindex: "1", id: `popup-body-${composeCount}`,
  });
  const dialog = el("div", { class: "nH Hd", role: "dialog", "data-fixture": `popup-${composeCount}` },
    el("div", { class: "M9" },
      el("div", { class: "aYF" }, "New Message"),
      el("input", { class: "agP aFw", name: "subjectbox", placeholder: "Subject" }),
      body,
      el("textarea", { class: "Ak aSL", "aria-label": "Message Body", tabindex: "-1" }),
      el("div", { class: "btC" },
        el("div", { class: "dC" }, el("div", { role: "button", class: "T-I J-J5-Ji aoO v7 T-I-atl L3" }, "Send"))),
    ));
  // Gmail builds the window in steps; the toolbar arrives a moment after the dialog.
  document.getElementById("compose-windows").append(dialog);
}

document.getElementById("compose-button").addEventListener("click", () => setTimeout(openCompose, 50));
