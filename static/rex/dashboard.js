// Live mission table: drawn from the server-rendered snapshot, then kept current from /ws/missions/.
(function () {
  "use strict";
  const table = document.querySelector("#missions tbody");
  if (!table) return;
  const live = document.getElementById("live");
  const rows = new Map();

  function cookie(name) {
    const m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }

  function cell(text) {
    const td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  function draw(mission, eventText) {
    let tr = rows.get(mission.id);
    if (!tr) {
      tr = document.createElement("tr");
      tr.dataset.missionId = mission.id;
      for (let i = 0; i < 7; i++) tr.appendChild(document.createElement("td"));
      rows.set(mission.id, tr);
      table.prepend(tr);
    }
    const c = tr.children;
    c[0].textContent = mission.id.slice(0, 8);
    c[0].title = mission.id;
    c[1].textContent = mission.type;
    c[2].textContent = mission.priority;
    c[3].innerHTML = "";
    const pill = document.createElement("span");
    pill.className = "status status-" + mission.status;
    pill.textContent = mission.status;
    c[3].appendChild(pill);
    tr.dataset.status = mission.status;
    c[4].textContent = mission.attempts + " / " + mission.max_attempts;
    c[5].textContent = new Date(mission.created_at).toLocaleTimeString();
    if (eventText !== undefined) c[6].textContent = eventText;
    tr.classList.remove("flash");
    void tr.offsetWidth;
    tr.classList.add("flash");
  }

  JSON.parse(document.getElementById("initial-missions").textContent).reverse().forEach((m) => draw(m, ""));

  let backoff = 500;
  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const ws = new WebSocket(scheme + location.host + "/ws/missions/");
    ws.onopen = () => { backoff = 500; live.textContent = "live"; live.classList.remove("off"); };
    ws.onclose = () => {
      live.textContent = "reconnecting…"; live.classList.add("off");
      setTimeout(connect, backoff); backoff = Math.min(backoff * 2, 10000);
    };
    ws.onmessage = (msg) => {
      const data = JSON.parse(msg.data);
      if (data.type === "mission.event") draw(data.mission, data.event.message || data.event.kind);
    };
  }
  connect();

  const form = document.getElementById("command-form");
  const out = document.getElementById("command-result");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    let params;
    try { params = JSON.parse(form.params.value || "{}"); } catch (err) { out.textContent = "Params are not valid JSON: " + err.message; out.className = "error"; return; }
    const resp = await fetch("/api/rex/command", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken") },
      credentials: "same-origin",
      body: JSON.stringify({ type: form.type.value, priority: form.priority.value, params: params }),
    });
    const body = await resp.json().catch(() => ({}));
    if (resp.status === 201 || resp.status === 200) {
      out.className = "";
      out.textContent = (resp.status === 201 ? "Submitted " : "Already submitted: ") + body.id;
      draw(body, resp.status === 201 ? "submitted" : "existing mission");
    } else {
      out.className = "error";
      out.textContent = "Refused: " + JSON.stringify(body);
    }
  });
})();
