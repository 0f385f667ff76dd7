// The dashboard's meetings panel (templates/meetings/dashboard_panel.html): today's and upcoming meetings and the
// meetings booked per campaign, drawn from the server's first answer and redrawn from GET /api/meetings/upcoming
// whenever the `meetings` stream says one was booked, moved or cancelled.
"use strict";

(function () {
  const panel = document.getElementById("meetings-panel");
  if (!panel || !window.RexLive) return;

  function item(text) {
    const li = document.createElement("li");
    li.textContent = text;
    return li;
  }

  function meetingText(m) {
    const start = new Date(m.start);
    const when = start.toLocaleString([], {weekday: "short", day: "numeric", month: "short", hour: "2-digit",
                                          minute: "2-digit"});
    const who = m.contact.name || m.contact.email;
    return `${when} · ${who}${m.contact.company ? ` (${m.contact.company})` : ""}` +
           `${m.campaign ? ` · ${m.campaign}` : ""}${m.status === "rescheduled" ? " · moved" : ""}`;
  }

  function draw(data) {
    for (const name of ["today", "upcoming"]) {
      const list = panel.querySelector(`[data-list="${name}"]`);
      const rows = data[name].map((m) => item(meetingText(m)));
      list.replaceChildren(...(rows.length ? rows : [item("None")]));
    }
    const counts = panel.querySelector('[data-list="booked_per_campaign"]');
    const rows = Object.entries(data.booked_per_campaign).map(([slug, n]) => item(`${slug}: ${n}`));
    counts.replaceChildren(...(rows.length ? rows : [item("None yet")]));
  }

  async function refresh() {
    const response = await fetch("/api/meetings/upcoming", {headers: {Accept: "application/json"},
                                                             credentials: "same-origin"});
    if (response.ok) draw(await response.json());
  }

  draw(JSON.parse(document.getElementById("initial-meetings").textContent));
  window.RexLive.connect({
    streams: ["meetings"],
    onOpen: refresh,
    onMessage: (frame) => { if (frame.type === "meeting.event") refresh(); },
  });
})();
