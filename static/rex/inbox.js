// The Inbox page: every reply across the organization's inboxes, newest first. The list and the category chips
// come from the server, then follow the live socket (/ws/live/?streams=replies: "reply.event" frames carry the
// committed rows of new or changed messages and the fresh counts); chips and filters ask GET /api/replies/;
// a reply opens its thread (GET /api/replies/<id>/) with its triage, a relabel select
// (POST /api/replies/<id>/relabel) and a reply box (POST /api/replies/<id>/reply, one request id per message
// written, so a double click sends once). Plain DOM: every piece of data goes in through textContent.
(function () {
  "use strict";
  const { el, api } = window.RexCommon;


  const list = document.getElementById("replies");
  if (!list) return; // no organization: nothing to drive

  const initial = JSON.parse(document.getElementById("initial-inbox").textContent);
  const LABELS = Object.fromEntries(initial.categories.map((c) => [c.value, c.label]));
  const LAYERS = { rules: "Rules", llm: "LLM", review: "Nobody sure: needs a person", human: "A person" };
  const MATCHES = { in_reply_to: "In-Reply-To", references: "References", sender: "Sender address",
                    company: "Company domain", bounce: "Bounce report", "": "Not matched" };

  const state = {
    rows: new Map(), // id -> row, every row the page knows
    shown: [], // ids in the list, newest first
    filters: { category: "", q: "", inbox: "", campaign: "" },
    next: null, // the API's next page, for "Show older"
    counts: initial.counts,
    open: null, // the open message's id
    openContact: null, // its contact's id, to redraw the thread when the contact writes again
    openRequest: 0,
    listRequest: 0,
    // Counts drawn from live frames so far: an API answer for counts asked before the latest frame is older than
    // what the frame drew (with several web workers it can arrive after it) and must not overwrite it.
    frameCounts: 0,
    requestId: null, // the reply box's id for the text being written
  };

  // --- helpers ---------------------------------------------------------------------------------------------

  const ok = (r) => r.status >= 200 && r.status < 300;

  // A fresh id for the text in the reply box (crypto.randomUUID needs a secure context; getRandomValues does not).
  function newRequestId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "r-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  const dayTimeFmt = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", hourCycle: "h23" });
  function shortTime(iso) {
    const d = iso ? new Date(iso) : null;
    return d && !isNaN(d) ? dayTimeFmt.format(d) : "—";
  }
  function longTime(iso) {
    const d = iso ? new Date(iso) : null;
    return d && !isNaN(d) ? dateTimeFmt.format(d) : "—";
  }
  function timeEl(iso, className) {
    const t = el("time", className, shortTime(iso));
    if (iso) { t.dateTime = iso; t.title = longTime(iso); }
    return t;
  }

  function categoryBadge(category, node) {
    const badge = node || el("span");
    badge.className = "cat cat-" + (category || "untriaged");
    badge.textContent = LABELS[category] || category || "Untriaged";
    return badge;
  }

  function errorText(body) {
    if (!body) return "Something went wrong.";
    if (body.detail) return body.detail;
    return Object.entries(body).map(([field, msgs]) => field + ": " + [].concat(msgs).join(" ")).join(" ");
  }

  // --- the list --------------------------------------------------------------------------------------------

  function matches(row) {
    const f = state.filters;
    if (f.category && row.category !== f.category) return false;
    if (f.inbox && row.inbox !== f.inbox) return false;
    if (f.campaign && (!row.campaign || row.campaign.slug !== f.campaign)) return false;
    if (f.q) {
      const q = f.q.toLowerCase();
      const hay = [row.from_address, row.from_name, row.subject, row.snippet].join(" ").toLowerCase();
      if (!hay.includes(q)) return false;
    }
    return true;
  }

  function newer(a, b) { // a before b in the list?
    if (a.received_at !== b.received_at) return (a.received_at || "") > (b.received_at || "");
    return a.id > b.id;
  }

  function drawItem(button, row) {
    button.className = "reply-item" + (row.needs_review ? " needs-review" : "");
    button.dataset.id = row.id;
    button.dataset.category = row.category;
    if (state.open === row.id) button.setAttribute("aria-current", "true"); else button.removeAttribute("aria-current");
    const head = el("span", "reply-item-head");
    head.append(el("strong", "reply-from", row.from_name || row.from_address), timeEl(row.received_at, "muted small"));
    const tags = el("span", "reply-tags");
    tags.append(categoryBadge(row.category));
    if (row.corrected_by) tags.append(el("span", "muted small", "relabelled by " + row.corrected_by));
    if (row.campaign) tags.append(el("span", "tag", row.campaign.name + (row.step ? " · step " + row.step + (row.variant || "") : "")));
    button.replaceChildren(head, el("span", "reply-subject", row.subject || "(no subject)"),
                           el("span", "reply-snippet muted small", row.snippet), tags);
  }

  function itemFor(id) {
    return list.querySelector('.reply-item[data-id="' + id + '"]');
  }

  function drawList() {
    const nodes = state.shown.map((id) => {
      const li = el("li");
      const button = el("button");
      button.type = "button";
      drawItem(button, state.rows.get(id));
      li.append(button);
      return li;
    });
    list.replaceChildren(...nodes);
    drawListMeta();
  }

  function drawListMeta() {
    document.getElementById("replies-empty").hidden = state.shown.length > 0;
    document.getElementById("replies-shown").textContent = state.shown.length;
    const f = state.filters;
    const total = f.category ? (state.counts.categories[f.category] || 0) : state.counts.total;
    document.getElementById("replies-total").textContent = (f.q || f.inbox || f.campaign) ? "?" : total;
    document.getElementById("replies-more").hidden = !state.next;
  }

  function drawCounts(counts) {
    state.counts = counts;
    for (const node of document.querySelectorAll("[data-count-for]")) {
      const category = node.dataset.countFor;
      const n = category ? (counts.categories[category] || 0) : counts.total;
      node.textContent = n;
      node.closest(".chip").classList.toggle("zero", !n);
    }
    const accuracy = document.querySelector("[data-accuracy]");
    if (accuracy && counts.accuracy) {
      const a = counts.accuracy;
      accuracy.textContent = a.decided
        ? Math.round(a.share * 100) + " % of " + a.decided + " (" + a.corrected + " relabelled)"
        : "nothing decided yet";
    }
    drawListMeta();
  }

  function flash(button, isNew) {
    const li = button.closest("li");
    li.classList.remove("flash", "arrived");
    void li.offsetWidth; // restart the animation
    li.classList.add(isNew ? "arrived" : "flash");
  }

  // A row from the socket: updated in place, inserted at its place when new and matching the filters, removed
  // when it no longer matches (a relabel out of the chip's category).
  function upsert(row) {
    const known = state.rows.has(row.id);
    state.rows.set(row.id, row);
    const index = state.shown.indexOf(row.id);
    if (!matches(row)) {
      if (index >= 0) {
        state.shown.splice(index, 1);
        const button = itemFor(row.id);
        if (button) button.closest("li").remove();
      }
      return;
    }
    if (index >= 0) {
      const button = itemFor(row.id);
      if (button) { drawItem(button, row); flash(button, false); }
      return;
    }
    let at = state.shown.findIndex((id) => newer(row, state.rows.get(id)));
    if (at < 0) {
      if (state.next) return; // older than everything shown while older pages exist: "Show older" brings it
      at = state.shown.length;
    }
    state.shown.splice(at, 0, row.id);
    const li = el("li");
    const button = el("button");
    button.type = "button";
    drawItem(button, row);
    li.append(button);
    list.insertBefore(li, list.children[at] || null);
    flash(button, !known);
  }

  function query(extra) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(state.filters)) if (value) params.set(key, value);
    for (const [key, value] of Object.entries(extra || {})) params.set(key, value);
    const text = params.toString();
    return text ? "?" + text : "";
  }

  async function reload() {
    const request = ++state.listRequest;
    const frames = state.frameCounts;
    const [page, counts] = await Promise.all([api("GET", "/api/replies/" + query()),
                                              api("GET", "/api/replies/counts" + query())]);
    if (request !== state.listRequest) return; // a newer filter won
    if (!ok(page)) { showListError(errorText(page.body)); return; }
    for (const row of page.body.results) state.rows.set(row.id, row);
    state.shown = page.body.results.map((r) => r.id);
    state.next = page.body.next;
    drawList();
    if (ok(counts) && frames === state.frameCounts) drawCounts(counts.body);
  }

  function showListError(text) {
    const empty = document.getElementById("replies-empty");
    empty.hidden = false;
    empty.textContent = text;
  }

  async function more() {
    if (!state.next) return;
    const button = document.getElementById("replies-more");
    button.disabled = true;
    const page = await api("GET", state.next);
    button.disabled = false;
    if (!ok(page)) return;
    for (const row of page.body.results) {
      state.rows.set(row.id, row);
      if (!state.shown.includes(row.id)) state.shown.push(row.id);
    }
    state.next = page.body.next;
    drawList();
  }

  // --- the thread ------------------------------------------------------------------------------------------

  const panel = document.getElementById("thread");
  const bind = (name) => panel.querySelector('[data-bind="' + name + '"]');

  function detailRow(name, show, fill) {
    const row = panel.querySelector('[data-detail="' + name + '"]');
    row.hidden = !show;
    if (show) fill(bind(name));
  }

  function drawThreadItem(item, currentId) {
    const li = el("li", "thread-item thread-" + item.kind + (String(currentId) === item.id && item.kind === "inbound" ? " current" : ""));
    li.dataset.kind = item.kind;
    li.dataset.id = item.id;
    const head = el("div", "thread-item-head");
    const who = el("span", "thread-item-who");
    if (item.kind === "outbound") {
      const label = item.step ? "Step " + item.step + (item.variant ? " · variant " + item.variant : "")
                              : (item.sent_by ? "Reply by " + item.sent_by : "Sent");
      who.append(el("span", "thread-step", label), " ", el("span", "muted small", item.from_address + " → " + item.to_address));
    } else {
      who.append(el("strong", null, item.from_address), " ", categoryBadge(item.category));
    }
    head.append(who, timeEl(item.at, "muted small"));
    li.append(head, el("div", "thread-item-subject", item.subject || "(no subject)"));
    if (item.text) li.append(el("pre", "thread-item-text", item.text));
    if (item.kind === "outbound" && item.status && item.status !== "sent") {
      li.append(el("span", "muted small thread-item-status", item.status));
    }
    return li;
  }

  function drawDetail(d) {
    state.openContact = d.contact ? d.contact.id : null;
    bind("subject").textContent = d.subject || "(no subject)";
    bind("from").textContent = d.from_name ? d.from_name + " <" + d.from_address + ">" : d.from_address;
    bind("inbox").textContent = d.inbox || "no inbox";
    bind("campaign").textContent = d.campaign ? " · " + d.campaign.name + (d.step ? " · step " + d.step + (d.variant || "") : "") : "";
    categoryBadge(d.category, bind("category"));
    bind("corrected").textContent = d.corrected_by
      ? "relabelled by " + d.corrected_by + " (REX said " + (LABELS[d.machine_category] || d.machine_category) + ")" : "";
    bind("layer").textContent = LAYERS[d.layer] || (d.layer || "—");
    bind("confidence").textContent = d.confidence === null || d.confidence === undefined ? "—" : Math.round(d.confidence * 100) + " %";
    bind("match").textContent = MATCHES[d.match] || d.match;
    const details = d.details || {};
    detailRow("bounce", !!details.bounce, (node) => {
      const b = details.bounce;
      node.textContent = [b["class"], b.status, b.recipient, b.reason].filter(Boolean).join(" · ");
    });
    detailRow("return_date", !!details.return_date, (node) => { node.textContent = details.return_date; });
    detailRow("referral", !!details.referral, (node) => {
      const r = details.referral;
      node.textContent = r.name ? r.name + " <" + r.email + ">" : r.email;
    });
    detailRow("reason", !!details.reason, (node) => { node.textContent = details.reason; });
    detailRow("actions", (d.actions || []).length > 0, (node) => {
      node.replaceChildren(...d.actions.map((a) => el("li", null, typeof a === "string" ? a : (a.text || a.kind || JSON.stringify(a)))));
    });
    const select = document.getElementById("relabel-category");
    if (d.category && d.category !== "untriaged") select.value = d.category;
    document.getElementById("thread-items").replaceChildren(...d.thread.map((item) => drawThreadItem(item, d.id)));
    document.getElementById("reply-from").textContent = d.inbox ? "from " + d.inbox + " to " + d.from_address : "";
    const form = document.getElementById("reply-form");
    form.hidden = !d.can_reply;
  }

  function resetComposer() {
    state.requestId = newRequestId();
    document.getElementById("reply-body").value = "";
    document.getElementById("reply-error").hidden = true;
    document.querySelector('[data-error-for="body"]').textContent = "";
  }

  async function openThread(id, { keepComposer } = {}) {
    const request = ++state.openRequest;
    const changed = state.open !== id;
    state.open = id;
    for (const b of list.querySelectorAll(".reply-item")) {
      if (Number(b.dataset.id) === id) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
    }
    const r = await api("GET", "/api/replies/" + id + "/");
    if (request !== state.openRequest) return;
    const error = document.getElementById("thread-error");
    if (!ok(r)) {
      error.textContent = errorText(r.body);
      error.hidden = false;
      return;
    }
    error.hidden = true;
    document.getElementById("no-thread").hidden = true;
    panel.hidden = false;
    panel.dataset.id = id;
    if (changed && !keepComposer) {
      resetComposer();
      document.getElementById("relabel-result").textContent = "";
      document.getElementById("reply-result").textContent = "";
    }
    drawDetail(r.body);
  }

  async function relabel(event) {
    event.preventDefault();
    const id = state.open;
    const button = document.getElementById("relabel-submit");
    const result = document.getElementById("relabel-result");
    const category = document.getElementById("relabel-category").value;
    button.disabled = true;
    const r = await api("POST", "/api/replies/" + id + "/relabel", { category: category });
    button.disabled = false;
    if (!ok(r)) {
      result.className = "action-result error";
      result.textContent = errorText(r.body);
      return;
    }
    result.className = "action-result ok";
    result.textContent = "Relabelled as " + (LABELS[category] || category) + ".";
    if (state.open === id) drawDetail(r.body);
    upsert(r.body);
  }

  async function sendReply(event) {
    event.preventDefault();
    const id = state.open;
    const button = document.getElementById("reply-submit");
    const textarea = document.getElementById("reply-body");
    const errorBox = document.getElementById("reply-error");
    const fieldError = document.querySelector('[data-error-for="body"]');
    const result = document.getElementById("reply-result");
    if (button.disabled) return;
    errorBox.hidden = true;
    fieldError.textContent = "";
    textarea.removeAttribute("aria-invalid");
    result.textContent = "";
    button.disabled = true;
    button.textContent = "Sending…";
    const r = await api("POST", "/api/replies/" + id + "/reply", { body: textarea.value, request_id: state.requestId });
    button.disabled = false;
    button.textContent = "Send";
    if (ok(r)) {
      result.className = "action-result ok";
      result.textContent = "Sent to " + r.body.to_address + ".";
      resetComposer();
      if (state.open === id) openThread(id, { keepComposer: true });
      return;
    }
    if (r.status === 400 && r.body && r.body.body) {
      fieldError.textContent = [].concat(r.body.body).join(" ");
      textarea.setAttribute("aria-invalid", "true");
      return;
    }
    errorBox.textContent = errorText(r.body);
    errorBox.hidden = false;
    if (r.status === 409) resetComposer(); // that id is spent: the next Send is a new reply
  }

  // --- wiring ----------------------------------------------------------------------------------------------

  for (const row of initial.replies) state.rows.set(row.id, row);
  state.shown = initial.replies.map((r) => r.id);
  state.next = initial.has_more ? "/api/replies/?page=2" : null;
  drawList();
  drawCounts(initial.counts);
  resetComposer();
  // A link to one reply (the "interested" email to the owners, the dashboard's alert): open its thread at once.
  const linked = Number(new URLSearchParams(window.location.search).get("id"));
  if (linked) openThread(linked);

  list.addEventListener("click", (event) => {
    const button = event.target.closest(".reply-item");
    if (button) openThread(Number(button.dataset.id));
  });
  document.getElementById("category-chips").addEventListener("click", (event) => {
    const chip = event.target.closest(".chip");
    if (!chip) return;
    for (const c of document.querySelectorAll("#category-chips .chip")) c.setAttribute("aria-pressed", c === chip ? "true" : "false");
    state.filters.category = chip.dataset.category;
    reload();
  });
  let typing = null;
  document.getElementById("filter-q").addEventListener("input", (event) => {
    clearTimeout(typing);
    typing = setTimeout(() => { state.filters.q = event.target.value.trim(); reload(); }, 250);
  });
  document.getElementById("filter-inbox").addEventListener("change", (event) => { state.filters.inbox = event.target.value; reload(); });
  document.getElementById("filter-campaign").addEventListener("change", (event) => { state.filters.campaign = event.target.value; reload(); });
  document.getElementById("replies-more").addEventListener("click", more);
  document.getElementById("relabel-form").addEventListener("submit", relabel);
  document.getElementById("reply-form").addEventListener("submit", sendReply);

  let connectedOnce = false;
  window.RexLive.connect({
    streams: ["replies"],
    // Frames sent while no socket listened are gone: catch up from the API on every (re)connection but the
    // first, whose data the server rendered just before.
    onOpen: () => {
      if (connectedOnce) reload(); else catchUp();
      connectedOnce = true;
    },
    onMessage: (frame) => {
      if (frame.type !== "reply.event") return;
      for (const row of frame.replies.slice().reverse()) upsert(row);
      const f = state.filters;
      if (f.q || f.inbox || f.campaign) refreshCounts(); // the frame's counts are the organization's, unfiltered
      else if (frame.counts) { state.frameCounts += 1; drawCounts(frame.counts); }
      drawListMeta();
      // The open message changed, or another message of its conversation arrived: redraw the thread.
      const touches = (row) => row.id === state.open || (state.openContact !== null && row.contact && row.contact.id === state.openContact);
      if (state.open !== null && frame.replies.some(touches)) openThread(state.open, { keepComposer: true });
    },
  });

  async function refreshCounts() {
    const frames = state.frameCounts;
    const counts = await api("GET", "/api/replies/counts" + query());
    if (ok(counts) && frames === state.frameCounts) drawCounts(counts.body);
  }

  // Between the server's rendering and the socket listening, messages may have arrived: merge the first page.
  async function catchUp() {
    const frames = state.frameCounts;
    const [page, counts] = await Promise.all([api("GET", "/api/replies/" + query()), api("GET", "/api/replies/counts" + query())]);
    if (ok(page)) for (const row of page.body.results.slice().reverse()) upsert(row);
    if (ok(counts) && frames === state.frameCounts) drawCounts(counts.body);
  }
})();
