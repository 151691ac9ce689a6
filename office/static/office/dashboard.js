// 领导驾驶舱: draws each chart from its option (data only, in a json_script block) and follows
// the chart's links on a click: links[dataIndex], with the series' light (its id) as a filter.
(function () {
  "use strict";

  function parse(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function draw(element) {
    if (!window.echarts) {
      return;
    }
    var option = parse(element.dataset.chart);
    var links = parse(element.dataset.links) || [];
    if (!option) {
      return;
    }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    if (links.length) {
      chart.on("click", function (event) {
        var link = links[event.dataIndex];
        if (!link) {
          return;
        }
        if (event.seriesId && /^(red|yellow|green)$/.test(event.seriesId)) {
          link += (link.indexOf("?") < 0 ? "?" : "&") + "light=" + event.seriesId;
        }
        window.location.assign(link);
      });
    }
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
