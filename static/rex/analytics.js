// The Analytics page: headline figures, three charts (per day, funnel, domain health; Chart.js, vendored under
// static/vendor/chartjs/) and the breakdown tables, all drawn from one figures object: first the one the server
// rendered (json_script "analytics-figures"), then GET /api/analytics/ with the same filters each time the rollup
// says on the "analytics" stream that a day changed (and on every (re)connect, for changes made while no socket
// listened). Plain DOM: every piece of data goes in through textContent.
(function () {
  "use strict";
  const { el, api } = window.RexCommon;

  const source = document.getElementById("analytics-figures");
  if (!source || !window.Chart) return; // no organization or bad filters: nothing to draw

  let figures = JSON.parse(source.textContent);
  const charts = {};
  let latestRequest = 0;

  const percent = (rate) => (rate === null || rate === undefined ? "—" : (rate * 100).toFixed(rate < 0.01 && rate > 0 ? 2 : 1) + " %");
  const show = (key, value) => (key.endsWith("_rate") ? percent(value) : value === null || value === undefined || value === "" ? "—" : String(value));

  function drawTotals() {
    document.querySelectorAll("[data-total]").forEach((node) => {
      node.textContent = show(node.dataset.total, figures.totals[node.dataset.total]);
    });
  }

  function drawTables() {
    document.querySelectorAll("table.analytics-table").forEach((table) => {
      const rows = figures[table.dataset.key] || [];
      const columns = Array.from(table.querySelectorAll("thead th")).map((th) => th.dataset.column);
      const body = table.querySelector("tbody");
      body.replaceChildren(...rows.map((row) => {
        const tr = el("tr");
        columns.forEach((column, i) => {
          let value = row[column];
          if (column === "campaign_name" && value === null) value = "(no campaign)";
          const td = el("td", i === 0 || column === "campaign" || column === "variant" ? "" : "num", show(column, value));
          tr.append(td);
        });
        return tr;
      }));
      document.querySelector(`[data-empty-for="${table.id}"]`).hidden = rows.length > 0;
    });
  }

  const COLORS = { sent: "#98a2b3", delivered: "#2e90fa", replies: "#7a5af8", positive: "#12b76a", bounced: "#f04438", complaints: "#f79009" };

  function chart(id, config) {
    if (charts[id]) {
      charts[id].data = config.data;
      charts[id].update("none");
      return;
    }
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    charts[id] = new window.Chart(document.getElementById(id), config);
  }

  function drawCharts() {
    const days = figures.days;
    chart("chart-series", {
      type: "line",
      data: {
        labels: days.map((d) => d.day),
        datasets: [
          { label: "Sent", data: days.map((d) => d.sent), borderColor: COLORS.sent, backgroundColor: COLORS.sent },
          { label: "Delivered", data: days.map((d) => d.delivered), borderColor: COLORS.delivered, backgroundColor: COLORS.delivered },
          { label: "Replies", data: days.map((d) => d.replies), borderColor: COLORS.replies, backgroundColor: COLORS.replies },
          { label: "Positive", data: days.map((d) => d.positive_replies), borderColor: COLORS.positive, backgroundColor: COLORS.positive },
          { label: "Bounced", data: days.map((d) => d.bounced), borderColor: COLORS.bounced, backgroundColor: COLORS.bounced },
        ],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
    chart("chart-funnel", {
      type: "bar",
      data: {
        labels: figures.funnel.map((s) => s.stage),
        datasets: [{ label: "Contacts", data: figures.funnel.map((s) => s.count),
                     backgroundColor: [COLORS.sent, COLORS.delivered, COLORS.replies, COLORS.positive, "#0e9384"] }],
      },
      options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
    const domains = figures.domains.filter((d) => d.domain);
    chart("chart-domains", {
      type: "bar",
      data: {
        labels: domains.map((d) => d.domain),
        datasets: [
          { label: "Bounce rate %", data: domains.map((d) => (d.bounce_rate || 0) * 100), backgroundColor: COLORS.bounced },
          { label: "Complaint rate %", data: domains.map((d) => (d.complaint_rate || 0) * 100), backgroundColor: COLORS.complaints },
        ],
      },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: "% of sent (bounces) / delivered (complaints)" } } } },
    });
  }

  function draw() {
    drawTotals();
    drawCharts();
    drawTables();
    document.body.dataset.analyticsDrawn = String(Number(document.body.dataset.analyticsDrawn || 0) + 1);
  }

  async function refresh() {
    const request = ++latestRequest;
    const query = new URLSearchParams(figures.filters).toString();
    const answer = await api("GET", "/api/analytics/?" + query);
    // A slower answer to an older request must not overwrite a newer one.
    if (request !== latestRequest || answer.status !== 200) return;
    figures = answer.body;
    draw();
  }

  draw();
  window.RexLive.connect({
    streams: ["analytics"],
    onOpen: refresh,
    onMessage: (frame) => {
      if (frame.type !== "analytics.updated") return;
      const { start, end } = figures.filters;
      if ((frame.days || []).some((day) => day >= start && day <= end)) refresh();
    },
  });
})();
