// Starts Swagger UI for /schema. Lives in a file because the Content-Security-Policy forbids inline script.
(function () {
  "use strict";
  var container = document.getElementById("swagger-container");
  if (!container || typeof SwaggerUIBundle === "undefined") return;
  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : undefined;
  }
  SwaggerUIBundle({
    url: container.dataset.specUrl,
    dom_id: "#swagger-container",
    deepLinking: true,
    requestInterceptor: function (request) {
      var token = csrfToken();
      if (token) request.headers["x-csrftoken"] = token;
      return request;
    },
  });
})();
