// The Campaigns page: the organization's campaigns with their figures (polled from GET /api/campaigns/ every few
// seconds), the selected campaign's actions (start / enroll / pause / resume), its sequence editor (GET/POST/PUT
// /api/sequences/), a preview rendered by the server for a real contact (POST /api/campaigns/<slug>/preview), its
// send window and pacing (PATCH /api/campaigns/<slug>/), and the CSV import of a list (POST /api/contacts/import).
// Plain DOM: every piece of data goes in through textContent; field errors of a 400 are shown next to their field.
(function () {
  "use strict";
  const { el, api } = window.RexCommon;


  const initialNode = document.getElementById("initial-campaigns");
  if (!initialNode) return; // no organization: nothing to drive
  const initial = JSON.parse(initialNode.textContent);
  const STATUS_LABELS = initial.statuses || {};
  const POLL_MS = (initial.poll_seconds || 10) * 1000;
  const PREVIEW_DELAY_MS = 400;

  const campaigns = new Map(); // slug -> campaign (the API's shape)
  let order = []; // slugs in the order the server lists them
  let lists = initial.lists || [];
  let sequences = initial.sequences || [];
  let selected = null; // slug of the campaign shown
  // The sequence being edited: its slug once saved, its name and its steps (the editor's model; the DOM follows it).
  const editor = { slug: null, name: "", steps: [], dirty: false };
  const preview = { timer: null, request: 0 };
  let selectRequest = 0;

  const $ = (id) => document.getElementById(id);

  // --- helpers ---------------------------------------------------------------------------------------------

  const ok = (r) => r.status >= 200 && r.status < 300;
  const results = (body) => (Array.isArray(body) ? body : (body && Array.isArray(body.results) ? body.results : []));
  const enc = encodeURIComponent;
  const statusLabel = (s) => STATUS_LABELS[s] || s;
  const hhmm = (t) => (t ? String(t).slice(0, 5) : "");

  function message(body) {
    if (!body) return "Something went wrong.";
    if (typeof body === "string") return body;
    if (body.detail) return String(body.detail);
    const found = flatten(body, "", []);
    return found.length ? found.map(([path, m]) => (path ? path + ": " : "") + m).join(" ") : "Something went wrong.";
  }

  function setResult(node, text, kind) {
    node.textContent = text || "";
    node.className = "action-result" + (kind ? " " + kind : "");
  }

  // --- field errors ----------------------------------------------------------------------------------------

  // DRF errors ({"steps": [{}, {"variants": [{"body": ["…"]}]}]}, or "steps[1].variants[0].body" keys) as
  // [path, message] pairs, the path dotted: "steps.1.variants.0.body"; non_field_errors belong to their parent.
  function flatten(err, prefix, out) {
    if (err === null || err === undefined) return out;
    if (typeof err === "string" || typeof err === "number") {
      out.push([prefix, String(err)]);
    } else if (Array.isArray(err)) {
      if (err.every((x) => typeof x === "string")) err.forEach((m) => out.push([prefix, m]));
      else err.forEach((x, i) => flatten(x, join(prefix, String(i)), out));
    } else if (typeof err === "object") {
      for (const [key, value] of Object.entries(err)) {
        const k = key.replace(/\[(\d+)\]/g, ".$1").replace(/^\./, "");
        flatten(value, k === "non_field_errors" || k === "detail" ? prefix : join(prefix, k), out);
      }
    }
    return out;
  }

  function join(prefix, key) {
    return prefix ? prefix + "." + key : key;
  }

  function clearErrors(root) {
    root.querySelectorAll("[data-error-for]").forEach((node) => {
      node.textContent = "";
      if (node.classList.contains("form-error")) node.hidden = true;
    });
    root.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
  }

  // Each message next to its field (or the nearest enclosing one that shows errors); the rest in the form's box.
  // Returns how many messages were shown next to a field.
  function showErrors(root, errors, rename) {
    clearErrors(root);
    let placed = 0;
    for (let [path, text] of flatten(errors, "", [])) {
      if (rename) path = rename(path);
      let target = null;
      let at = path;
      while (at) {
        target = root.querySelector('[data-error-for="' + CSS.escape(at) + '"]');
        if (target) break;
        at = at.includes(".") ? at.slice(0, at.lastIndexOf(".")) : "";
      }
      if (!target) target = root.querySelector('[data-error-for=""]');
      if (!target) continue;
      const line = el("span", null, text);
      target.append(line);
      target.hidden = false;
      if (at) placed += 1;
      const input = root.querySelector('[data-path="' + CSS.escape(at || path) + '"]');
      if (input) input.setAttribute("aria-invalid", "true");
    }
    const first = root.querySelector('[aria-invalid="true"]');
    if (first && !root.contains(document.activeElement)) first.focus();
    return placed;
  }

  // --- campaigns list --------------------------------------------------------------------------------------

  function statusPill(node, status) {
    node.className = "status status-" + status;
    node.textContent = statusLabel(status);
    return node;
  }

  function figure(c, name) {
    return (c.figures && c.figures[name]) || 0;
  }

  function drawList() {
    const ul = $("campaign-list");
    const items = order.map((slug) => {
      const c = campaigns.get(slug);
      const button = el("button", "campaign-item");
      button.type = "button";
      button.dataset.slug = slug;
      if (slug === selected) button.setAttribute("aria-current", "true");
      const head = el("span", "campaign-item-head");
      head.append(el("strong", "campaign-item-name", c.name), statusPill(el("span"), c.status));
      button.append(head, el("span", "campaign-item-figures muted small",
        figure(c, "enrolled") + " enrolled · " + figure(c, "sent") + " sent · " + figure(c, "replied") + " replied"));
      const li = el("li");
      li.append(button);
      return li;
    });
    ul.replaceChildren(...items);
    $("campaign-list-empty").hidden = order.length > 0;
  }

  function takeCampaigns(rows) {
    order = rows.map((c) => c.slug);
    campaigns.clear();
    for (const c of rows) campaigns.set(c.slug, c);
  }

  function putCampaign(c) {
    if (!campaigns.has(c.slug)) order.push(c.slug);
    campaigns.set(c.slug, c);
    order.sort((a, b) => campaigns.get(a).name.localeCompare(campaigns.get(b).name));
  }

  $("campaign-list").addEventListener("click", (e) => {
    const button = e.target.closest(".campaign-item");
    if (button) selectCampaign(button.dataset.slug);
  });

  // --- new campaign ----------------------------------------------------------------------------------------

  $("new-campaign").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const name = $("new-campaign-name").value.trim();
    if (!name) {
      showErrors(form, { name: ["Give the campaign a name."] });
      return;
    }
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    const r = await api("POST", "/api/campaigns/", { name: name, from_name: $("new-campaign-from").value.trim() });
    submit.disabled = false;
    if (!ok(r)) {
      showErrors(form, r.body);
      return;
    }
    clearErrors(form);
    form.reset();
    putCampaign(r.body);
    drawList();
    selectCampaign(r.body.slug);
  });

  // --- the selected campaign -------------------------------------------------------------------------------

  function fillListSelect(select, current, placeholder) {
    const options = [el("option", null, placeholder)];
    options[0].value = "";
    for (const l of lists) {
      const option = el("option", null, l.name + " (" + l.contacts + ")");
      option.value = l.slug;
      options.push(option);
    }
    select.replaceChildren(...options);
    select.value = lists.some((l) => l.slug === current) ? current : "";
  }

  function drawLists() {
    const chosenAction = $("action-list").value || (selected && campaigns.get(selected) && campaigns.get(selected).list) || "";
    fillListSelect($("action-list"), chosenAction || (lists[0] && lists[0].slug), "Choose a list…");
    const chosenPreview = $("preview-list").value || chosenAction || (lists[0] && lists[0].slug);
    fillListSelect($("preview-list"), chosenPreview, "Contacts of…");
    $("list-names").replaceChildren(...lists.map((l) => {
      const option = el("option");
      option.value = l.slug;
      option.label = l.name;
      return option;
    }));
  }

  function drawCampaign(c) {
    $("no-campaign").hidden = true;
    $("campaign-detail").hidden = false;
    $("campaign-name").textContent = c.name;
    statusPill($("campaign-status"), c.status);
    const seq = sequences.find((s) => s.slug === c.sequence);
    const list = lists.find((l) => l.slug === c.list);
    const parts = [
      "Sequence: " + (seq ? seq.name : c.sequence || "none yet"),
      "List: " + (list ? list.name : c.list || "none yet"),
      (c.send_days_text || "no days") + " " + hhmm(c.send_start) + "–" + hhmm(c.send_end) + " " + c.timezone,
      "gap " + c.min_gap_seconds + "–" + c.max_gap_seconds + " s",
    ];
    if (c.from_name) parts.unshift("From " + c.from_name);
    $("campaign-summary").textContent = parts.join(" · ");

    const status = c.status;
    $("btn-start").hidden = status !== "draft";
    $("btn-enroll").hidden = !(status === "active" || status === "paused");
    $("btn-pause").hidden = status !== "active";
    $("btn-resume").hidden = status !== "paused";
    $("action-list").hidden = $("btn-start").hidden && $("btn-enroll").hidden;
    $("action-list-hint").hidden = status === "finished";
    drawFigures(c.figures || {});
  }

  function drawFigures(f) {
    for (const node of document.querySelectorAll("#figures [data-figure]")) {
      node.textContent = String(f[node.dataset.figure] || 0);
    }
    const byState = Object.entries(f.by_state || {}).filter(([, n]) => n).sort(([a], [b]) => a.localeCompare(b));
    $("by-state").replaceChildren(...byState.map(([state, n]) => {
      const li = el("li", "state-count");
      li.dataset.stateCount = state;
      li.append(el("span", "state enrollment-" + state, state.replace(/_/g, " ")), " ", el("strong", null, n));
      return li;
    }));
    const rows = (f.steps || []).map((s) => {
      const tr = el("tr");
      tr.dataset.step = s.step_index;
      tr.dataset.variant = s.variant;
      tr.append(el("td", null, "Step " + (s.step_index + 1)), el("td", null, s.variant || "—"));
      for (const k of ["sent", "failed", "replied", "bounced", "unsubscribed", "meetings"]) {
        tr.append(el("td", "num", s[k] || 0));
      }
      return tr;
    });
    $("step-figures").querySelector("tbody").replaceChildren(...rows);
    $("step-figures").hidden = rows.length === 0;
    $("step-figures-empty").hidden = rows.length > 0;
  }

  function fillSettings(c) {
    const form = $("settings-form");
    clearErrors(form);
    setResult($("settings-result"), "");
    $("settings-from").value = c.from_name || "";
    const days = new Set(c.send_days || []);
    form.querySelectorAll('input[name="send_days"]').forEach((box) => { box.checked = days.has(Number(box.value)); });
    $("settings-start").value = hhmm(c.send_start);
    $("settings-end").value = hhmm(c.send_end);
    $("settings-zone").value = c.timezone || "";
    $("settings-min-gap").value = c.min_gap_seconds;
    $("settings-max-gap").value = c.max_gap_seconds;
  }

  async function selectCampaign(slug) {
    const c = campaigns.get(slug);
    if (!c) return;
    selected = slug;
    const ticket = ++selectRequest;
    if (location.hash !== "#" + slug) history.replaceState(null, "", "#" + slug);
    drawList();
    drawLists();
    if (c.list && lists.some((l) => l.slug === c.list)) $("action-list").value = c.list;
    drawCampaign(c);
    fillSettings(c);
    setResult($("action-result"), "");
    setResult($("sequence-result"), "");
    clearErrors($("sequence-form"));
    drawSequenceSelect(c.sequence || "");
    await loadSequence(c.sequence, c);
    if (ticket !== selectRequest) return;
    loadPreviewContacts();
  }

  async function refreshCampaign(slug) {
    const r = await api("GET", "/api/campaigns/" + enc(slug) + "/");
    if (!ok(r)) return null;
    putCampaign(r.body);
    drawList();
    if (selected === slug) drawCampaign(r.body);
    return r.body;
  }

  // --- start / enroll / pause / resume ---------------------------------------------------------------------

  function describeRun(body) {
    const bits = [];
    if (typeof body.enrolled === "number") bits.push(body.enrolled + " enrolled");
    if (body.already_enrolled) bits.push(body.already_enrolled + " already in it");
    if (body.suppressed) bits.push(body.suppressed + " suppressed");
    if (body.without_email) bits.push(body.without_email + " without email");
    if (typeof body.sending_inboxes === "number" && body.sending_inboxes === 0) {
      bits.push("no sending inbox yet: assign domains to the campaign for mail to leave");
    }
    return bits.join(", ");
  }

  async function runAction(action, payload, done) {
    if (!selected) return;
    const slug = selected;
    const buttons = document.querySelectorAll(".campaign-actions .btn");
    buttons.forEach((b) => { b.disabled = true; });
    const r = await api("POST", "/api/campaigns/" + enc(slug) + "/" + action, payload);
    buttons.forEach((b) => { b.disabled = false; });
    if (!ok(r)) {
      setResult($("action-result"), message(r.body), "error");
      return;
    }
    const detail = describeRun(r.body || {});
    setResult($("action-result"), done + (detail ? ": " + detail : "") + ".", "ok");
    if (r.body && r.body.slug === slug && r.body.status) {
      putCampaign(r.body);
      drawList();
      if (selected === slug) drawCampaign(r.body);
    }
    await refreshCampaign(slug);
    refreshLists();
  }

  $("btn-start").addEventListener("click", () => {
    const c = campaigns.get(selected);
    const sequence = (c && c.sequence) || editor.slug;
    const list = $("action-list").value;
    if (!sequence) {
      setResult($("action-result"), "Save a sequence first: the campaign runs it.", "error");
      return;
    }
    if (!list) {
      setResult($("action-result"), "Choose the list whose contacts the campaign starts with.", "error");
      return;
    }
    if (editor.dirty) {
      setResult($("action-result"), "The sequence has unsaved changes: save it first.", "error");
      return;
    }
    runAction("start", { sequence: sequence, list: list }, "Started");
  });
  $("btn-enroll").addEventListener("click", () => {
    const list = $("action-list").value;
    if (!list) {
      setResult($("action-result"), "Choose the list to enroll.", "error");
      return;
    }
    runAction("enroll", { list: list }, "Enrolled the list");
  });
  $("btn-pause").addEventListener("click", () => runAction("pause", {}, "Paused"));
  $("btn-resume").addEventListener("click", () => runAction("resume", {}, "Resumed"));

  // --- settings --------------------------------------------------------------------------------------------

  $("settings-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!selected) return;
    const slug = selected;
    const form = e.currentTarget;
    const days = Array.from(form.querySelectorAll('input[name="send_days"]:checked'), (box) => Number(box.value));
    const intOr = (value) => (value === "" ? value : Number(value));
    const payload = {
      from_name: $("settings-from").value.trim(),
      send_days: days,
      send_start: $("settings-start").value,
      send_end: $("settings-end").value,
      timezone: $("settings-zone").value.trim(),
      min_gap_seconds: intOr($("settings-min-gap").value),
      max_gap_seconds: intOr($("settings-max-gap").value),
    };
    $("settings-save").disabled = true;
    const r = await api("PATCH", "/api/campaigns/" + enc(slug) + "/", payload);
    $("settings-save").disabled = false;
    if (!ok(r)) {
      showErrors(form, r.body);
      setResult($("settings-result"), "Not saved.", "error");
      return;
    }
    clearErrors(form);
    putCampaign(r.body);
    drawList();
    if (selected === slug) {
      drawCampaign(r.body);
      fillSettings(r.body);
    }
    setResult($("settings-result"), "Saved.", "ok");
    schedulePreview(0);
  });

  // --- the sequence editor ---------------------------------------------------------------------------------

  function drawSequenceSelect(current) {
    const select = $("sequence-select");
    const fresh = el("option", null, "New sequence");
    fresh.value = "";
    select.replaceChildren(fresh, ...sequences.map((s) => {
      const option = el("option", null, s.name);
      option.value = s.slug;
      return option;
    }));
    select.value = sequences.some((s) => s.slug === current) ? current : "";
  }

  function blankSteps() {
    return [{ kind: "email", channel: "email", wait_days: 0, variants: [{ label: "A", subject: "", body: "" }] }];
  }

  function takeSequence(seq) {
    editor.slug = seq ? seq.slug : null;
    editor.name = seq ? seq.name : "";
    editor.steps = seq
      ? (seq.steps || []).slice().sort((a, b) => a.position - b.position).map((s) => ({
        kind: s.kind,
        // A message step's channel (email or sms): kept so that saving never turns a text back into an email.
        channel: s.kind === "email" ? (s.channel || "email") : "email",
        wait_days: s.wait_days || 0,
        variants: (s.variants || []).map((v) => ({ label: v.label, subject: v.subject || "", body: v.body || "" })),
      }))
      : blankSteps();
    editor.dirty = false;
  }

  async function loadSequence(slug, campaign) {
    clearErrors($("sequence-form"));
    if (!slug) {
      takeSequence(null);
      editor.name = campaign ? campaign.name : "";
      drawEditor();
      return;
    }
    const r = await api("GET", "/api/sequences/" + enc(slug) + "/");
    if (!ok(r)) {
      setResult($("sequence-result"), "Could not load sequence " + slug + ": " + message(r.body), "error");
      takeSequence(null);
    } else {
      takeSequence(r.body);
    }
    drawEditor();
  }

  $("sequence-select").addEventListener("change", async (e) => {
    if (editor.dirty && !window.confirm("Discard the unsaved changes to this sequence?")) {
      e.target.value = editor.slug || "";
      return;
    }
    setResult($("sequence-result"), "");
    await loadSequence(e.target.value || null, campaigns.get(selected));
    schedulePreview(0);
  });

  // The first step sent as an email: it carries the subject and starts the thread (a text before it does not).
  function firstEmailIndex() {
    return editor.steps.findIndex((s) => s.kind === "email" && s.channel !== "sms");
  }

  const CHANNEL_NAMES = { email: "Email", sms: "SMS" };

  function nextLabel(variants) {
    const used = new Set(variants.map((v) => v.label));
    for (let code = 65; code < 91; code++) {
      const label = String.fromCharCode(code);
      if (!used.has(label)) return label;
    }
    return "V" + (variants.length + 1);
  }

  function bindPath(node, path) {
    node.dataset.path = path;
  }

  function drawEditor() {
    $("sequence-name").value = editor.name;
    const first = firstEmailIndex();
    const waitTemplate = $("wait-step-template").content;
    const emailTemplate = $("email-step-template").content;
    const variantTemplate = $("variant-template").content;
    let emailNumber = 0;
    const items = editor.steps.map((step, i) => {
      const base = "steps." + i;
      let li;
      if (step.kind === "wait") {
        li = waitTemplate.firstElementChild.cloneNode(true);
        li.querySelector(".step-title").textContent = "Step " + (i + 1) + " · Wait";
        const input = li.querySelector('[data-role="wait_days"]');
        input.value = step.wait_days || "";
        input.setAttribute("aria-label", "Business days to wait at step " + (i + 1));
        bindPath(input, base + ".wait_days");
        li.querySelector('[data-role="wait-error"]').dataset.errorFor = base + ".wait_days";
      } else {
        const sms = step.channel === "sms";
        li = emailTemplate.firstElementChild.cloneNode(true);
        let title;
        if (sms) {
          title = "Text";
        } else {
          emailNumber += 1;
          title = i === first ? "First email" : "Follow-up " + (emailNumber - 1);
        }
        li.querySelector(".step-title").textContent = "Step " + (i + 1) + " · " + title;
        li.classList.toggle("step-sms", sms);
        li.dataset.channel = step.channel;
        const badge = li.querySelector('[data-role="channel-badge"]');
        badge.textContent = CHANNEL_NAMES[step.channel] || step.channel;
        badge.classList.add("channel-" + step.channel);
        const channel = li.querySelector('[data-role="channel"]');
        channel.value = step.channel;
        channel.id = "step-" + i + "-channel";
        channel.setAttribute("aria-label", "Channel of step " + (i + 1));
        bindPath(channel, base + ".channel");
        li.querySelector('[data-role="sms-hint"]').hidden = !sms;
        const holder = li.querySelector(".variants");
        step.variants.forEach((v, j) => {
          const node = variantTemplate.firstElementChild.cloneNode(true);
          const vbase = base + ".variants." + j;
          node.dataset.variant = v.label;
          node.querySelector(".variant-label").textContent = "Variant " + v.label;
          const subject = node.querySelector('[data-role="subject"]');
          const body = node.querySelector('[data-role="body"]');
          const sid = "step-" + i + "-variant-" + v.label + "-subject";
          const bid = "step-" + i + "-variant-" + v.label + "-body";
          subject.id = sid;
          body.id = bid;
          node.querySelector('[data-role="subject-field"] label').htmlFor = sid;
          body.previousElementSibling.htmlFor = bid;
          subject.value = v.subject;
          body.value = v.body;
          bindPath(subject, vbase + ".subject");
          bindPath(body, vbase + ".body");
          node.querySelector('[data-role="subject-error"]').dataset.errorFor = vbase + ".subject";
          node.querySelector('[data-role="body-error"]').dataset.errorFor = vbase + ".body";
          node.querySelector('[data-role="variant-error"]').dataset.errorFor = vbase;
          node.querySelector('[data-role="subject-field"]').hidden = i !== first;
          node.querySelector('[data-role="thread-hint"]').hidden = i === first || sms;
          const remove = node.querySelector('[data-act="remove-variant"]');
          remove.dataset.variantIndex = j;
          remove.hidden = step.variants.length < 2;
          holder.append(node);
        });
        const variantsError = el("p", "field-error");
        variantsError.dataset.errorFor = base + ".variants";
        holder.append(variantsError);
      }
      li.dataset.index = i;
      li.querySelector('[data-role="step-error"]').dataset.errorFor = base;
      li.querySelector('[data-act="up"]').disabled = i === 0;
      li.querySelector('[data-act="down"]').disabled = i === editor.steps.length - 1;
      return li;
    });
    $("steps").replaceChildren(...items);
    drawPreviewSteps();
  }

  function touched() {
    editor.dirty = true;
    setResult($("sequence-result"), "Unsaved changes.", "");
  }

  $("sequence-name").addEventListener("input", (e) => {
    editor.name = e.target.value;
    touched();
  });

  $("steps").addEventListener("input", (e) => {
    const path = e.target.dataset.path;
    if (!path) return;
    const [, i, what, j, field] = path.split(".");
    const step = editor.steps[Number(i)];
    if (what === "wait_days") step.wait_days = e.target.value === "" ? "" : Number(e.target.value);
    else if (what === "channel") return; // a select: handled on "change" below
    else if (what === "variants") step.variants[Number(j)][field] = e.target.value;
    e.target.removeAttribute("aria-invalid");
    touched();
    schedulePreview();
  });

  // A step's channel: which step is the first email (the one with a subject) may change, so the editor is redrawn,
  // and the focus put back on the same select.
  $("steps").addEventListener("change", (e) => {
    const path = e.target.dataset.path;
    if (!path || !path.endsWith(".channel")) return;
    editor.steps[Number(path.split(".")[1])].channel = e.target.value;
    touched();
    drawEditor();
    schedulePreview();
    const again = $("steps").querySelector('[data-path="' + path + '"]');
    if (again) again.focus();
  });

  $("steps").addEventListener("click", (e) => {
    const button = e.target.closest("button[data-act]");
    if (!button) return;
    const li = button.closest(".step");
    const i = Number(li.dataset.index);
    const steps = editor.steps;
    switch (button.dataset.act) {
      case "up": [steps[i - 1], steps[i]] = [steps[i], steps[i - 1]]; break;
      case "down": [steps[i + 1], steps[i]] = [steps[i], steps[i + 1]]; break;
      case "remove": steps.splice(i, 1); break;
      case "add-variant": {
        const variants = steps[i].variants;
        const source = variants[variants.length - 1] || { subject: "", body: "" };
        variants.push({ label: nextLabel(variants), subject: source.subject, body: source.body });
        break;
      }
      case "remove-variant": steps[i].variants.splice(Number(button.dataset.variantIndex), 1); break;
      default: return;
    }
    clearErrors($("sequence-form"));
    touched();
    drawEditor();
    schedulePreview();
  });

  function addMessageStep(channel) {
    editor.steps.push({ kind: "email", channel: channel, wait_days: 0, variants: [{ label: "A", subject: "", body: "" }] });
    touched();
    drawEditor();
    const bodies = $("steps").querySelectorAll("textarea");
    if (bodies.length) bodies[bodies.length - 1].focus();
  }

  $("add-email-step").addEventListener("click", () => addMessageStep("email"));
  $("add-sms-step").addEventListener("click", () => addMessageStep("sms"));

  $("add-wait-step").addEventListener("click", () => {
    editor.steps.push({ kind: "wait", wait_days: 2, variants: [] });
    touched();
    drawEditor();
  });

  function sequencePayload() {
    const first = firstEmailIndex();
    return {
      name: editor.name.trim(),
      steps: editor.steps.map((s, i) => ({
        position: i,
        kind: s.kind,
        channel: s.kind === "wait" ? "email" : s.channel,
        wait_days: s.kind === "wait" ? (s.wait_days === "" ? null : s.wait_days) : 0,
        variants: s.kind === "wait" ? [] : s.variants.map((v) => ({
          label: v.label, subject: i === first ? v.subject : "", body: v.body,
        })),
      })),
    };
  }

  $("sequence-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    if (!selected) return;
    const slug = selected;
    const payload = sequencePayload();
    if (!payload.name) {
      showErrors(form, { name: ["Give the sequence a name."] });
      return;
    }
    $("sequence-save").disabled = true;
    const r = editor.slug
      ? await api("PUT", "/api/sequences/" + enc(editor.slug) + "/", payload)
      : await api("POST", "/api/sequences/", payload);
    if (!ok(r)) {
      $("sequence-save").disabled = false;
      const placed = showErrors(form, r.body);
      setResult($("sequence-result"), placed ? "Not saved: see the fields marked." : "Not saved.", "error");
      return;
    }
    clearErrors(form);
    const saved = r.body;
    if (!sequences.some((s) => s.slug === saved.slug)) sequences.push({ name: saved.name, slug: saved.slug });
    sequences = sequences.map((s) => (s.slug === saved.slug ? { name: saved.name, slug: saved.slug } : s))
      .sort((a, b) => a.name.localeCompare(b.name));
    takeSequence(saved);
    drawSequenceSelect(saved.slug);
    drawEditor();
    let note = "Saved.";
    const c = campaigns.get(slug);
    if (c && c.sequence !== saved.slug) {
      const linked = await api("PATCH", "/api/campaigns/" + enc(slug) + "/", { sequence: saved.slug });
      if (ok(linked)) {
        putCampaign(linked.body);
        if (selected === slug) drawCampaign(linked.body);
        note = "Saved; the campaign runs this sequence.";
      } else {
        note = "Saved, but the campaign keeps its sequence: " + message(linked.body);
      }
    }
    $("sequence-save").disabled = false;
    setResult($("sequence-result"), note, note.startsWith("Saved, but") ? "error" : "ok");
    drawList();
    schedulePreview(0);
  });

  // --- preview ---------------------------------------------------------------------------------------------

  function drawPreviewSteps() {
    const stepSelect = $("preview-step");
    const before = stepSelect.value;
    const first = firstEmailIndex();
    const options = [];
    editor.steps.forEach((s, i) => {
      if (s.kind !== "email") return;
      const what = s.channel === "sms" ? " · text" : (i === first ? " · first email" : " · follow-up");
      const option = el("option", null, "Step " + (i + 1) + what);
      option.value = String(i);
      options.push(option);
    });
    stepSelect.replaceChildren(...options);
    if (options.some((o) => o.value === before)) stepSelect.value = before;
    drawPreviewVariants();
  }

  function drawPreviewVariants() {
    const variantSelect = $("preview-variant");
    const before = variantSelect.value;
    const step = editor.steps[Number($("preview-step").value)];
    const labels = step ? step.variants.map((v) => v.label) : [];
    variantSelect.replaceChildren(...labels.map((label) => {
      const option = el("option", null, "Variant " + label);
      option.value = label;
      return option;
    }));
    if (labels.includes(before)) variantSelect.value = before;
  }

  async function loadPreviewContacts() {
    const list = $("preview-list").value;
    const select = $("preview-contact");
    const before = select.value;
    if (!list) {
      select.replaceChildren();
      schedulePreview(0);
      return;
    }
    const r = await api("GET", "/api/contacts/?list=" + enc(list));
    if (list !== $("preview-list").value) return;
    const contacts = ok(r) ? results(r.body) : [];
    select.replaceChildren(...contacts.map((c) => {
      const who = [c.first_name, c.last_name].filter(Boolean).join(" ");
      const option = el("option", null, who ? who + " <" + c.email + ">" : c.email);
      option.value = String(c.id);
      return option;
    }));
    if (contacts.some((c) => String(c.id) === before)) select.value = before;
    if (!ok(r)) showPreviewError("Could not load the list's contacts: " + message(r.body));
    else schedulePreview(0);
  }

  function showPreviewError(text) {
    const box = $("preview-error");
    box.textContent = text;
    box.hidden = !text;
  }

  function schedulePreview(delay) {
    clearTimeout(preview.timer);
    preview.timer = setTimeout(renderPreview, delay === undefined ? PREVIEW_DELAY_MS : delay);
  }

  async function renderPreview() {
    const c = campaigns.get(selected);
    const ticket = ++preview.request;
    const position = $("preview-step").value;
    const label = $("preview-variant").value;
    const contact = $("preview-contact").value;
    const step = editor.steps[Number(position)];
    const variant = step && step.variants.find((v) => v.label === label);
    let why = "";
    if (!c) why = "Select a campaign.";
    else if (!c.sequence || !editor.slug || c.sequence !== editor.slug) why = "Save the sequence to preview it.";
    else if (!variant) why = "Add an email step to preview it.";
    else if (!contact) why = "Pick a list with contacts (import one on the left) to preview an email to one of them.";
    if (why) {
      $("preview").hidden = true;
      $("preview-empty").hidden = false;
      $("preview-empty").textContent = why;
      showPreviewError("");
      return;
    }
    const payload = { step: Number(position), variant: label, contact: Number(contact), body: variant.body };
    if (Number(position) === firstEmailIndex()) payload.subject = variant.subject;
    const r = await api("POST", "/api/campaigns/" + enc(c.slug) + "/preview", payload);
    if (ticket !== preview.request) return; // a newer preview was asked for meanwhile
    const base = "steps." + position + ".variants." + editor.steps[Number(position)].variants.indexOf(variant);
    const fields = [base + ".subject", base + ".body"];
    for (const path of fields) {
      const node = document.querySelector('#steps [data-error-for="' + CSS.escape(path) + '"]');
      if (node && node.dataset.fromPreview) {
        node.textContent = "";
        delete node.dataset.fromPreview;
        const input = document.querySelector('#steps [data-path="' + CSS.escape(path) + '"]');
        if (input) input.removeAttribute("aria-invalid");
      }
    }
    if (!ok(r)) {
      $("preview").hidden = true;
      $("preview-empty").hidden = true;
      showPreviewError("No preview: " + message(r.body));
      // A template mistake shows next to the field it is in, as a save would.
      for (const [key, text] of flatten(r.body, "", [])) {
        const field = key.split(".").pop();
        if (field !== "subject" && field !== "body") continue;
        const path = base + "." + field;
        const node = document.querySelector('#steps [data-error-for="' + CSS.escape(path) + '"]');
        if (!node) continue;
        node.replaceChildren(el("span", null, text));
        node.dataset.fromPreview = "1";
        const input = document.querySelector('#steps [data-path="' + CSS.escape(path) + '"]');
        if (input) input.setAttribute("aria-invalid", "true");
      }
      return;
    }
    const p = r.body;
    showPreviewError("");
    $("preview-empty").hidden = true;
    $("preview").hidden = false;
    const who = p.contact ? [p.contact.first_name, "<" + p.contact.email + ">"].filter(Boolean).join(" ") : "";
    $("preview-to").textContent = who;
    $("preview-zone").textContent = p.zone || "";
    $("preview-variant-label").textContent = p.variant || label;
    $("preview-window").textContent = p.window_open_now ? "open now" : "closed now (sends at the next opening)";
    $("preview-subject").textContent = p.subject || "";
    $("preview-text").textContent = p.text || p.body || "";
  }

  $("preview-step").addEventListener("change", () => { drawPreviewVariants(); schedulePreview(0); });
  $("preview-variant").addEventListener("change", () => schedulePreview(0));
  $("preview-contact").addEventListener("change", () => schedulePreview(0));
  $("preview-list").addEventListener("change", loadPreviewContacts);
  $("preview-refresh").addEventListener("click", () => schedulePreview(0));

  // --- CSV import ------------------------------------------------------------------------------------------

  function reportTable(headers, rows) {
    const table = el("table", "mini-table");
    const head = el("tr");
    headers.forEach((h) => head.append(el("th", null, h)));
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    for (const row of rows) {
      const tr = el("tr");
      row.forEach((v) => tr.append(el("td", null, v)));
      tbody.append(tr);
    }
    table.append(thead, tbody);
    return table;
  }

  function drawImportReport(r) {
    const box = $("import-report");
    box.hidden = false;
    const nodes = [];
    const body = r.body || {};
    const errors = Array.isArray(body.errors) ? body.errors : [];
    if (ok(r)) {
      box.className = "import-report ok";
      nodes.push(el("p", "import-summary",
        "Imported into " + body.list + ": " + body.rows + " row" + (body.rows === 1 ? "" : "s") + " read, " +
        body.created + " created, " + body.existing + " already there, " +
        (body.duplicates_in_file || []).length + " duplicate" + ((body.duplicates_in_file || []).length === 1 ? "" : "s") +
        " in the file, " + body.suppressed + " suppressed."));
      const counts = el("dl", "import-counts");
      for (const [key, label] of [["created", "Created"], ["existing", "Existing"], ["suppressed", "Suppressed"]]) {
        const div = el("div");
        div.dataset.count = key;
        div.append(el("dt", null, label), el("dd", null, body[key] || 0));
        counts.append(div);
      }
      nodes.push(counts);
      if ((body.duplicates_in_file || []).length) {
        nodes.push(el("h3", null, "Duplicates in the file"));
        nodes.push(reportTable(["Row", "Same as row"], body.duplicates_in_file.map((d) => [d.row, d.duplicate_of])));
      }
    } else {
      box.className = "import-report failed";
      nodes.push(el("p", "import-summary error", (errors.length ? (body.detail || "The file has errors.") : message(body)) +
        " Nothing was imported."));
    }
    if (errors.length) {
      const table = reportTable(["Row", "Field", "Reason"], errors.map((x) => [x.row, x.field, x.reason]));
      table.id = "import-errors";
      nodes.push(table);
    }
    box.replaceChildren(...nodes);
  }

  $("import-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const file = $("import-file").files[0];
    const list = $("import-list").value.trim();
    const missing = {};
    if (!list) missing.list = ["Name the list the contacts go to."];
    if (!file) missing.file = ["Choose a CSV file."];
    if (Object.keys(missing).length) {
      showErrors(form, missing);
      return;
    }
    clearErrors(form);
    const data = new FormData();
    data.append("file", file);
    data.append("list", list);
    $("import-submit").disabled = true;
    $("import-report").hidden = true;
    const r = await api("POST", "/api/contacts/import", data);
    $("import-submit").disabled = false;
    const fieldErrors = {};
    for (const key of ["list", "file"]) if (r.body && r.body[key] && !ok(r)) fieldErrors[key] = r.body[key];
    if (Object.keys(fieldErrors).length) showErrors(form, fieldErrors);
    drawImportReport(r);
    if (ok(r)) {
      form.reset();
      await refreshLists();
      const imported = lists.find((l) => l.slug === r.body.list || l.name === r.body.list);
      if (imported) {
        $("preview-list").value = imported.slug;
        if (!$("action-list").value) $("action-list").value = imported.slug;
      }
      loadPreviewContacts();
    }
  });

  async function refreshLists() {
    const r = await api("GET", "/api/lists/");
    if (!ok(r)) return;
    lists = results(r.body).map((l) => ({ name: l.name, slug: l.slug, contacts: l.contacts }));
    drawLists();
  }

  // --- polling the figures ---------------------------------------------------------------------------------

  const clockFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });

  async function poll() {
    const r = await api("GET", "/api/campaigns/?page_size=1000");
    if (!ok(r)) {
      $("refreshed").textContent = "Figures not refreshed: " + message(r.body);
      return;
    }
    takeCampaigns(results(r.body));
    drawList();
    const c = selected && campaigns.get(selected);
    if (c) drawCampaign(c);
    $("refreshed").textContent = "Figures as of " + clockFmt.format(new Date());
  }

  function startPolling() {
    setInterval(() => { if (!document.hidden) poll(); }, POLL_MS);
    document.addEventListener("visibilitychange", () => { if (!document.hidden) poll(); });
  }

  // --- start -----------------------------------------------------------------------------------------------

  takeCampaigns(initial.campaigns || []);
  drawList();
  drawLists();
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (campaigns.has(wanted)) selectCampaign(wanted);
  else if (order.length) selectCampaign(order[0]);
  $("refreshed").textContent = "Figures as of " + clockFmt.format(new Date());
  startPolling();
})();
