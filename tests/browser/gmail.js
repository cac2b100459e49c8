// Opens Gmail-like compose windows after the page has loaded, as Gmail does: a new message
// (Compose), a reply popped out or inline, with the hidden form fields Gmail keeps in each
// (rm: the message answered, "undefined" in a new message) and a body as Gmail writes it.
// DOM calls only: the page enforces Trusted Types, as Gmail does.
let composeCount = 0;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

function hidden(name, value) {
  return el("input", { type: "hidden", name, value });
}

// openCompose({replyTo: legacy message id, inline: true, body: "<template id>"}): its fixture name.
function openCompose({ replyTo = "", inline = false, body: template = "", subject = "" } = {}) {
  composeCount += 1;
  const name = inline ? `inline-${composeCount}` : `popup-${composeCount}`;
  const body = el("div", {
    class: "Am Al editable LW-avf tS-tW", role: "textbox", "aria-label": "Message Body", "aria-multiline": "true",
    g_editable: "true", contenteditable: "true", tabindex: "1", id: `${inline ? "inline" : "popup"}-body-${composeCount}`,
  });
  if (template) body.append(document.getElementById(template).content.cloneNode(true));
  const form = el("div", { class: "M9", "data-fixture": name },
    hidden("composeid", name), hidden("rm", replyTo || "undefined"), hidden("subject", subject),
    inline ? el("div", { class: "aoD" }, "To: maria.lopez@example.com")
      : el("div", { class: "aYF" }, replyTo ? subject || "Re: Where is my order?" : "New Message"),
    inline ? "" : el("input", { class: "agP aFw", name: "subjectbox", placeholder: "Subject", value: subject }),
    body,
    el("textarea", { class: "Ak aSL", "aria-label": "Message Body", tabindex: "-1" }),
    el("div", { class: "btC" },
      el("div", { class: "dC" }, el("div", { role: "button", class: "T-I J-J5-Ji aoO v7 T-I-atl L3" }, "Send")),
      el("div", { class: "a8X gU" }, el("div", { role: "button", "aria-label": "Formatting options", class: "oc" }, "A"))),
  );
  if (inline) {
    // One inline reply at a time, below the thread.
    document.getElementById("replies").replaceChildren(form);
  } else {
    document.getElementById("compose-windows").append(el("div", { class: "nH Hd", role: "dialog" }, form));
  }
  return name;
}

document.getElementById("compose-button").addEventListener("click", () => setTimeout(() => openCompose(), 50));
