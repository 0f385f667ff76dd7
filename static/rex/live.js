// The organization's live socket (/ws/live/), shared by the dashboard pages: the "Live" pill, reconnection with
// backoff, keep-alive pings. Each page names the streams it draws (the server sends only those), what to do
// when the socket opens (catch up from the API: frames sent while no socket listened are gone) and with each
// frame. A socket closed with 4401 (not logged in) or 4403 (no organization) is not retried: the page says so and
// links to the login page, since reconnecting with the same session would be refused the same way.
(function () {
  "use strict";

  // Every page carries the incidents banner (banner.js): its frames ride on the page's socket, so a page never
  // holds two sockets; a page that draws nothing live gets a socket from banner.js for the banner alone.
  function connectLive({ streams, onOpen, onMessage, pill }) {
    const banner = window.RexBanner;
    if (banner && streams && streams.length && streams.indexOf("monitoring") === -1) {
      streams = streams.concat(["monitoring"]);
    }
    window.RexLive.connected = true;
    // A page without the pill (the incidents banner's socket on any page) still connects; it just shows nothing.
    const live = document.getElementById(pill === undefined ? "live" : pill) || null;
    function setLive(state, label) {
      if (!live) return;
      live.dataset.state = state;
      live.className = "live live-" + state;
      live.querySelector(".live-label").textContent = label;
    }

    // The login link comes back to this page; base.html names the login URL so this file need not know it.
    function setRefused(state, label) {
      if (!live) return;
      setLive(state, label + " — ");
      const meta = document.querySelector('meta[name="login-url"]');
      const link = document.createElement("a");
      link.className = "live-login";
      link.href = (meta ? meta.content : "/accounts/login/") + "?next=" + encodeURIComponent(location.pathname + location.search);
      link.textContent = "log in again";
      live.querySelector(".live-label").appendChild(link);
    }

    let backoff = 500;
    let pingTimer = null;

    function connect() {
      const scheme = location.protocol === "https:" ? "wss://" : "ws://";
      const query = streams && streams.length ? "?streams=" + encodeURIComponent(streams.join(",")) : "";
      const socket = new WebSocket(scheme + location.host + "/ws/live/" + query);
      socket.onopen = () => {
        backoff = 500;
        setLive("on", "Live");
        // Keep idle proxies from closing the socket; the consumer answers pings.
        clearInterval(pingTimer);
        pingTimer = setInterval(() => {
          if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "ping" }));
        }, 25000);
        if (banner) banner.refresh();
        onOpen();
      };
      socket.onclose = (e) => {
        clearInterval(pingTimer);
        if (e.code === 4401) {
          setRefused("logged-out", "Your session has ended");
          return; // retrying will not help
        }
        if (e.code === 4403) {
          setRefused("no-access", "This account has no organization");
          return;
        }
        setLive("off", "Offline — reconnecting…");
        setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, 10000);
      };
      socket.onmessage = (msg) => {
        let data;
        try { data = JSON.parse(msg.data); } catch (err) { return; }
        if (banner && data.stream === "monitoring") banner.onFrame(data);
        onMessage(data);
      };
    }
    connect();
  }

  window.RexLive = { connect: connectLive, connected: false };
})();
