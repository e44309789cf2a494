// The /cari page: progressive enhancement only (the form works as a plain GET form without JavaScript).
(function () {
  "use strict";

  function searchForm() {
    return document.getElementById("search-form");
  }

  // Ticking a filter or changing the order searches at once (the keyword field has its own htmx trigger).
  document.addEventListener("change", function (event) {
    var form = searchForm();
    var target = event.target;
    if (!form || !form.contains(target)) return;
    if (!target.matches("input[type=checkbox], select")) return;
    if (typeof form.requestSubmit === "function") form.requestSubmit();
    else form.submit();
  });

  // Pico shows a spinner on aria-busy; screen readers learn the region is updating.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var results = document.getElementById("search-results");
    if (results && searchForm() && searchForm().contains(event.detail.elt)) results.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:afterRequest", function () {
    var results = document.getElementById("search-results");
    if (results) results.removeAttribute("aria-busy");
  });

  // Facet groups the reader opened stay open when the results are replaced.
  var openGroups = [];
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "search-results") return;
    openGroups = Array.prototype.map.call(
      document.querySelectorAll("#search-results details[open]"),
      function (details) { return details.id; }
    );
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "search-results") return;
    openGroups.forEach(function (id) {
      var details = document.getElementById(id);
      if (details) details.open = true;
    });
  });
})();
