// Park benchmarking: each park's percentile on the evaluation and service measures (data: #figure-charts).
// Park names come from users: ECharts sets them as text; the grid keeps rotated names inside the box.
ParkOS.charts("figure-charts", { tooltip: { trigger: "axis", confine: true } }, function (draw, data) {
  "use strict";
  draw("chart-parks", {
    legend: { type: "scroll", top: 0, left: 0, right: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.parks, axisLabel: { interval: 0, rotate: data.parks.length > 6 ? 30 : 0, width: 120, overflow: "truncate" } },
    // the card title says what the axis counts; no "0" at the foot, where the first park's rotated name runs
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { showMinLabel: false } },
    series: data.series.map(function (s) { return { name: s.name, type: "bar", data: s.values }; })
  });
});
