// Helpers the pages share (campaigns, inbox, dashboard): build an element, the CSRF token, one call to the JSON
// API. Loaded before each page's own script (both `defer`, so in order); exposed as window.RexCommon.
(function () {
  "use strict";

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content && meta.content !== "NOTPROVIDED") return meta.content;
    const m = document.cookie.match(/(?:^|; )csrftoken=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  // One call with the session cookie (and the CSRF token on writes); ``body`` may be FormData (a file upload).
  // Always resolves to {status, body}: status 0 when the server could not be reached, and a readable ``detail``
  // when the answer was not JSON or the session has ended.
  async function api(method, url, body) {
    const init = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") init.headers["X-CSRFToken"] = csrfToken();
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let resp;
    try {
      resp = await fetch(url, init);
    } catch (err) {
      return { status: 0, body: { detail: "The server could not be reached. Check your connection and try again." } };
    }
    let data = await resp.json().catch(() => null);
    if (data === null) data = resp.ok ? {} : { detail: "The server answered " + resp.status + " " + resp.statusText + "." };
    if (resp.status === 401 || resp.status === 403) {
      data = { detail: (data && data.detail) || "Your session has ended: log in again." };
    }
    return { status: resp.status, body: data };
  }

  window.RexCommon = { el, csrfToken, api };
})();
