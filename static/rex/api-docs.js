// Starts Swagger UI on /api/docs/ (templates/api/swagger_ui.html). drf-spectacular renders this start-up as an
// inline script, which our Content-Security-Policy refuses; here it is a file, reading what the server decided
// (the schema URL, SPECTACULAR_SETTINGS["SWAGGER_UI_SETTINGS"], the CSRF header) from the container's data-*.
(function () {
  "use strict";

  const root = document.getElementById("swagger-ui");
  const settings = JSON.parse(root.dataset.settings || "{}");

  // "Try it out" with a logged-in session: Django wants the CSRF token on every unsafe same-origin request
  // (a token in the Authorize dialog needs none, and Swagger UI sends it itself).
  function requestInterceptor(request) {
    if (!["GET", undefined].includes(request.method) && request.credentials === "same-origin") {
      request.headers[root.dataset.csrfHeader] = root.dataset.csrfToken;
    }
    return request;
  }

  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor,
    ...settings,
  });
})();
