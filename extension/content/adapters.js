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

  // The message this compose answers: the one Gmail's form names (a reply or forward, inline
  // or popped out), or, going back from it, the last one that isn't the agent's (the account
  // in the title, or the agent's name from the options). A new message answers nobody, even
  // with a thread open; so does a compose whose message isn't on the page. Without the form
  // field (changed markup), an inline reply answers the thread and a popup nobody.
  context(body, agentName) {
    const none = { customerMessage: "", customerName: "" };
    const container = body.closest(SITES.gmail.composeContainer) || body;
    const field = container.querySelector(SITES.gmail.replyTo);
    const target = field ? field.value : "";
    const inThread = Boolean(body.closest(SITES.gmail.threadPane));
    let messages = [...document.querySelectorAll(SITES.gmail.threadMessage)].filter((m) => !m.contains(body));
    if (field && (!target || target === "undefined")) return none;
    if (field) {
      const index = messages.findIndex((m) => m.getAttribute(SITES.gmail.messageId) === target);
      if (index >= 0) messages = messages.slice(0, index + 1);
      else if (!inThread) return none;
    } else if (!inThread) {
      return none;
    }
    const account = (document.title.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/) || [""])[0].toLowerCase();
    for (const message of messages.reverse()) {
      const sender = message.querySelector(SITES.gmail.sender);
      const text = message.querySelector(SITES.gmail.messageBody);
      if (!text) continue;
      const email = (sender && sender.getAttribute("email") || "").toLowerCase();
      const name = sender ? sender.getAttribute("name") || sender.textContent : "";
      if ((account && email === account) || (agentName && name.trim() === agentName.trim())) continue;
      return { customerMessage: cleanText(text, SITES.gmail.notDraft), customerName: firstName(name) };
    }
    return none;
  },

  // Gmail's own signature in the compose (not one quoted from an earlier message): it signs
  // the reply, so the reply adds no sign-off of its own.
  signed(body) {
    return [...body.querySelectorAll(SITES.gmail.signature)]
      .some((signature) => !signature.closest(SITES.gmail.quote) && signature.textContent.trim());
  },
};

const zendeskAdapter = {
  name: "zendesk",
  matches: (host) => host.endsWith(".zendesk.com"),
  // Every open ticket stays in the DOM: only the visible composer counts.
  composeBoxes: () => [...document.querySelectorAll(SITES.zendesk.composeBody)].filter(isVisible),
  notDraft: "",
  // Zendesk's composer holds no signature to go by.
  signed: () => false,

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
  signed: () => false,
};

const ADAPTERS = [gmailAdapter, zendeskAdapter, genericAdapter];

function adapterFor(host) {
  return ADAPTERS.find((adapter) => adapter.matches(host));
}
