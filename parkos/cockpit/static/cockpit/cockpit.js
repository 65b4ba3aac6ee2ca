// Cockpit page: one small chart per tile (a trend by month or year, or a breakdown), data from #figure-charts.
// Labels are set as text by ECharts (never HTML); the grid keeps axis labels and legends inside the box.
ParkOS.charts("figure-charts", { tooltip: { trigger: "axis", confine: true } }, function (draw, data) {
  "use strict";
  data.tiles.forEach(function (tile) {
    var id = "chart-" + tile.key;
    if (tile.chart === "pie") {
      draw(id, {
        tooltip: { trigger: "item", confine: true },
        // the legend under the ring: names in full, wrapping onto as many lines as they need (core/charts.js)
        legend: { top: "bottom", left: "center" },
        series: [{ type: "pie", radius: ["30%", "58%"], center: ["50%", "44%"], label: { show: false },
          data: tile.labels.map(function (label, i) { return { name: label, value: tile.values[i] }; }) }]
      });
      return;
    }
    draw(id, {
      grid: { left: 8, right: 8, top: 12, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: tile.labels, axisLabel: { hideOverlap: true, fontSize: 10 } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: 10 } },
      series: [{ name: tile.title, type: tile.chart === "bar" ? "bar" : "line", data: tile.values }]
    });
  });
});
