// The organization's live socket (/ws/live/), one per page, shared by everything on it that draws live: the page's
// own script, the panels and sections other apps add (the meetings panel, the drafts on the Inbox page) and the
// incidents banner. Each of them calls RexLive.connect with the streams it draws (the server sends only those),
// what to do when the socket opens (catch up from the API: frames sent while no socket listened are gone) and with
// each frame of its streams. The socket opens once every deferred script has had its say, with the union of the
// streams; the "Live" pill, reconnection with backoff and keep-alive pings are done once. A socket closed with 4401
// (not logged in) or 4403 (no organization) is not retried: the page says so and links to the login page, since
// reconnecting with the same session would be refused the same way.
(function () {
  "use strict";

  const subscribers = [];
  let socket = null;
  let scheduled = false;
  let backoff = 500;
  let pingTimer = null;
  let refused = false;

  function streamsWanted() {
    const streams = [];
    subscribers.forEach((s) => s.streams.forEach((name) => { if (streams.indexOf(name) === -1) streams.push(name); }));
    return streams.sort();
  }

  // A page without the pill (a page that draws nothing live but the banner) still connects; it just shows nothing.
  function pills() {
    const ids = [];
    subscribers.forEach((s) => { const id = s.pill === undefined ? "live" : s.pill; if (id && ids.indexOf(id) === -1) ids.push(id); });
    return ids.map((id) => document.getElementById(id)).filter(Boolean);
  }

  function setLive(state, label) {
    pills().forEach((live) => {
      live.dataset.state = state;
      live.className = "live live-" + state;
      live.querySelector(".live-label").textContent = label;
    });
  }

  // The login link comes back to this page; base.html names the login URL so this file need not know it.
  function setRefused(state, label) {
    setLive(state, label + " — ");
    const meta = document.querySelector('meta[name="login-url"]');
    pills().forEach((live) => {
      const link = document.createElement("a");
      link.className = "live-login";
      link.href = (meta ? meta.content : "/accounts/login/") + "?next=" + encodeURIComponent(location.pathname + location.search);
      link.textContent = "log in again";
      live.querySelector(".live-label").appendChild(link);
    });
  }

  function open() {
    const streams = streamsWanted();
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const query = streams.length ? "?streams=" + encodeURIComponent(streams.join(",")) : "";
    const current = new WebSocket(scheme + location.host + "/ws/live/" + query);
    current.streams = streams.join(",");
    socket = current;
    current.onopen = () => {
      backoff = 500;
      setLive("on", "Live");
      // Keep idle proxies from closing the socket; the consumer answers pings.
      clearInterval(pingTimer);
      pingTimer = setInterval(() => {
        if (current.readyState === WebSocket.OPEN) current.send(JSON.stringify({ type: "ping" }));
      }, 25000);
      subscribers.forEach((s) => s.onOpen());
    };
    current.onclose = (e) => {
      if (socket !== current) return; // replaced by a socket with more streams
      clearInterval(pingTimer);
      if (e.code === 4401) {
        refused = true;
        setRefused("logged-out", "Your session has ended");
        return; // retrying will not help
      }
      if (e.code === 4403) {
        refused = true;
        setRefused("no-access", "This account has no organization");
        return;
      }
      setLive("off", "Offline — reconnecting…");
      setTimeout(open, backoff);
      backoff = Math.min(backoff * 2, 10000);
    };
    current.onmessage = (msg) => {
      let data;
      try { data = JSON.parse(msg.data); } catch (err) { return; }
      subscribers.forEach((s) => {
        if (!data.stream || s.streams.indexOf(data.stream) !== -1) s.onMessage(data);
      });
    };
  }

  function schedule() {
    if (scheduled || refused) return;
    scheduled = true;
    const start = () => {
      if (socket && socket.streams === streamsWanted().join(",")) return;
      if (socket) {
        // Someone joined after the socket opened with fewer streams: open one with all of them instead.
        const old = socket;
        socket = null;
        old.close();
      }
      open();
    };
    // Deferred scripts all run before DOMContentLoaded, but each may be a task of its own (readyState is already
    // "interactive" while they run): wait for the event, so the socket carries every stream at once.
    if (!domReady) {
      whenReady = () => { scheduled = false; start(); };
    } else {
      setTimeout(() => { scheduled = false; start(); }, 0);
    }
  }

  // This file runs before the page's deferred scripts (base.html loads it first), so this listener is in place
  // before anyone subscribes.
  let domReady = document.readyState === "complete";
  let whenReady = null;
  if (!domReady) {
    document.addEventListener("DOMContentLoaded", () => {
      domReady = true;
      if (whenReady) whenReady();
    }, { once: true });
  }

  function connectLive({ streams, onOpen, onMessage, pill }) {
    subscribers.push({ streams: streams || [], onOpen: onOpen || (() => {}), onMessage: onMessage || (() => {}), pill });
    window.RexLive.connected = true;
    schedule();
  }

  window.RexLive = { connect: connectLive, connected: false };
})();
