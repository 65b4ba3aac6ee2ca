// ParkOS charts: ECharts drawn from the page's JSON data block ({{ charts|json_script:"id" }}).
// Names in the data come from users: ECharts draws axis labels, legends and its default tooltips as
// text (STYLE.md rule 20); never give it a formatter that returns HTML built from them.
(function () {
  "use strict";
  window.ParkOS = window.ParkOS || {};
  // charts(dataId, defaults, drawAll): drawAll(draw, data) calls draw(elementId, option) per chart;
  // each option is laid over the page's defaults.
  window.ParkOS.charts = function (dataId, defaults, drawAll) {
    var block = document.getElementById(dataId);
    if (!block || typeof echarts === "undefined") return;
    var data = JSON.parse(block.textContent);
    function draw(id, option) {
      var el = document.getElementById(id);
      if (!el) return;
      var chart = echarts.init(el);
      chart.setOption(Object.assign({}, defaults, option));
      window.addEventListener("resize", function () { chart.resize(); });
    }
    drawAll(draw, data);
  };
})();
