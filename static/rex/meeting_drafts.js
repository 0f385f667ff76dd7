// The Inbox page's "Drafts awaiting approval" section (templates/meetings/inbox_drafts.html, registered by the
// meetings app through replies.sections): each pending draft of the book-meeting agent with its recipient, subject,
// proposed times (in the reader's zone) and its text in a textarea. Approve sends the text as edited
// (POST /api/meetings/drafts/<id>/approve {"body"}); Reject keeps an optional reason
// (POST /api/meetings/drafts/<id>/reject {"reason"}). The list follows the `meetings` stream's "meeting.draft"
// frames (a new draft appears, a decided one leaves) and re-reads GET /api/meetings/drafts/?status=pending on
// every (re)connection. Plain DOM: every piece of data goes in through textContent or value.
"use strict";

(function () {
  const section = document.getElementById("meeting-drafts");
  if (!section || !window.RexLive || !window.RexCommon) return;
  const { el, api } = window.RexCommon;
  const list = document.getElementById("drafts-list");
  const drafts = new Map(); // id -> its <li>, in the order drawn (oldest first)
  const ok = (r) => r.status >= 200 && r.status < 300;
  const slotFmt = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short",
                                                       hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

  function message(r) {
    const b = r.body || {};
    if (b.detail) return b.detail;
    const first = Object.entries(b)[0];
    return first ? `${first[0]}: ${[].concat(first[1]).join(" ")}` : `The server answered ${r.status}.`;
  }

  function drawMeta() {
    document.getElementById("drafts-count").textContent = String(drafts.size);
    document.getElementById("drafts-empty").hidden = drafts.size > 0;
  }

  function remove(id) {
    const li = drafts.get(id);
    if (li) li.remove();
    drafts.delete(id);
    drawMeta();
  }

  function build(d) {
    const li = el("li", "draft-item");
    li.dataset.id = String(d.id);
    const head = el("div", "draft-head");
    head.append(el("strong", "draft-to", d.to_address), el("span", "draft-subject", d.subject));
    const slots = el("ul", "draft-slots");
    for (const iso of d.slots) {
      const when = new Date(iso);
      const item = el("li", "draft-slot", isNaN(when) ? iso : slotFmt.format(when));
      item.dataset.start = iso;
      slots.append(item);
    }
    const bodyId = `draft-body-${d.id}`;
    const label = el("label", "draft-label", "Text to send");
    label.htmlFor = bodyId;
    const body = el("textarea", "draft-body");
    body.id = bodyId;
    body.name = "body";
    body.rows = 9;
    body.value = d.body;
    const reasonId = `draft-reason-${d.id}`;
    const reasonLabel = el("label", "draft-label", "Reason for rejecting (optional)");
    reasonLabel.htmlFor = reasonId;
    const reason = el("input", "draft-reason");
    reason.id = reasonId;
    reason.type = "text";
    reason.name = "reason";
    reason.maxLength = 500;
    const approve = el("button", "btn btn-primary btn-sm draft-approve", "Approve and send");
    approve.type = "button";
    const reject = el("button", "btn btn-danger-outline btn-sm draft-reject", "Reject");
    reject.type = "button";
    const result = el("span", "action-result draft-result");
    result.setAttribute("role", "status");
    result.setAttribute("aria-live", "polite");
    const actions = el("div", "form-row draft-actions");
    actions.append(approve, reject, result);

    async function decide(button, url, payload, done) {
      approve.disabled = reject.disabled = true;
      result.classList.remove("error");
      result.textContent = "Sending…";
      const r = await api("POST", url, payload);
      if (ok(r)) {
        result.textContent = done(r.body);
        // Leave it on screen a moment so the person sees what happened; the frame of the decision removes it too.
        setTimeout(() => remove(d.id), 1500);
        return;
      }
      result.classList.add("error");
      result.textContent = message(r);
      approve.disabled = reject.disabled = false;
      button.focus();
    }
    approve.addEventListener("click", () => decide(approve, `/api/meetings/drafts/${d.id}/approve`,
                                                   { body: body.value }, (row) => `Sent to ${row.to_address}.`));
    reject.addEventListener("click", () => decide(reject, `/api/meetings/drafts/${d.id}/reject`,
                                                  { reason: reason.value }, () => "Rejected: nothing was sent."));
    li.append(head, el("p", "muted small draft-slots-title", "Proposed times (your zone):"), slots, label, body,
              reasonLabel, reason, actions);
    return li;
  }

  // A pending draft is added once: redrawing it would throw away what the person is typing.
  function upsert(d) {
    if (d.status !== "pending") {
      const li = drafts.get(d.id);
      // The person who decided here sees the result first; a decision made elsewhere removes it at once.
      if (li && !li.querySelector(".draft-approve").disabled) remove(d.id);
      return;
    }
    if (drafts.has(d.id)) return;
    const li = build(d);
    drafts.set(d.id, li);
    list.append(li);
    drawMeta();
  }

  async function catchUp() {
    const r = await api("GET", "/api/meetings/drafts/?status=pending");
    if (!ok(r)) return;
    const pending = new Set(r.body.results.map((d) => d.id));
    for (const id of Array.from(drafts.keys())) {
      const li = drafts.get(id);
      if (!pending.has(id) && !li.querySelector(".draft-approve").disabled) remove(id);
    }
    for (const d of r.body.results.slice().reverse()) upsert(d); // the API lists newest first
  }

  for (const d of JSON.parse(document.getElementById("initial-meeting-drafts").textContent).drafts) upsert(d);
  let connectedOnce = false;
  window.RexLive.connect({
    streams: ["meetings"],
    pill: "drafts-live", // the page's pill follows the replies socket; this one has none of its own
    onOpen: () => { if (connectedOnce) catchUp(); connectedOnce = true; },
    onMessage: (frame) => { if (frame.type === "meeting.draft") upsert(frame.draft); },
  });
})();
