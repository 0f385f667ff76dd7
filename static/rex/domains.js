// The Domains page: the server-rendered pools and table are kept current from the live socket (/ws/live/)
// ("domain.event" messages carry the committed rows of domains that changed), refreshed from GET /api/domains/
// each time the socket connects and every minute (today's sends move without a state change), and a side panel
// shows one domain (GET /api/domains/<name>/). Plain DOM: every piece of data goes in through textContent.
(function () {
  "use strict";

  // The server-rendered bars carry their width as data-fill: a style attribute would need 'unsafe-inline' in the
  // Content-Security-Policy, a width set from a script does not.
  for (const fill of document.querySelectorAll(".bar-fill[data-fill]")) {
    fill.style.width = Math.max(0, Math.min(100, Number(fill.dataset.fill) || 0)) + "%";
  }

  const tbody = document.querySelector("#domains tbody");
  if (!tbody) return; // no organization: nothing to drive

  const REFRESH_MS = 60000;
  const initial = JSON.parse(document.getElementById("initial-domains").textContent);
  const STATES = Array.from(document.querySelectorAll("#filter-state option"))
    .filter((o) => o.value).map((o) => ({ state: o.value, label: o.textContent }));

  const rows = new Map(); // domain name -> { tr, domain, touched }
  const serverRows = new Map(Array.from(tbody.children, (tr) => [tr.dataset.domain, tr])); // not adopted yet
  const pools = new Map(); // pool slug -> { slug, name, quota, card }
  let clock = 0; // bumped by every socket update, so a slower API answer cannot overwrite a newer row
  const detail = { name: null, request: 0 };

  // --- helpers ---------------------------------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  async function getJson(url) {
    let resp;
    try {
      resp = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    } catch (err) {
      return { status: 0, body: null };
    }
    return { status: resp.status, body: await resp.json().catch(() => null) };
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

  function stateLabel(state) {
    const known = STATES.find((s) => s.state === state);
    return known ? known.label : state;
  }

  function stateBadge(node, state, label) {
    node.className = "state state-" + state;
    node.textContent = label || stateLabel(state);
    return node;
  }

  function bar(className, percent, label) {
    const outer = el("span", "bar " + className);
    outer.setAttribute("role", "progressbar");
    outer.setAttribute("aria-label", label);
    outer.setAttribute("aria-valuemin", "0");
    outer.setAttribute("aria-valuemax", "100");
    outer.setAttribute("aria-valuenow", String(percent));
    const fill = el("span", "bar-fill");
    fill.style.width = Math.max(0, Math.min(100, percent)) + "%";
    outer.append(fill);
    return outer;
  }

  // --- the table -------------------------------------------------------------------------------------------

  const CELLS = ["name", "state", "pool", "campaign", "dns", "inboxes", "today", "warmup"];

  function buildRow(name) {
    const tr = el("tr");
    tr.dataset.domain = name;
    tr.tabIndex = 0;
    for (const cell of CELLS) {
      const td = el("td", cell === "name" ? "domain-name" : cell === "inboxes" || cell === "today" ? "num" : null);
      td.dataset.cell = cell;
      tr.append(td);
    }
    return tr;
  }

  function cell(tr, name) {
    return tr.querySelector('[data-cell="' + name + '"]');
  }

  function drawRow(tr, d) {
    tr.dataset.state = d.state;
    tr.dataset.pool = d.pool;
    cell(tr, "name").textContent = d.name;
    cell(tr, "state").replaceChildren(stateBadge(el("span"), d.state, d.state_label));
    cell(tr, "pool").textContent = d.pool_name || d.pool;
    const campaign = cell(tr, "campaign");
    campaign.replaceChildren(d.campaign ? document.createTextNode(d.campaign_name || d.campaign) : el("span", "muted", "—"));
    // The server's dns_status is the one reading of "DNS OK" (Domain.dns_status), the same as the admin's and the API's.
    const dns = cell(tr, "dns");
    dns.dataset.dns = d.dns_status;
    if (d.dns_status === "not_checked") {
      dns.replaceChildren(el("span", "muted", d.dns_status_label));
    } else {
      dns.replaceChildren(el("span", "dns dns-" + d.dns_status, d.dns_status_label));
      if (d.dns_checked_at) {
        const time = el("time", null, shortTime(d.dns_checked_at));
        time.dateTime = d.dns_checked_at;
        time.title = longTime(d.dns_checked_at);
        dns.append(" ", time);
      }
    }
    const inboxes = cell(tr, "inboxes");
    inboxes.textContent = d.sending_inboxes + " / " + d.inbox_count;
    inboxes.title = d.sending_inboxes + " sending (active or warming) of " + d.inbox_count + " inboxes";
    const today = cell(tr, "today");
    today.textContent = d.today_sent + " / " + d.today_limit;
    today.title = d.today_sent + " sent today of " + d.today_limit + " allowed (domain cap " + d.daily_cap + ")";
    const warmup = cell(tr, "warmup");
    if (d.warmup_progress === null || d.warmup_progress === undefined) {
      // No progress to show: no inboxes at all, or only disabled ones (a burned domain's).
      warmup.replaceChildren(el("span", "muted", d.inbox_count ? "inboxes disabled" : "no inboxes"));
    } else {
      const b = bar("warmup-bar" + (d.warmup_progress >= 100 ? " done" : ""), d.warmup_progress, "Warmup of " + d.name);
      warmup.replaceChildren(b, el("span", "warmup-pct", d.warmup_progress + " %"));
    }
  }

  function flash(tr, isNew) {
    tr.classList.remove("flash", "arrived");
    void tr.offsetWidth; // restart the animation
    tr.classList.add(isNew ? "arrived" : "flash");
  }

  function insertSorted(tr, name) {
    const after = Array.from(tbody.children).find((other) => other.dataset.domain > name);
    tbody.insertBefore(tr, after || null);
  }

  // Draw a domain's row from its snapshot. `opts.live`: it came from the socket (flash what changed).
  function upsert(d, opts) {
    opts = opts || {};
    let entry = rows.get(d.name);
    const isNew = !entry;
    if (isNew) {
      const rendered = serverRows.get(d.name);
      serverRows.delete(d.name);
      entry = { tr: rendered || buildRow(d.name), domain: d, touched: 0 };
      rows.set(d.name, entry);
      if (!rendered) insertSorted(entry.tr, d.name);
    }
    const before = entry.domain;
    entry.domain = d;
    if (opts.live) entry.touched = ++clock;
    drawRow(entry.tr, d);
    const known = pools.get(d.pool);
    if (!known || (d.pool_quota !== undefined && known.quota !== d.pool_quota)) {
      // A pool born after the page loaded, or whose quota ops changed: every domain row carries its pool's quota.
      addPool({ slug: d.pool, name: d.pool_name || d.pool, quota: d.pool_quota });
    }
    if (opts.live && (isNew || before.state !== d.state || before.campaign !== d.campaign)) flash(entry.tr, isNew);
    if (detail.name === d.name && opts.live) loadDetail(d.name, true);
  }

  // --- pools -----------------------------------------------------------------------------------------------

  function addPool(p) {
    let card = document.querySelector('.pool-card[data-pool="' + CSS.escape(p.slug) + '"]');
    if (!card) {
      // A pool born after the page loaded (a purchase for a new client): draw a card like the server's.
      card = el("article", "card pool-card");
      card.dataset.pool = p.slug;
      const head = el("header", "pool-head");
      head.append(el("h2", null, p.name), el("code", "pool-slug", p.slug));
      const quota = el("p", "pool-quota");
      const inUse = el("span", null, "0");
      inUse.dataset.poolInUse = "";
      const quotaNumber = el("span", null, "");
      quotaNumber.dataset.poolQuota = "";
      const total = el("span", null, "0");
      total.dataset.poolTotal = "";
      const totalWrap = el("span", "muted", "· ");
      totalWrap.append(total, " domains");
      quota.append(inUse, " of ", quotaNumber, " in use ", totalWrap);
      const quotaBar = bar("quota-bar", 0, "Quota of " + p.name + " in use");
      const list = el("ul", "state-counts");
      for (const s of STATES) {
        const li = el("li", "state-count zero");
        li.dataset.stateCount = s.state;
        const count = el("strong", null, "0");
        count.dataset.count = "";
        li.append(stateBadge(el("span"), s.state, s.label), " ", count);
        list.append(li);
      }
      card.append(head, quota, quotaBar, list);
      const container = document.getElementById("pools");
      const placeholder = container.querySelector(":scope > section.card");
      if (placeholder) placeholder.remove();
      container.append(card);
      const option = el("option", null, p.name);
      option.value = p.slug;
      document.getElementById("filter-pool").append(option);
    }
    const quota = p.quota === null || p.quota === undefined ? Number(card.dataset.quota) || null : p.quota;
    if (quota !== null) {
      card.dataset.quota = String(quota);
      card.querySelector("[data-pool-quota]").textContent = quota;
      card.querySelector(".quota-bar").setAttribute("aria-valuemax", String(quota));
    }
    pools.set(p.slug, { slug: p.slug, name: p.name, quota: quota, card: card });
  }

  function recount() {
    const counts = new Map();
    for (const { domain } of rows.values()) {
      const perPool = counts.get(domain.pool) || new Map();
      perPool.set(domain.state, (perPool.get(domain.state) || 0) + 1);
      counts.set(domain.pool, perPool);
    }
    for (const pool of pools.values()) {
      const perPool = counts.get(pool.slug) || new Map();
      let total = 0;
      for (const li of pool.card.querySelectorAll("[data-state-count]")) {
        const n = perPool.get(li.dataset.stateCount) || 0;
        total += n;
        li.querySelector("[data-count]").textContent = n;
        li.classList.toggle("zero", n === 0);
      }
      const inUse = perPool.get("in_use") || 0;
      pool.card.querySelector("[data-pool-in-use]").textContent = inUse;
      const totalNode = pool.card.querySelector("[data-pool-total]");
      totalNode.textContent = total;
      if (totalNode.nextSibling && totalNode.nextSibling.nodeType === Node.TEXT_NODE) {
        totalNode.nextSibling.textContent = total === 1 ? " domain" : " domains";
      }
      const quotaBar = pool.card.querySelector(".quota-bar");
      if (quotaBar && pool.quota) {
        const percent = Math.round((100 * inUse) / pool.quota);
        quotaBar.querySelector(".bar-fill").style.width = Math.min(100, percent) + "%";
        quotaBar.setAttribute("aria-valuenow", String(inUse));
        quotaBar.classList.toggle("full", inUse >= pool.quota);
      }
    }
  }

  // --- filters ---------------------------------------------------------------------------------------------

  const filterText = document.getElementById("filter-text");
  const filterPool = document.getElementById("filter-pool");
  const filterState = document.getElementById("filter-state");

  function applyFilters() {
    const text = filterText.value.trim().toLowerCase();
    let shown = 0;
    for (const { tr, domain } of rows.values()) {
      const visible = (!filterPool.value || domain.pool === filterPool.value)
        && (!filterState.value || domain.state === filterState.value)
        && (!text || domain.name.includes(text) || String(domain.campaign_name || domain.campaign || "").toLowerCase().includes(text));
      tr.hidden = !visible;
      if (visible) shown += 1;
    }
    document.getElementById("domains-shown").textContent = shown;
    document.getElementById("domains-total").textContent = rows.size;
    const empty = document.getElementById("domains-empty");
    empty.hidden = shown > 0;
    empty.textContent = rows.size ? "No domains match these filters." : "No domains yet.";
  }

  function refreshView() {
    recount();
    applyFilters();
  }

  filterText.addEventListener("input", applyFilters);
  filterPool.addEventListener("change", applyFilters);
  filterState.addEventListener("change", applyFilters);

  // Adopt the server's rows with the snapshot that came with the page.
  for (const p of initial.pools) addPool(p);
  for (const d of initial.domains) upsert(d);
  refreshView();

  // --- catching up from the API ----------------------------------------------------------------------------

  let refreshing = false;
  let refreshAgain = false;
  async function resync() {
    // A read already under way may have started before the socket listened: run once more after it.
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = true;
    try {
      const startedAt = clock;
      const seen = new Set();
      let url = "/api/domains/";
      while (url) {
        const { status, body } = await getJson(url);
        if (status !== 200 || !body || !Array.isArray(body.results)) return;
        for (const d of body.results) {
          seen.add(d.name);
          const entry = rows.get(d.name);
          // A socket update that arrived meanwhile is newer than this answer: keep it.
          if (!entry || entry.touched <= startedAt) upsert(d);
        }
        // DRF's absolute "next" may name another scheme behind a proxy; keep to this origin.
        url = body.next ? (() => { const next = new URL(body.next, location.href); return next.pathname + next.search; })() : null;
      }
      for (const [name, entry] of rows) {
        if (!seen.has(name) && entry.touched <= startedAt) {
          entry.tr.remove();
          rows.delete(name);
        }
      }
      refreshView();
    } finally {
      refreshing = false;
      if (refreshAgain) {
        refreshAgain = false;
        resync();
      }
    }
  }

  setInterval(() => { if (document.visibilityState === "visible") resync(); }, REFRESH_MS);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") resync(); });

  // --- the live socket -------------------------------------------------------------------------------------

  RexLive.connect({
    streams: ["domains"],
    // Changes committed while no socket listened are gone: after a drop, and also between the server
    // rendering this page and this first connection (a warmup tick, an assignment). Catch up from the API.
    onOpen: resync,
    onMessage(data) {
      if (data.type !== "domain.event") return; // the mission stream shares this socket
      const changed = data.domains || (data.domain ? [data.domain] : []);
      for (const d of changed) upsert(d, { live: true });
      refreshView();
    },
  });

  // --- the domain panel ------------------------------------------------------------------------------------

  const drawer = document.getElementById("domain-detail");
  const detailError = document.getElementById("domain-detail-error");

  function bind(name) {
    return drawer.querySelector('[data-bind="' + name + '"]');
  }

  function drawDetail(d) {
    bind("name").textContent = d.name;
    stateBadge(bind("state"), d.state, d.state_label);
    bind("pool").textContent = d.pool_name || d.pool;
    bind("campaign").textContent = d.campaign_name || d.campaign || "—";
    bind("today").textContent = d.today_sent + " sent of " + d.today_limit;
    bind("daily_cap").textContent = d.daily_cap;
    bind("assigned_at").textContent = longTime(d.assigned_at);
    bind("state_changed_at").textContent = longTime(d.state_changed_at);
    if ("dkim_selector" in d) bind("dkim_selector").textContent = d.dkim_selector;
    if ("incidents" in d) bind("incidents").textContent = d.incidents;

    if (Array.isArray(d.inboxes)) {
      const body = drawer.querySelector("#domain-inboxes tbody");
      body.replaceChildren();
      for (const inbox of d.inboxes) {
        const tr = el("tr");
        const status = el("td", null, inbox.status);
        if (inbox.status === "warming") status.textContent = "warming (day " + inbox.warmup_day + ", " + inbox.warmup_limit + "/day)";
        tr.append(el("td", null, inbox.address), status, el("td", "num", inbox.today_sent + " / " + inbox.today_limit),
                  el("td", "num", inbox.daily_cap));
        body.append(tr);
      }
      drawer.querySelector("#domain-inboxes").hidden = !d.inboxes.length;
      document.getElementById("domain-inboxes-empty").hidden = d.inboxes.length > 0;
    }

    if ("dns" in d) {
      const list = document.getElementById("domain-dns");
      list.replaceChildren();
      if (!d.dns) {
        list.append(el("li", "muted", "Not checked yet."));
      } else {
        const head = el("li");
        head.append(el("span", "dns dns-" + (d.dns.passed ? "pass" : "fail"), d.dns.passed ? "pass" : "fail"),
                    el("span", "muted", "checked " + longTime(d.dns.checked_at)
                       + (d.dns.dmarc_policy ? " · DMARC p=" + d.dns.dmarc_policy : "")));
        list.append(head);
        for (const kind of ["mx", "spf", "dkim", "dmarc"]) {
          const r = (d.dns.results || {})[kind];
          if (!r) continue;
          const li = el("li");
          li.append(el("span", "dns dns-" + (r.ok ? "pass" : "fail"), kind));
          li.append(el("code", null, r.detail || (r.records || []).join(" · ") || (r.ok ? "ok" : "missing")));
          list.append(li);
        }
      }
    }

    if (Array.isArray(d.transitions)) {
      const list = document.getElementById("domain-transitions");
      list.replaceChildren();
      for (const t of d.transitions) {
        const li = el("li", "tl-item");
        const head = el("div", "tl-head");
        const move = el("span");
        move.append(stateBadge(el("span"), t.from_state), " → ", stateBadge(el("span"), t.to_state));
        const when = el("time", "tl-time", shortTime(t.at));
        when.dateTime = t.at;
        when.title = longTime(t.at);
        head.append(move, when);
        li.append(head, el("p", "tl-message", t.reason + " — " + t.actor));
        list.append(li);
      }
      if (!d.transitions.length) list.append(el("li", "muted", "No state changes yet."));
      list.classList.toggle("timeline-empty", !d.transitions.length);
    }
  }

  async function loadDetail(name, quiet) {
    const request = ++detail.request;
    if (!quiet) detailError.hidden = true;
    const { status, body } = await getJson("/api/domains/" + encodeURIComponent(name) + "/");
    if (request !== detail.request || detail.name !== name) return; // another domain was opened meanwhile
    if (status !== 200) {
      detailError.textContent = status === 401 || status === 403 ? "Your session has expired; log in again."
        : status === 404 ? "This domain no longer exists." : "Could not load the domain (" + status + ").";
      detailError.hidden = false;
      return;
    }
    detailError.hidden = true;
    drawDetail(body);
  }

  function openDetail(name) {
    const entry = rows.get(name);
    if (!entry) return;
    if (detail.name !== name) {
      detail.name = name;
      for (const id of ["domain-dns", "domain-transitions"]) document.getElementById(id).replaceChildren();
      drawer.querySelector("#domain-inboxes tbody").replaceChildren();
      bind("dkim_selector").textContent = "—";
      bind("incidents").textContent = "—";
    }
    drawDetail(entry.domain);
    for (const tr of tbody.querySelectorAll("tr.selected")) tr.classList.remove("selected");
    entry.tr.classList.add("selected");
    drawer.hidden = false;
    document.body.classList.add("drawer-open");
    loadDetail(name, false);
  }

  function closeDetail() {
    drawer.hidden = true;
    document.body.classList.remove("drawer-open");
    const entry = rows.get(detail.name);
    if (entry) {
      entry.tr.classList.remove("selected");
      entry.tr.focus();
    }
    detail.name = null;
    detail.request += 1;
  }

  tbody.addEventListener("click", (e) => {
    const tr = e.target.closest("tr[data-domain]");
    if (tr) openDetail(tr.dataset.domain);
  });
  tbody.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    const tr = e.target.closest("tr[data-domain]");
    if (!tr) return;
    e.preventDefault();
    openDetail(tr.dataset.domain);
  });
  document.getElementById("domain-detail-close").addEventListener("click", closeDetail);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !drawer.hidden) closeDetail();
  });
})();
