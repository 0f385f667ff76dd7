// The incidents banner on every page: the organization's open incidents, worst first. It listens on the page's
// one live socket (the "monitoring" stream); on every (re)connection it asks the server again, since frames sent
// while no socket listened are gone.
(function () {
  "use strict";

  const banner = document.getElementById("incident-banner");
  if (!banner) return;
  const count = document.getElementById("incident-banner-count");
  const text = document.getElementById("incident-banner-text");

  function draw(incidents) {
    const open = incidents.filter((i) => i.status === "open");
    banner.hidden = open.length === 0;
    banner.classList.toggle("incident-banner-critical", open.some((i) => i.severity === "critical"));
    if (!open.length) return;
    const worst = open[0];
    count.textContent = open.length + " open incident" + (open.length === 1 ? "" : "s");
    text.textContent = worst.kind_label + " on " + worst.subject + ": " + worst.reason;
  }

  let pending = null;
  function refresh() {
    // Frames may come in bursts (an anomaly pass opening several incidents): ask once for the lot.
    if (pending) return;
    pending = setTimeout(async () => {
      pending = null;
      try {
        const response = await fetch(banner.dataset.summaryUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const body = await response.json();
        draw(body.incidents || []);
        document.dispatchEvent(new CustomEvent("rex:incidents", { detail: body.incidents || [] }));
      } catch (err) { /* offline: the next frame or reconnection asks again */ }
    }, 150);
  }

  window.RexBanner = {
    refresh,
    onFrame(frame) {
      if (frame.type && frame.type.indexOf("incident.") === 0) refresh();
    },
  };

  // Its frames ride on the page's one live socket (live.js opens it with every stream asked for on the page);
  // on every (re)connection it asks the server again.
  if (window.RexLive) {
    // No pill of its own: the page's "Live" pill tells whether what the page draws is live.
    window.RexLive.connect({ streams: ["monitoring"], pill: null, onOpen: refresh,
                             onMessage: (frame) => window.RexBanner.onFrame(frame) });
  }
})();
