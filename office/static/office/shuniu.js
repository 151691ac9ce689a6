/* Shuniu's page behaviour, loaded with defer on every page (base.html). The Content-Security-Policy
   allows no inline script or style attribute, so what a template would have written inline is
   declared as data and applied here: on the first page load and on every htmx swap. */
(function () {
  "use strict";

  function setUp(root) {
    // Bootstrap tooltips are opt-in: show each badge's derivation on hover and focus.
    if (window.bootstrap) {
      root.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (element) {
        window.bootstrap.Tooltip.getOrCreateInstance(element);
      });
    }
    // Progress bars carry their width as data-progress (a percentage), set through the CSSOM,
    // which the policy allows, instead of a style attribute, which it does not.
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      var value = Math.min(100, Math.max(0, parseFloat(bar.dataset.progress) || 0));
      bar.style.width = value + "%";
    });
  }

  // Deferred scripts run after parsing, in order (bootstrap and htmx are already loaded).
  setUp(document);
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    if (target && target.querySelectorAll) {
      setUp(target.parentElement || target);
    }
  });
})();
