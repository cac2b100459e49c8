// Every selector for every site, in one place: Gmail and Zendesk change their markup now and
// then, and this is the file to update when they do. (Sources: ../shared/notes/browser.md.)

/* exported SITES */

const SITES = Object.freeze({
  gmail: Object.freeze({
    hosts: ["mail.google.com"],
    // The compose body; a hidden textarea.Ak carries the same label, hence [contenteditable].
    composeBody: 'div[role="textbox"][g_editable="true"][contenteditable="true"]',
    composeContainer: ".M9",
    sendRow: ".btC",
    sendGroup: ".dC",
    // Parts of the compose body that are not the agent's draft; the signature may sit inside
    // the draft's own wrapper, after "-- " (the prefix).
    notDraft: ".gmail_signature_prefix, .gmail_signature, .gmail_quote, blockquote",
    signature: ".gmail_signature",
    quote: ".gmail_quote, blockquote",
    // The compose form's hidden field naming the message a reply or forward answers (by its
    // legacy id); "undefined" or empty in a new message.
    replyTo: 'input[name="rm"]',
    // The thread pane: an inline reply sits in it, popup compose windows don't.
    threadPane: '[role="main"]',
    threadMessage: "div.adn.ads",
    messageId: "data-legacy-message-id",
    messageBody: "div.a3s",
    sender: "span.gD[email]",
  }),
  zendesk: Object.freeze({
    hosts: ["*.zendesk.com"],
    composeBody: [
      '[data-test-id="omnicomposer-rich-text-ckeditor"]',
      '[data-test-id="omnicomposer-plain-text-ckeditor"]',
      ".comment_input textarea",
      '.comment_input [contenteditable="true"]',
    ].join(", "),
    toolbar: '[data-test-id="omnichannel-composer-toolbar"]',
    log: '[data-test-id="omni-log-container"]',
    comment: 'article[data-test-id="omni-log-comment-item"]',
    message: '[data-test-id="omni-log-item-message"]',
    endUserMessage: '[data-test-id="omni-log-item-message"][type="end-user"]',
    messageContent: '[data-test-id="omni-log-message-content"]',
    internalNote: '[data-test-id="omni-log-internal-note-tag"]',
    sender: '[data-test-id="omni-log-item-sender"]',
  }),
});
