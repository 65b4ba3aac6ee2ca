// Leasing figures page: occupancy trend, area leased per park and per tenant industry (data: #figures-charts).
ParkOS.charts("figures-charts", { tooltip: { trigger: "axis" } }, function (draw, data) {
  "use strict";
  draw("chart-trend", { unit: "%", xAxis: { type: "category", data: data.trend.labels }, yAxis: { type: "value", max: 100 },
    series: [{ name: data.names.rate, type: "line", data: data.trend.values }] });
  draw("chart-leased-park", { unit: "m²", xAxis: { type: "category", data: data.leased_by_park.labels }, yAxis: { type: "value" },
    series: [{ name: data.names.leased, type: "bar", data: data.leased_by_park.values }] });
  draw("chart-leased-industry", { unit: "m²", tooltip: { trigger: "item" },
    series: [{ name: data.names.leased, type: "pie", radius: "65%", data: data.leased_by_industry.labels.map(function (l, i) { return { name: l, value: data.leased_by_industry.values[i] }; }) }] });
});
