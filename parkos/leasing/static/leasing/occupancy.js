// Occupancy page: leased, sold and vacant area per park and per brand (data: #occupancy-charts).
ParkOS.charts("occupancy-charts", { tooltip: { trigger: "axis" } }, function (draw, data) {
  "use strict";
  // a bar per park or brand, across: the names whole at the left (under upright bars they were cut to "…")
  function stacked(id, s) {
    draw(id, {
      legend: { data: [data.names.leased, data.names.sold, data.names.vacant] },
      yAxis: { type: "category", inverse: true, data: s.labels }, xAxis: { type: "value" },
      series: [
        { name: data.names.leased, type: "bar", stack: "a", data: s.leased },
        { name: data.names.sold, type: "bar", stack: "a", data: s.sold },
        { name: data.names.vacant, type: "bar", stack: "a", data: s.vacant }
      ]
    });
  }
  stacked("chart-parks", data.parks);
  stacked("chart-brands", data.brands);
});
