// The organization's live socket (/ws/live/), shared by the dashboard pages: the "Live" pill, reconnection with
// backoff, keep-alive pings. Each page names the streams it draws (the server sends only those), what to do
// when the socket opens (catch up from the API: frames sent while no socket listened are gone) and with each
// frame.
(function () {
  "use strict";

  function connectLive({ streams, onOpen, onMessage }) {
    const live = document.getElementById("live");
    function setLive(state, label) {
      live.dataset.state = state;
      live.className = "live live-" + state;
      live.querySelector(".live-label").textContent = label;
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
        onOpen();
      };
      socket.onclose = (e) => {
        clearInterval(pingTimer);
        if (e.code === 4401 || e.code === 4403) {
          setLive("off", e.code === 4401 ? "Offline — log in again" : "Offline — no organization");
          return; // retrying will not help
        }
        setLive("off", "Offline — reconnecting…");
        setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, 10000);
      };
      socket.onmessage = (msg) => {
        let data;
        try { data = JSON.parse(msg.data); } catch (err) { return; }
        onMessage(data);
      };
    }
    connect();
  }

  window.RexLive = { connect: connectLive };
})();
