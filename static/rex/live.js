// The organization's live event socket (/ws/missions/), shared by the dashboard and the Domains page: the
// "Live" pill, reconnection with backoff, keep-alive pings. Each page says what to do when the socket opens
// (catch up from the API: events sent while no socket listened are gone) and with each message.
(function () {
  "use strict";

  function connectLive({ onOpen, onMessage }) {
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
      const socket = new WebSocket(scheme + location.host + "/ws/missions/");
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
