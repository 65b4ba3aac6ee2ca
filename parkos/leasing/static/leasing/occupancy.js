// Occupancy page: leased, sold and vacant area per park and per brand (data: #occupancy-charts).
ParkOS.charts("occupancy-charts", { tooltip: { trigger: "axis" } }, function (draw, data) {
  "use strict";
  function stacked(id, s) {
    draw(id, {
      legend: { data: [data.names.leased, data.names.sold, data.names.vacant] },
      xAxis: { type: "category", data: s.labels }, yAxis: { type: "value" },
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
