// Builds Zendesk-like tickets, each with its conversation log and a CKEditor 5 composer.
// Every open ticket stays in the DOM (hidden when not in front), as in Zendesk.
const { ClassicEditor, Essentials, Paragraph, Bold, Italic } = CKEDITOR;

const TICKETS = {
  1042: {
    log: [
      { sender: "Tom Becker", type: "end-user", text: "My invoice shows two charges for March." },
      { sender: "Priya Nair", type: "agent", text: "Looking into it." },
      { sender: "Tom Becker", type: "end-user", text: "I was charged twice for my Pro plan and I'm really annoyed." },
      { sender: "Priya Nair", type: "agent", note: true, text: "Customer is on the legacy plan; check with billing." },
    ],
    draft: "Refund of $29.00 issued. 5-7 business days. Ref RF-20931.",
  },
  1077: {
    log: [{ sender: "Aiko Tanaka", type: "end-user", text: "Can I change my delivery address for order 88412?" }],
    draft: "",
  },
};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

async function openTicket(id) {
  for (const other of document.querySelectorAll(".ticket")) other.hidden = true;
  const ticket = TICKETS[id];
  const log = el("div", { "data-test-id": "omni-log-container" });
  for (const item of ticket.log) {
    const article = el("article", { "data-test-id": "omni-log-comment-item" },
      el("div", { "data-test-id": "omni-log-item-sender" }, item.sender));
    if (item.note) article.append(el("span", { "data-test-id": "omni-log-internal-note-tag" }, "Internal note"));
    article.append(el("div", { "data-test-id": "omni-log-item-message", type: item.type },
      el("div", { "data-test-id": "omni-log-message-content" }, item.text)));
    log.append(article);
  }
  const holder = el("div", {});
  const toolbar = el("div", { "data-test-id": "omnichannel-composer-toolbar" },
    el("button", { type: "button", "data-test-id": "submit_button" }, "Submit as Open"));
  const pane = el("section", { class: "ticket", "data-ticket": String(id) }, el("h2", {}, `Ticket #${id}`), log, holder, toolbar);
  document.getElementById("workspace").append(pane);
  const editor = await ClassicEditor.create(holder, {
    licenseKey: "GPL",
    plugins: [Essentials, Paragraph, Bold, Italic],
    toolbar: ["bold", "italic", "undo", "redo"],
  });
  editor.setData(ticket.draft ? `<p>${ticket.draft}</p>` : "");
  editor.ui.view.editable.element.setAttribute("data-test-id", "omnicomposer-rich-text-ckeditor");
  window.editors = { ...(window.editors || {}), [id]: editor };
}

openTicket(1042);
document.getElementById("open-ticket").addEventListener("click", () => openTicket(1077));
