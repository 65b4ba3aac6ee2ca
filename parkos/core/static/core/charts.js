// ParkOS charts: ECharts drawn from the page's JSON data block ({{ charts|json_script:"id" }}).
// Names in the data come from users: ECharts draws axis labels, legends and its default tooltips as
// text (STYLE.md rule 20); never give it a formatter that returns HTML built from them.
// Numbers follow the formatting layer (core.units, STYLE.md rule 19): grouped by thousands in every
// language, at most two decimals; an option's `unit` ("m²", "万元", "%") is written after tooltip values.
(function () {
  "use strict";
  window.ParkOS = window.ParkOS || {};
  var grouped = {};
  // formatNumber(1234567.891) -> "1,234,567.89"; formatNumber(12) -> "12". Returns text, never HTML.
  window.ParkOS.formatNumber = function (value, decimals) {
    if (value === null || value === undefined || value === "" || isNaN(Number(value))) return value === null || value === undefined ? "—" : String(value);
    var places = decimals === undefined ? (Number(value) % 1 === 0 ? 0 : 2) : decimals;
    if (!grouped[places]) grouped[places] = new Intl.NumberFormat("en-US", { minimumFractionDigits: places, maximumFractionDigits: places });
    return grouped[places].format(Number(value));
  };
  function valueAxes(axes, formatter) {
    if (!axes) return axes;
    var list = Array.isArray(axes) ? axes : [axes];
    list.forEach(function (axis) {
      if (axis && axis.type === "value") axis.axisLabel = Object.assign({ formatter: formatter }, axis.axisLabel);
    });
    return axes;
  }
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
      var merged = Object.assign({}, defaults, option);
      var unit = merged.unit ? " " + merged.unit : "";
      delete merged.unit;
      merged.tooltip = Object.assign({ valueFormatter: function (v) { return window.ParkOS.formatNumber(v) + unit; } }, merged.tooltip);
      valueAxes(merged.xAxis, function (v) { return window.ParkOS.formatNumber(v); });
      valueAxes(merged.yAxis, function (v) { return window.ParkOS.formatNumber(v); });
      chart.setOption(merged);
      window.addEventListener("resize", function () { chart.resize(); });
    }
    drawAll(draw, data);
  };
})();
