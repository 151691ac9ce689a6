/* Starts Redoc on /api/redoc/ from the container's data attributes (no inline script under the CSP). */
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  if (container && window.Redoc) {
    window.Redoc.init(container.dataset.specUrl, JSON.parse(container.dataset.settings || "{}"), container);
  }
})();
