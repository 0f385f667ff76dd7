// The incidents page and the agents board, kept live on the "monitoring" and "missions" streams.
(function () {
  "use strict";

  function cell(row, value, className) {
    const td = document.createElement("td");
    td.textContent = value === null || value === undefined ? "—" : String(value);
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  // --- the incidents page -------------------------------------------------------------------------------------

  const incidents = document.getElementById("incidents");
  if (incidents) {
    // The banner's summary is the list's too: when it no longer matches what is drawn, draw the page again.
    document.addEventListener("rex:incidents", (e) => {
      const fresh = e.detail.map((i) => i.id + ":" + i.status).sort().join(",");
      const shown = Array.from(document.querySelectorAll("[data-incident]"))
        .map((li) => li.dataset.incident + ":" + li.dataset.status).sort().join(",");
      if (fresh !== shown) location.reload();
    });
    RexLive.connect({ streams: ["monitoring"], onOpen() {}, onMessage() {} });
  }

  // --- the agents board ---------------------------------------------------------------------------------------

  const boardCard = document.getElementById("agents-board");
  if (!boardCard) return;
  const staff = boardCard.dataset.staff === "true";
  const percent = (v) => (v === null || v === undefined ? "—" : (v * 100).toFixed(1) + " %");
  const ms = (v) => (v === null || v === undefined ? "—" : v >= 1000 ? (v / 1000).toFixed(1) + " s" : Math.round(v) + " ms");
  const usage = (f) => f.tokens + " · $" + Number(f.cost).toFixed(2);

  function toggleForm(agent) {
    const form = document.createElement("form");
    form.method = "post";
    form.action = "/agents/" + encodeURIComponent(agent.name) + "/enabled";
    form.className = "inline";
    for (const [name, value] of [["csrfmiddlewaretoken", boardCard.dataset.csrf], ["enabled", agent.enabled ? "false" : "true"]]) {
      const input = document.createElement("input");
      input.type = "hidden"; input.name = name; input.value = value;
      form.appendChild(input);
    }
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "btn btn-sm " + (agent.enabled ? "btn-danger-outline" : "btn-secondary");
    button.textContent = agent.enabled ? "Disable" : "Enable";
    button.dataset.toggle = agent.name;
    form.appendChild(button);
    return form;
  }

  function draw(board) {
    const rows = document.getElementById("agents-rows");
    rows.replaceChildren();
    for (const agent of board.agents) {
      const tr = document.createElement("tr");
      tr.dataset.agent = agent.name;
      const name = cell(tr, agent.name, "agent-name");
      name.title = agent.description || "";
      const state = cell(tr, agent.enabled ? "enabled" : "disabled", "agent-state agent-" + (agent.enabled ? "enabled" : "disabled"));
      state.dataset.state = agent.enabled ? "enabled" : "disabled";
      if (staff) { state.appendChild(document.createTextNode(" ")); state.appendChild(toggleForm(agent)); }
      const t = agent.today, m = agent.month;
      cell(tr, t.runs, "num").dataset.figure = "runs-today";
      cell(tr, percent(t.success_rate), "num");
      cell(tr, ms(t.p50_ms), "num");
      cell(tr, ms(t.p95_ms), "num");
      cell(tr, t.retries, "num");
      cell(tr, t.llm_calls, "num");
      cell(tr, usage(t), "num");
      cell(tr, m.runs, "num").dataset.figure = "runs-month";
      cell(tr, percent(m.success_rate), "num");
      cell(tr, m.llm_calls, "num");
      cell(tr, usage(m), "num");
      const running = cell(tr, agent.running ? agent.running + ": " + agent.running_missions.map((x) => x.id.slice(0, 8)).join(", ") : "—", "running");
      running.dataset.running = agent.running;
      rows.appendChild(tr);
    }
    const queues = document.getElementById("queue-rows");
    queues.replaceChildren();
    for (const q of board.queues) {
      const tr = document.createElement("tr");
      tr.dataset.queue = q.priority;
      cell(tr, q.priority + " (" + q.queue + ")");
      cell(tr, q.queued_missions, "num").dataset.figure = "queued";
      cell(tr, q.broker_messages === null ? "broker unreachable" : q.broker_messages, "num");
      queues.appendChild(tr);
    }
    const workers = document.getElementById("worker-rows");
    workers.replaceChildren();
    if (!board.workers.length) {
      const tr = document.createElement("tr");
      cell(tr, "No worker answered.").colSpan = 3;
      workers.appendChild(tr);
    }
    for (const w of board.workers) {
      const tr = document.createElement("tr");
      tr.dataset.worker = w.name;
      cell(tr, w.name);
      cell(tr, w.concurrency, "num");
      cell(tr, w.queues.join(", "));
      workers.appendChild(tr);
    }
    document.getElementById("workers-checked").textContent = board.checked_at || "";
  }

  draw(JSON.parse(document.getElementById("board-data").textContent));

  let pending = null;
  function reload() {
    // Every mission event moves a figure; a busy organization sends many a second, so the board asks at most
    // once a second and draws the server's whole answer.
    if (pending) return;
    pending = setTimeout(async () => {
      pending = null;
      try {
        const response = await fetch(boardCard.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (response.ok) draw(await response.json());
      } catch (err) { /* offline: the next frame or reconnection asks again */ }
    }, 1000);
  }

  RexLive.connect({
    streams: ["missions", "monitoring"],
    onOpen: reload,
    onMessage(frame) {
      if (frame.type === "mission.event" || frame.type === "agent.toggled") reload();
    },
  });
  // Workers come and go without a mission event: look again now and then.
  setInterval(reload, 15000);
})();
