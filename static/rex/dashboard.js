// The mission dashboard: the server-rendered table is kept current from the live socket (/ws/live/), the form
// submits to /api/rex/command, and a side panel shows one mission's timeline (GET /api/missions/<id>/) with
// cancel / retry, and approve / reject for a mission whose spend awaits approval. Plain DOM: every piece of data goes in through textContent, never innerHTML.
(function () {
  "use strict";
  const { el, csrfToken } = window.RexCommon;


  const tbody = document.querySelector("#missions tbody");
  if (!tbody) return; // no organization: nothing to drive

  const ACTIVE = ["awaiting_approval", "queued", "running", "retrying", "waiting"];
  const MAX_ROWS = 200;
  // Example params per mission type, offered as one-click presets under the params box.
  const PRESETS = {
    canary: [
      { label: "Succeeds", params: {} },
      { label: "Fails twice", params: { fail_times: 2 } },
      { label: "Slow 3 s", params: { sleep_ms: 3000 } },
      { label: "Always fails", params: { fail_times: 10 } },
    ],
  };

  const rows = new Map(); // mission id -> { tr, mission, seq, latest }
  const detail = { id: null, mission: null, seqs: new Set(), request: 0 }; // the mission open in the side panel
  let filter = "all";

  // --- small helpers ---------------------------------------------------------------------------------------

  async function api(method, url, body) {
    const init = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") init.headers["X-CSRFToken"] = csrfToken();
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let resp;
    try {
      resp = await fetch(url, init);
    } catch (err) {
      return { status: 0, body: { detail: "The server could not be reached. Check your connection and try again." } };
    }
    const data = await resp.json().catch(() => ({}));
    return { status: resp.status, body: data };
  }

  function sessionLost(status) {
    return status === 401 || status === 403;
  }

  const timeFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  const dayTimeFmt = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium", hourCycle: "h23" });

  // Today's times to the second; older ones with their day.
  function shortTime(iso) {
    if (!iso) return "—";
    const d = new Date(iso);
    if (isNaN(d)) return "—";
    return d.toDateString() === new Date().toDateString() ? timeFmt.format(d) : dayTimeFmt.format(d);
  }

  function longTime(iso) {
    if (!iso) return "—";
    const d = new Date(iso);
    return isNaN(d) ? "—" : dateTimeFmt.format(d);
  }

  function capitalize(s) {
    s = String(s || "");
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  function pretty(value) {
    return JSON.stringify(value, null, 2);
  }

  // The one-line summary a row shows when no event message is at hand (e.g. on first render).
  function summaryOf(m) {
    switch (m.status) {
      case "awaiting_approval": return "awaiting approval: " + (m.cost_quote || "");
      case "queued": return "waiting for a worker";
      case "running": return "attempt " + m.attempts + " of " + m.max_attempts + " running";
      case "retrying": return (m.error && m.error.message ? m.error.message + "; " : "") + "retry scheduled";
      case "waiting": return "waiting for an outside answer";
      case "succeeded": return "succeeded on attempt " + m.attempts;
      case "failed": return m.error && m.error.message ? m.error.message : "failed";
      case "cancelled": return "cancelled";
      default: return "";
    }
  }

  // The event a mission's status came from. An API answer reads the mission and then its events, so its event
  // list can already hold a newer step than its status shows; the matching event keeps the snapshot's true age.
  function lastSeqOf(m) {
    if (!Array.isArray(m.events)) return 0;
    let seq = 0;
    for (const e of m.events) if (e.to_status === m.status && e.seq > seq) seq = e.seq;
    return seq;
  }

  // --- the table -----------------------------------------------------------------------------------------

  function statusPill(node, status) {
    node.className = "status status-" + status;
    node.textContent = status;
  }

  function buildRow(id) {
    const tr = el("tr");
    tr.dataset.missionId = id;
    tr.tabIndex = 0;
    const missionCell = el("td", "mission-cell");
    missionCell.append(el("span", "mission-type"), el("code", "mission-id"));
    const priorityCell = el("td");
    priorityCell.append(el("span", "priority"));
    const statusCell = el("td");
    statusCell.append(el("span", "status"));
    const created = el("td");
    created.append(el("time"));
    tr.append(missionCell, priorityCell, statusCell, el("td", "num"), created, el("td", "latest"));
    return tr;
  }

  // Draw (or redraw) a mission's row. `seq` is the number of the newest event the snapshot reflects; an
  // older snapshot than the row already shows (a late HTTP answer racing the socket) is ignored.
  function upsert(mission, opts) {
    opts = opts || {};
    const seq = opts.seq || 0;
    let entry = rows.get(mission.id);
    if (entry && seq && entry.seq && seq < entry.seq) return entry;
    let isNew = false;
    if (!entry) {
      const existing = tbody.querySelector('tr[data-mission-id="' + CSS.escape(mission.id) + '"]');
      entry = { tr: existing || buildRow(mission.id), mission: {}, seq: 0, latest: "" };
      rows.set(mission.id, entry);
      isNew = !existing;
      if (isNew) {
        insertSorted(entry.tr, mission.created_at);
        trimRows();
      }
    }
    entry.mission = Object.assign({}, entry.mission, mission);
    if (seq) entry.seq = Math.max(entry.seq, seq);
    const m = entry.mission;
    const c = entry.tr.children;
    c[0].children[0].textContent = m.type;
    c[0].children[1].textContent = m.id.slice(0, 8);
    c[0].children[1].title = m.id;
    c[1].children[0].className = "priority priority-" + m.priority;
    c[1].children[0].textContent = capitalize(m.priority);
    const previous = entry.tr.dataset.status;
    statusPill(c[2].children[0], m.status);
    entry.tr.dataset.status = m.status;
    c[3].textContent = m.attempts + " / " + m.max_attempts;
    const time = c[4].children[0];
    time.dateTime = m.created_at;
    time.textContent = shortTime(m.created_at);
    time.title = longTime(m.created_at);
    if (opts.latest) entry.latest = opts.latest;
    else if (!entry.latest || previous !== m.status) entry.latest = summaryOf(m);
    c[5].textContent = entry.latest;
    c[5].title = entry.latest;
    if (previous !== m.status || isNew) flash(entry.tr, isNew);
    applyFilter(entry.tr);
    updateCounts();
    return entry;
  }

  // Newest first: a mission goes above the first row created before it.
  function insertSorted(tr, createdAt) {
    const t = Date.parse(createdAt) || Date.now();
    for (const other of tbody.children) {
      const otherEntry = rows.get(other.dataset.missionId);
      const ot = otherEntry ? Date.parse(otherEntry.mission.created_at) : NaN;
      if (!(ot > t)) {
        tbody.insertBefore(tr, other);
        return;
      }
    }
    tbody.appendChild(tr);
  }

  function trimRows() {
    while (tbody.children.length > MAX_ROWS) {
      const last = tbody.lastElementChild;
      rows.delete(last.dataset.missionId);
      last.remove();
    }
  }

  function flash(tr, isNew) {
    tr.classList.remove("flash", "arrived");
    void tr.offsetWidth; // restart the animation
    tr.classList.add(isNew ? "arrived" : "flash");
  }

  function matchesFilter(status) {
    if (filter === "all") return true;
    if (filter === "active") return ACTIVE.includes(status);
    return status === filter;
  }

  function applyFilter(tr) {
    tr.hidden = !matchesFilter(tr.dataset.status);
  }

  function updateCounts() {
    const counts = { all: 0, active: 0, awaiting_approval: 0, succeeded: 0, failed: 0, cancelled: 0 };
    for (const entry of rows.values()) {
      const s = entry.mission.status;
      counts.all += 1;
      if (ACTIVE.includes(s)) counts.active += 1;
      if (s in counts) counts[s] += 1;
    }
    for (const node of document.querySelectorAll("[data-count]")) node.textContent = counts[node.dataset.count];
    const visible = Array.from(tbody.children).some((tr) => !tr.hidden);
    const empty = document.getElementById("missions-empty");
    empty.hidden = visible;
    if (!visible) {
      empty.textContent = counts.all
        ? "No missions match this filter."
        : "No missions yet. Submit one with the form; it appears here the moment it is queued.";
    }
  }

  document.getElementById("filters").addEventListener("click", (e) => {
    const chip = e.target.closest("[data-filter]");
    if (!chip) return;
    filter = chip.dataset.filter;
    for (const other of document.querySelectorAll("#filters [data-filter]")) {
      other.setAttribute("aria-pressed", String(other === chip));
    }
    for (const tr of tbody.children) applyFilter(tr);
    updateCounts();
  });

  // The server rendered the rows; adopt them with the snapshot that came with the page.
  const initial = JSON.parse(document.getElementById("initial-missions").textContent);
  initial.forEach((m) => upsert(m));
  for (const tr of tbody.querySelectorAll("tr.arrived, tr.flash")) tr.classList.remove("arrived", "flash");

  // --- the live socket ------------------------------------------------------------------------------------

  // An interested reply is the moment a sales team waits for: say so on top of the page, with a link to it.
  const alerts = document.getElementById("alerts");

  function alertInterested(data) {
    if (!alerts) return;
    const item = el("div", "alert alert-good");
    item.setAttribute("role", "status");
    item.dataset.replyId = data.id;
    item.append(el("strong", "", "Interested reply"), " from " + data.from
      + (data.campaign ? " (campaign " + data.campaign + ")" : "") + (data.subject ? ": \u201c" + data.subject + "\u201d " : " "));
    const open = el("a", "", "Open in the inbox");
    open.href = "/inbox/?id=" + encodeURIComponent(data.id);
    const dismiss = el("button", "btn btn-ghost", "Dismiss");
    dismiss.type = "button";
    dismiss.addEventListener("click", () => item.remove());
    item.append(open, " ", dismiss);
    alerts.prepend(item);
    while (alerts.children.length > 5) alerts.lastElementChild.remove();
  }

  RexLive.connect({
    streams: ["missions", "replies"],
    // Events sent while no socket listened are gone (a reconnect, but also the moments between this page being
    // rendered and its first connection): catch up from the API every time the socket opens.
    onOpen: resync,
    onMessage(data) {
      if (data.type === "interested") return alertInterested(data);
      if (data.type !== "mission.event") return;
      const event = data.event || {};
      upsert(data.mission, { seq: event.seq, latest: event.message || event.kind });
      if (detail.id === data.mission.id) detailEvent(data.mission, event);
    },
  });

  async function resync() {
    const before = new Map(Array.from(rows, ([id, entry]) => [id, entry.seq]));
    const { status, body } = await api("GET", "/api/missions/");
    if (status !== 200 || !body || !Array.isArray(body.results)) return;
    for (const m of body.results.slice().reverse()) {
      const entry = rows.get(m.id);
      // Only where no socket event arrived meanwhile, which would be newer than this page of the list.
      if (!entry || entry.seq === before.get(m.id)) upsert(m);
    }
    if (detail.id) loadDetail(detail.id, { quiet: true });
  }


  // --- the submit form ------------------------------------------------------------------------------------

  const form = document.getElementById("command-form");
  const typeSelect = form.elements.type;
  const paramsBox = form.elements.params;
  const presetsBox = document.getElementById("presets");
  const submitButton = document.getElementById("submit-button");
  const result = document.getElementById("command-result");
  const formError = document.getElementById("form-error");
  const KNOWN_FIELDS = ["type", "priority", "params", "idempotency_key"];

  function drawPresets() {
    presetsBox.replaceChildren();
    const presets = PRESETS[typeSelect.value] || [];
    presetsBox.hidden = !presets.length;
    if (!presets.length) return;
    presetsBox.append(el("span", "presets-label", "Examples:"));
    for (const preset of presets) {
      const button = el("button", "chip chip-preset", preset.label);
      button.type = "button";
      button.title = JSON.stringify(preset.params);
      button.addEventListener("click", () => {
        paramsBox.value = pretty(preset.params);
        clearFieldError("params");
        paramsBox.focus();
      });
      presetsBox.append(button);
    }
  }
  typeSelect.addEventListener("change", () => { clearFieldError("type"); drawPresets(); });
  drawPresets();

  function fieldControl(field) {
    const control = form.elements[field];
    return control && control.length && !control.tagName ? control[0] : control;
  }

  // DRF's field errors are a list of strings, or (for params validated by the agent's serializer) an object of
  // lists: flatten either into readable lines.
  function flatten(value, prefix) {
    if (value === null || value === undefined) return [];
    if (Array.isArray(value)) return value.flatMap((v) => flatten(v, prefix));
    if (typeof value === "object") {
      return Object.entries(value).flatMap(([k, v]) =>
        flatten(v, k === "non_field_errors" ? prefix : prefix ? prefix + "." + k : k));
    }
    return [(prefix ? prefix + ": " : "") + String(value)];
  }

  function showFieldError(field, messages) {
    const box = document.getElementById("error-" + field);
    box.replaceChildren();
    for (const line of messages) box.append(el("span", null, line));
    box.hidden = false;
    const control = fieldControl(field);
    if (control) control.setAttribute("aria-invalid", "true");
    if (field === "idempotency_key") form.querySelector("details.advanced").open = true;
  }

  function clearFieldError(field) {
    const box = document.getElementById("error-" + field);
    box.hidden = true;
    box.replaceChildren();
    const control = fieldControl(field);
    if (control) control.removeAttribute("aria-invalid");
  }

  function clearErrors() {
    KNOWN_FIELDS.forEach(clearFieldError);
    formError.hidden = true;
    formError.replaceChildren();
  }

  function showFormError(message, withLoginLink) {
    formError.replaceChildren(el("span", null, message));
    if (withLoginLink) {
      const link = el("a", null, "Log in again");
      link.href = "/accounts/login/?next=/";
      formError.append(" ", link);
    }
    formError.hidden = false;
  }

  // What the previous action said (an error, a result, "no such mission") is cleared by the next one, whichever
  // form or link it comes from: a stale error next to a new answer reads as the new answer's.
  function clearMessages() {
    clearErrors();
    result.replaceChildren();
    delete result.dataset.missionId;
    clearNlError();
    const nl = document.getElementById("nl-result");
    nl.replaceChildren();
    delete nl.dataset.layer;
    for (const notice of document.querySelectorAll("#alerts .alert-missing")) notice.remove();
  }

  paramsBox.addEventListener("input", () => clearFieldError("params"));
  form.elements.idempotency_key.addEventListener("input", () => clearFieldError("idempotency_key"));

  // A mission that costs money may wait for a person: say so where the command was answered, with the quote.
  function appendApprovalNote(node, mission) {
    if (mission.status !== "awaiting_approval") return;
    node.append(el("span", "hint", " — awaiting approval: " + (mission.cost_quote || "") + " (open it to approve or reject)"));
  }

  function showResult(mission, created) {
    result.replaceChildren();
    result.dataset.missionId = mission.id;
    result.className = "command-result " + (created ? "ok" : "info");
    result.append(el("span", null, created ? "Submitted " : "Already submitted: "));
    const link = el("a", "mission-link", mission.type + " " + mission.id.slice(0, 8));
    link.href = "#mission-" + mission.id;
    link.addEventListener("click", (e) => { e.preventDefault(); openDetail(mission.id); });
    result.append(link);
    appendApprovalNote(result, mission);
    if (!created) {
      result.append(el("span", "hint", " — same idempotency key (or type and params). Change the params or set a new key to run it again."));
    }
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearMessages();
    let params;
    const raw = paramsBox.value.trim();
    try {
      params = raw ? JSON.parse(raw) : {};
    } catch (err) {
      showFieldError("params", ["Not valid JSON: " + err.message]);
      paramsBox.focus();
      return;
    }
    if (params === null || typeof params !== "object" || Array.isArray(params)) {
      showFieldError("params", ["Must be a JSON object, e.g. {\"fail_times\": 2}."]);
      paramsBox.focus();
      return;
    }
    const command = { type: typeSelect.value, priority: form.elements.priority.value, params: params };
    const key = form.elements.idempotency_key.value.trim();
    if (key) command.idempotency_key = key;

    submitButton.disabled = true;
    submitButton.textContent = "Submitting…";
    try {
      const { status, body } = await api("POST", "/api/rex/command", command);
      if (status === 201 || status === 200) {
        upsert(body, { seq: lastSeqOf(body), latest: status === 201 ? "submitted" : undefined });
        showResult(body, status === 201);
        refreshShare(body.decision);
      } else if (status === 400 && body && typeof body === "object") {
        const other = [];
        for (const [field, errors] of Object.entries(body)) {
          if (KNOWN_FIELDS.includes(field)) showFieldError(field, flatten(errors, ""));
          else other.push(...flatten(errors, field === "detail" || field === "non_field_errors" ? "" : field));
        }
        if (other.length) showFormError(other.join(" "));
        const first = form.querySelector('[aria-invalid="true"]');
        if (first) first.focus();
      } else if (sessionLost(status)) {
        showFormError("Your session has expired or you lack permission.", true);
      } else {
        showFormError((body && body.detail) || "The server answered " + status + ". Try again.");
      }
    } finally {
      submitButton.disabled = false;
      submitButton.textContent = "Submit mission";
    }
  });

  // --- free-text commands and the decision-layer share ---------------------------------------------------

  const nlForm = document.getElementById("nl-form");
  const nlInput = document.getElementById("nl-command");
  const nlSubmit = document.getElementById("nl-submit");
  const nlResult = document.getElementById("nl-result");
  const nlError = document.getElementById("nl-error");
  const shareBox = document.getElementById("decision-share");
  const LAYER_LABELS = { structured: "structured", rules: "rules", llm: "LLM" };

  function storedShare() {
    const d = shareBox.dataset;
    return { structured: Number(d.structured) || 0, rules: Number(d.rules) || 0, llm: Number(d.llm) || 0,
             rejected: Number(d.rejected) || 0 };
  }

  function drawShare(counts) {
    Object.assign(shareBox.dataset, counts);
    const decided = counts.structured + counts.rules + counts.llm;
    shareBox.querySelector("[data-share-text]").textContent = decided
      ? Object.keys(LAYER_LABELS).map((layer) =>
          LAYER_LABELS[layer] + " " + Math.round((100 * counts[layer]) / decided) + " %").join(" · ")
      : "none yet";
    shareBox.querySelector("[data-share-counts]").textContent = "(" + decided + " decided, " + counts.rejected + " refused)";
  }

  // After a command, read the server's figure (every member's commands, refusals included); when it cannot be
  // read, count the decision just made here so the figure still moves.
  async function refreshShare(decision) {
    if (!shareBox) return;
    const { status, body } = await api("GET", "/api/agents/status?window=24h");
    const d = body && body.decisions;
    if (status === 200 && d && d.layers) {
      drawShare({ structured: d.layers.structured.count, rules: d.layers.rules.count, llm: d.layers.llm.count,
                  rejected: d.rejected });
      return;
    }
    const counts = storedShare();
    if (decision && decision.layer in counts) counts[decision.layer] += 1;
    else if (!decision) counts.rejected += 1;
    drawShare(counts);
  }

  function missionLink(mission) {
    const link = el("a", "mission-link", mission.type + " " + mission.id.slice(0, 8));
    link.href = "#mission-" + mission.id;
    link.addEventListener("click", (e) => { e.preventDefault(); openDetail(mission.id); });
    return link;
  }

  function showDecision(body, status) {
    const decision = body.decision;
    nlResult.replaceChildren();
    nlResult.dataset.layer = decision.layer;
    nlResult.className = "command-result " + (status === 201 || decision.outcome === "answered" ? "ok" : "info");
    const line = el("p", "decision-line");
    line.style.margin = "0";
    line.append(el("strong", "decision-layer", LAYER_LABELS[decision.layer] || decision.layer), " · ",
                el("span", "decision-summary", decision.summary));
    nlResult.append(line);
    if (body.answer) {
      nlResult.append(drawAnswer(body.answer));
      return;
    }
    const made = el("p", "decision-missions");
    made.style.margin = ".25rem 0 0";
    made.append(el("span", null, status === 201 ? "Submitted " : "Already submitted: "));
    (body.missions || [body]).forEach((mission, i) => {
      if (i) made.append(", ");
      made.append(missionLink(mission));
      appendApprovalNote(made, mission);
    });
    nlResult.append(made);
  }

  // A figure as people read it: "2.5 %", "1,204"; an empty one as a dash.
  const numberFmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
  function cellText(value) {
    if (value === null || value === undefined || value === "") return "—";
    return typeof value === "number" ? numberFmt.format(value) : String(value);
  }

  // An answer is one number or a table (docs/decision-engine.md#answers), drawn as such, never as raw JSON.
  function drawAnswer(answer) {
    const box = el("div", "answer answer-" + (answer.kind || "text"));
    box.dataset.kind = answer.kind || "text";
    if (answer.kind === "number") {
      box.append(el("span", "answer-title", answer.title));
      const value = el("strong", "answer-value", cellText(answer.value));
      if (answer.value !== null && answer.unit) value.append(el("span", "answer-unit", " " + answer.unit));
      box.append(value);
    } else if (answer.kind === "table") {
      box.append(el("span", "answer-title", answer.title));
      const wrap = el("div", "answer-table-wrap");
      const table = el("table", "answer-table");
      const head = el("tr");
      for (const column of answer.columns || []) head.append(el("th", null, column));
      const thead = el("thead");
      thead.append(head);
      const tbody = el("tbody");
      for (const row of answer.rows || []) {
        const tr = el("tr");
        for (const value of row) tr.append(el("td", typeof value === "number" ? "num" : null, cellText(value)));
        tbody.append(tr);
      }
      if (!(answer.rows || []).length) {
        const tr = el("tr");
        const td = el("td", "muted", "Nothing yet.");
        td.colSpan = Math.max((answer.columns || []).length, 1);
        tr.append(td);
        tbody.append(tr);
      }
      table.append(thead, tbody);
      wrap.append(table);
      box.append(wrap);
    } else if (answer.text) {
      box.append(el("span", null, answer.text));
    }
    if (answer.detail) box.append(el("span", "answer-detail", answer.detail));
    if (answer.mission) box.append(missionLink(answer.mission));
    return box;
  }

  // A refusal in words; a "did you mean '…'?" becomes a button that puts the suggestion in the box.
  function showNlError(messages) {
    nlError.replaceChildren();
    for (const message of messages) {
      const line = el("span", null, message);
      // "did you mean 'a'?" or, for a name several things carry, "did you mean 'a' or 'b'?": a button each.
      const meant = message.match(/did you mean ('.+')\?/);
      const options = meant ? Array.from(meant[1].matchAll(/'([^']+)'/g), (m) => m[1]) : [];
      for (const option of options) {
        const use = el("button", "chip chip-preset", "Use “" + option + "”");
        use.type = "button";
        use.addEventListener("click", () => { nlInput.value = option; clearNlError(); nlInput.focus(); });
        line.append(" ", use);
      }
      nlError.append(line);
    }
    nlError.hidden = false;
    nlInput.setAttribute("aria-invalid", "true");
  }

  function clearNlError() {
    nlError.hidden = true;
    nlError.replaceChildren();
    nlInput.removeAttribute("aria-invalid");
  }

  for (const chip of document.querySelectorAll("#nl-suggestions [data-command]")) {
    chip.addEventListener("click", () => { nlInput.value = chip.dataset.command; clearNlError(); nlInput.focus(); });
  }
  nlInput.addEventListener("input", clearNlError);

  nlForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearMessages();
    nlResult.replaceChildren();
    delete nlResult.dataset.layer;
    const text = nlInput.value.trim();
    if (!text) {
      showNlError(["Type a command, e.g. “warm up 5 new domains for acme”, or pick an example below."]);
      nlInput.focus();
      return;
    }
    nlSubmit.disabled = true;
    nlSubmit.textContent = "Sending…";
    try {
      const { status, body } = await api("POST", "/api/rex/command", { command: text });
      if ((status === 201 || status === 200) && body && body.decision) {
        if (body.id) upsert(body, { seq: lastSeqOf(body), latest: status === 201 ? "submitted" : undefined });
        for (const mission of body.missions || []) if (mission.id !== body.id) upsert(mission, { latest: mission.created ? "submitted" : undefined });
        showDecision(body, status);
        refreshShare(body.decision);
      } else if (status === 400 && body && typeof body === "object") {
        showNlError(flatten(body.command || body, ""));
        nlInput.focus();
        refreshShare(null);
      } else if (sessionLost(status)) {
        showNlError(["Your session has expired or you lack permission; log in again."]);
      } else {
        showNlError([(body && body.detail) || "The server answered " + status + ". Try again."]);
      }
    } finally {
      nlSubmit.disabled = false;
      nlSubmit.textContent = "Send";
    }
  });

  // --- the mission panel ----------------------------------------------------------------------------------

  const drawer = document.getElementById("detail");
  const timeline = document.getElementById("timeline");
  const cancelButton = document.getElementById("detail-cancel");
  const retryButton = document.getElementById("detail-retry");
  const approval = document.getElementById("detail-approval");
  const approveButton = document.getElementById("detail-approve");
  const rejectButton = document.getElementById("detail-reject");
  const rejectReason = document.getElementById("detail-reject-reason");
  const actionResult = document.getElementById("detail-action-result");

  function bind(name) {
    return drawer.querySelector('[data-bind="' + name + '"]');
  }

  function drawDetailMeta(m) {
    detail.mission = Object.assign({}, detail.mission, m);
    m = detail.mission;
    bind("type").textContent = m.type;
    bind("short-id").textContent = m.id.slice(0, 8);
    bind("id").textContent = m.id;
    statusPill(bind("status"), m.status);
    bind("priority").textContent = capitalize(m.priority);
    bind("attempts").textContent = m.attempts + " of " + m.max_attempts;
    bind("created_at").textContent = longTime(m.created_at);
    bind("started_at").textContent = longTime(m.started_at);
    bind("finished_at").textContent = longTime(m.finished_at);
    if ("requested_by" in m) bind("requested_by").textContent = m.requested_by || "—";
    if ("params" in m) bind("params").textContent = pretty(m.params || {});
    const hasResult = m.result !== null && m.result !== undefined;
    drawer.querySelector('[data-section="result"]').hidden = !hasResult;
    if (hasResult) bind("result").textContent = pretty(m.result);
    const hasError = m.error !== null && m.error !== undefined;
    drawer.querySelector('[data-section="error"]').hidden = !hasError;
    if (hasError) bind("error").textContent = pretty(m.error);
    bind("estimated_cost").textContent = typeof m.estimated_cost_cents === "number"
      ? "$" + (m.estimated_cost_cents / 100).toFixed(2) : "nothing";
    bind("cost_quote").textContent = m.cost_quote || "";
    // Approve / Reject follow the status: a frame saying another person decided hides them at once.
    approval.hidden = m.status !== "awaiting_approval";
    cancelButton.hidden = !ACTIVE.includes(m.status) || m.status === "awaiting_approval";
    retryButton.hidden = !(m.status === "failed" || m.status === "cancelled");
  }

  function timelineItem(event) {
    const li = el("li", "tl-item tl-" + (event.to_status || event.kind));
    li.dataset.seq = event.seq;
    li.dataset.kind = event.kind;
    const head = el("div", "tl-head");
    const kind = el("span", "status status-" + (event.to_status || event.kind), event.kind);
    const when = el("time", "tl-time", shortTime(event.created_at || event.at));
    when.dateTime = event.created_at || event.at || "";
    when.title = longTime(event.created_at || event.at);
    head.append(kind, when);
    li.append(head);
    if (event.message) li.append(el("p", "tl-message", event.message));
    if (event.data && event.data.error && event.data.error.message && !(event.message || "").includes(event.data.error.message)) {
      li.append(el("p", "tl-message tl-error", event.data.error.message));
    }
    return li;
  }

  function addTimelineEvent(event) {
    if (event.seq && detail.seqs.has(event.seq)) return;
    if (event.seq) detail.seqs.add(event.seq);
    const li = timelineItem(event);
    // Keep seq order even if a socket event overtakes the HTTP answer.
    const after = Array.from(timeline.children).find((other) => Number(other.dataset.seq) > Number(event.seq));
    timeline.insertBefore(li, after || null);
  }

  function detailEvent(mission, event) {
    drawDetailMeta(mission);
    addTimelineEvent(event);
    // The socket carries a snapshot without params and result: fetch the full mission once it settles.
    if (!ACTIVE.includes(mission.status)) loadDetail(mission.id, { quiet: true });
  }

  async function loadDetail(id, opts) {
    opts = opts || {};
    const request = ++detail.request;
    const loading = document.getElementById("timeline-loading");
    if (!opts.quiet) loading.hidden = false;
    const { status, body } = await api("GET", "/api/missions/" + encodeURIComponent(id) + "/");
    if (request !== detail.request || detail.id !== id) return; // another mission was opened meanwhile
    loading.hidden = true;
    if (status === 404 && !rows.has(id)) {
      // Never seen here and unknown to the server: a bad link, not a mission that went away.
      closeDetail();
      noSuchMission(id.slice(0, 8));
      return;
    }
    if (status !== 200) {
      actionResult.className = "action-result error";
      actionResult.textContent = sessionLost(status)
        ? "Your session has expired; log in again."
        : status === 404 ? "No such mission: it no longer exists." : "Could not load the mission (" + status + ").";
      return;
    }
    drawDetailMeta(body);
    for (const event of body.events || []) addTimelineEvent(event);
    upsert(body, { seq: lastSeqOf(body) });
  }

  function openDetail(id) {
    const entry = rows.get(id);
    if (detail.id !== id) {
      detail.id = id;
      detail.mission = null;
      detail.seqs = new Set();
      timeline.replaceChildren();
      bind("requested_by").textContent = "—";
      bind("params").textContent = "";
    }
    // Opening a mission is a new action: what the panel said about the last one is stale.
    actionResult.textContent = "";
    actionResult.className = "action-result";
    for (const notice of document.querySelectorAll("#alerts .alert-missing")) notice.remove();
    if (entry) drawDetailMeta(entry.mission);
    for (const tr of tbody.querySelectorAll("tr.selected")) tr.classList.remove("selected");
    if (entry) entry.tr.classList.add("selected");
    drawer.hidden = false;
    document.body.classList.add("drawer-open");
    if (location.hash !== "#mission-" + id) history.replaceState(null, "", "#mission-" + id);
    loadDetail(id);
  }

  function closeDetail() {
    drawer.hidden = true;
    document.body.classList.remove("drawer-open");
    const entry = rows.get(detail.id);
    if (entry) {
      entry.tr.classList.remove("selected");
      entry.tr.focus();
    }
    detail.id = null;
    detail.request += 1;
    history.replaceState(null, "", location.pathname + location.search);
  }

  tbody.addEventListener("click", (e) => {
    const tr = e.target.closest("tr[data-mission-id]");
    if (tr) openDetail(tr.dataset.missionId);
  });
  tbody.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    const tr = e.target.closest("tr[data-mission-id]");
    if (!tr) return;
    e.preventDefault();
    openDetail(tr.dataset.missionId);
  });
  document.getElementById("detail-close").addEventListener("click", closeDetail);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !drawer.hidden) closeDetail();
  });

  const DOING = { cancel: "Cancelling…", retry: "Retrying…", approve: "Approving…", reject: "Rejecting…" };
  const DONE = { cancel: "Mission cancelled.", retry: "Mission queued again.", approve: "Spend approved; mission queued.",
                 reject: "Spend rejected; mission cancelled." };

  async function transition(action, button, payload) {
    const id = detail.id;
    if (!id) return;
    button.disabled = true;
    actionResult.className = "action-result";
    actionResult.textContent = DOING[action];
    try {
      const { status, body } = await api("POST", "/api/missions/" + encodeURIComponent(id) + "/" + action + "/", payload);
      if (detail.id !== id) return;
      if (status === 200) {
        actionResult.className = "action-result ok";
        actionResult.textContent = DONE[action];
        if (action === "reject") rejectReason.value = "";
        drawDetailMeta(body);
        for (const event of body.events || []) addTimelineEvent(event);
        upsert(body, { seq: lastSeqOf(body) });
      } else if (status === 409) {
        actionResult.className = "action-result error";
        actionResult.textContent = (body && body.detail ? capitalize(body.detail) : "Not possible now") + ".";
        loadDetail(id, { quiet: true });
      } else if (status === 400 && body && body.reason) {
        actionResult.className = "action-result error";
        actionResult.textContent = "Reason: " + [].concat(body.reason).join(" ");
        rejectReason.focus();
      } else if (sessionLost(status)) {
        actionResult.className = "action-result error";
        actionResult.textContent = "Your session has expired; log in again.";
      } else {
        actionResult.className = "action-result error";
        actionResult.textContent = (body && body.detail) || "The server answered " + status + ".";
      }
    } finally {
      button.disabled = false;
    }
  }
  cancelButton.addEventListener("click", () => transition("cancel", cancelButton));
  retryButton.addEventListener("click", () => transition("retry", retryButton));
  approveButton.addEventListener("click", () => transition("approve", approveButton));
  rejectButton.addEventListener("click", () => {
    const reason = rejectReason.value.trim();
    if (!reason) {
      actionResult.className = "action-result error";
      actionResult.textContent = "Say why the spend is rejected.";
      rejectReason.focus();
      return;
    }
    transition("reject", rejectButton, { reason: reason });
  });

  // A shared link to a mission opens its panel; a link to a mission that is not there says so instead of
  // doing nothing.
  function noSuchMission(ref) {
    for (const notice of alerts.querySelectorAll(".alert-missing")) notice.remove();
    const notice = el("div", "alert alert-missing");
    notice.setAttribute("role", "alert");
    notice.append(el("strong", "", "No such mission"), " — " + ref + " is not one of your organization's missions.");
    const dismiss = el("button", "btn btn-ghost", "Dismiss");
    dismiss.type = "button";
    dismiss.addEventListener("click", () => notice.remove());
    notice.append(" ", dismiss);
    alerts.prepend(notice);
  }

  function openFromHash() {
    const hashed = location.hash.match(/^#mission-(.*)$/);
    if (!hashed) return;
    const ref = decodeURIComponent(hashed[1]);
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref)) {
      openDetail(ref.toLowerCase());
    } else {
      history.replaceState(null, "", location.pathname + location.search);
      noSuchMission("“" + ref + "”");
    }
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();

  // Keep "Created" labels right across midnight and after a long-open tab.
  setInterval(() => {
    for (const entry of rows.values()) {
      const time = entry.tr.children[4].children[0];
      time.textContent = shortTime(entry.mission.created_at);
    }
  }, 60000);
})();
