// Where things are on each site: its compose boxes, where our button goes, and the thread
// (the customer's last message and name). How to write into an editor is editors.js's job.
// Adapters are tried in order; generic (no button, context menu and shortcut only) is last.

/* exported ADAPTERS, adapterFor */

const isVisible = (el) => Boolean(el && el.getClientRects().length);

// "Maria Lopez" -> "Maria"; an address or nothing -> "".
function firstName(name) {
  const clean = (name || "").trim();
  if (!clean || clean.includes("@")) return "";
  return clean.split(/\s+/)[0].replace(/[,;]+$/, "");
}

function cleanText(el, strip) {
  const clone = el.cloneNode(true);
  if (strip) clone.querySelectorAll(strip).forEach((n) => n.remove());
  return textOf(clone);
}

const gmailAdapter = {
  name: "gmail",
  matches: (host) => host === "mail.google.com",
  composeBoxes: () => document.querySelectorAll(SITES.gmail.composeBody),
  notDraft: SITES.gmail.notDraft,

  // After the Send button group; a compose without one gets the button above its body.
  placeButton(body, button) {
    const container = body.closest(SITES.gmail.composeContainer);
    const group = container && container.querySelector(`${SITES.gmail.sendRow} ${SITES.gmail.sendGroup}`);
    if (group) group.after(button);
    else body.before(button);
  },

  // The last message in the thread that isn't the agent's (the account in the title, or
  // the agent's name from the options) and isn't the compose itself.
  context(body, agentName) {
    const account = (document.title.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/) || [""])[0].toLowerCase();
    const messages = [...document.querySelectorAll(SITES.gmail.threadMessage)].filter((m) => !m.contains(body));
    for (const message of messages.reverse()) {
      const sender = message.querySelector(SITES.gmail.sender);
      const text = message.querySelector(SITES.gmail.messageBody);
      if (!text) continue;
      const email = (sender && sender.getAttribute("email") || "").toLowerCase();
      const name = sender ? sender.getAttribute("name") || sender.textContent : "";
      if ((account && email === account) || (agentName && name.trim() === agentName.trim())) continue;
      return { customerMessage: cleanText(text, SITES.gmail.notDraft), customerName: firstName(name) };
    }
    return { customerMessage: "", customerName: "" };
  },
};

const zendeskAdapter = {
  name: "zendesk",
  matches: (host) => host.endsWith(".zendesk.com"),
  // Every open ticket stays in the DOM: only the visible composer counts.
  composeBoxes: () => [...document.querySelectorAll(SITES.zendesk.composeBody)].filter(isVisible),
  notDraft: "",

  placeButton(body, button) {
    const toolbar = ticketOf(body) && ticketOf(body).querySelector(SITES.zendesk.toolbar);
    if (toolbar) toolbar.append(button);
    else (body.closest(".ck-editor") || body).after(button);
  },

  // The last end-user comment that isn't an internal note, in this ticket's conversation.
  context(body) {
    const ticket = ticketOf(body);
    const log = ticket && ticket.querySelector(SITES.zendesk.log);
    if (!log) return { customerMessage: "", customerName: "" };
    const comments = [...log.querySelectorAll(SITES.zendesk.comment)].reverse();
    for (const comment of comments) {
      if (comment.querySelector(SITES.zendesk.internalNote)) continue;
      const message = comment.querySelector(SITES.zendesk.endUserMessage);
      const content = message && message.querySelector(SITES.zendesk.messageContent);
      if (!content) continue;
      const sender = comment.querySelector(SITES.zendesk.sender);
      return { customerMessage: textOf(content), customerName: firstName(sender ? sender.textContent : "") };
    }
    return { customerMessage: "", customerName: "" };
  },
};

// The nearest ancestor of a composer that also holds a conversation log: its ticket.
function ticketOf(body) {
  for (let el = body.parentElement; el; el = el.parentElement) {
    if (el.querySelector(SITES.zendesk.log) && el.querySelector(SITES.zendesk.toolbar)) return el;
  }
  return null;
}

const genericAdapter = {
  name: "generic",
  matches: () => true,
  composeBoxes: () => [],
  notDraft: "",
  placeButton() {},
  context: () => ({ customerMessage: "", customerName: "" }),
};

const ADAPTERS = [gmailAdapter, zendeskAdapter, genericAdapter];

function adapterFor(host) {
  return ADAPTERS.find((adapter) => adapter.matches(host));
}
