/* Lists on a phone (office/static/office/shuniu.css, .table-cards): below the md breakpoint each
   row of a list is a card, and each cell shows its column's name before it, read here from the
   table's head into data-label (a cell that already has one keeps it). Run on the first load and
   after every htmx swap. */
(function () {
  "use strict";

  function label(table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead tr:first-child > th"), function (th) {
      return (th.textContent || "").trim();
    });
    if (!heads.length) { return; }
    table.querySelectorAll("tbody > tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        var span = parseInt(cell.getAttribute("colspan") || "1", 10) || 1;
        if (span === 1 && !cell.hasAttribute("data-label") && heads[column]) {
          cell.setAttribute("data-label", heads[column]);
        }
        column += span;
      });
    });
  }

  function setUp(root) {
    root.querySelectorAll("table.table-cards").forEach(label);
  }

  setUp(document);
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    if (target && target.querySelectorAll) {
      setUp(target.closest("table.table-cards") ? target.closest("table.table-cards").parentElement : target);
    }
  });
})();
