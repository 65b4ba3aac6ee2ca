// Cockpit page: one small chart per tile (a trend by month or year, or a breakdown), data from #cockpit-charts.
// Labels are set as text by ECharts (never HTML); the grid keeps axis labels and legends inside the box.
ParkOS.charts("cockpit-charts", { tooltip: { trigger: "axis", confine: true } }, function (draw, data) {
  "use strict";
  data.tiles.forEach(function (tile) {
    var id = "chart-" + tile.key;
    if (tile.chart === "pie") {
      draw(id, {
        tooltip: { trigger: "item", confine: true },
        legend: { type: "scroll", orient: "vertical", right: 0, top: "middle", textStyle: { width: 90, overflow: "truncate" } },
        series: [{ type: "pie", radius: ["35%", "70%"], center: ["35%", "50%"], label: { show: false },
          data: tile.labels.map(function (label, i) { return { name: label, value: tile.values[i] }; }) }]
      });
      return;
    }
    draw(id, {
      grid: { left: 8, right: 8, top: 12, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: tile.labels, axisLabel: { hideOverlap: true, fontSize: 10 } },
      yAxis: { type: "value", axisLabel: { fontSize: 10 } },
      series: [{ name: tile.title, type: tile.chart === "bar" ? "bar" : "line", data: tile.values }]
    });
  });
});
