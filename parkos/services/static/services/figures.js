// Service figures page: requests per aspect, status, rating and park (data: #figure-charts).
ParkOS.charts("figure-charts", { tooltip: { trigger: "axis" } }, function (draw, data) {
  "use strict";
  draw("chart-aspects", {
    legend: { data: [data.names.requests, data.names.response, data.names.resolution] },
    xAxis: { type: "category", data: data.aspects.labels },
    yAxis: [{ type: "value", minInterval: 1 }, { type: "value" }],
    series: [
      { name: data.names.requests, type: "bar", data: data.aspects.requests },
      { name: data.names.response, type: "line", yAxisIndex: 1, data: data.aspects.response },
      { name: data.names.resolution, type: "line", yAxisIndex: 1, data: data.aspects.resolution }
    ]
  });
  draw("chart-status", { tooltip: { trigger: "item" }, series: [{ type: "pie", radius: ["40%", "70%"], data: data.status }] });
  draw("chart-ratings", {
    xAxis: { type: "category", data: data.ratings.labels },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ name: data.names.requests, type: "bar", data: data.ratings.values, label: { show: true, position: "top" } }]
  });
  // a bar per park, across: the names in full at the left (under the bars they were cut to "…"), most first
  draw("chart-parks", {
    yAxis: { type: "category", inverse: true, data: data.parks.labels },
    xAxis: { type: "value", minInterval: 1 },
    series: [{ name: data.names.requests, type: "bar", data: data.parks.requests }]
  });
});
