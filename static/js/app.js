// Progressive enhancement only: every form works without JavaScript.
(function () {
  "use strict";

  // Case fields matter only for innovation cases: hide them for other kinds.
  function syncCaseFields(form) {
    var caseFields = form.querySelector("[data-case-fields]");
    if (!caseFields) return;
    var checked = form.querySelector("input[data-kind-switch]:checked");
    caseFields.hidden = !!checked && checked.value !== "inovasi";
  }

  // The new-agency fields matter only when "my agency is not listed" is chosen.
  function syncAgencyFields(form) {
    var select = form.querySelector("select[data-agency-switch]");
    var fields = form.querySelector("[data-new-agency]");
    if (!select || !fields) return;
    fields.hidden = select.value !== "baru";
  }

  function init() {
    document.querySelectorAll("form").forEach(function (form) {
      syncCaseFields(form);
      syncAgencyFields(form);
      form.addEventListener("change", function (event) {
        if (event.target.matches("[data-kind-switch]")) syncCaseFields(form);
        if (event.target.matches("[data-agency-switch]")) syncAgencyFields(form);
      });
    });
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
