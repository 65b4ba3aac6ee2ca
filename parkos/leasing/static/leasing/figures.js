// Leasing figures page: occupancy trend, area leased per park and per tenant industry (data: #figures-charts).
ParkOS.charts("figures-charts", { tooltip: { trigger: "axis" } }, function (draw, data) {
  "use strict";
  // months whole, as many as fit (a narrow screen shows every second or third), not every one cut to "2…"
  draw("chart-trend", { unit: "%", xAxis: { type: "category", data: data.trend.labels, axisLabel: { interval: "auto", overflow: "none", width: null, alignMinLabel: "left", alignMaxLabel: "right" } }, yAxis: { type: "value", max: 100 },
    series: [{ name: data.names.rate, type: "line", data: data.trend.values }] });
  // a bar per park, across: the names in full at the left (under the bars they were cut to "…"), largest first
  draw("chart-leased-park", { unit: "m²", yAxis: { type: "category", inverse: true, data: data.leased_by_park.labels }, xAxis: { type: "value" },
    series: [{ name: data.names.leased, type: "bar", data: data.leased_by_park.values }] });
  draw("chart-leased-industry", { unit: "m²", tooltip: { trigger: "item" },
    series: [{ name: data.names.leased, type: "pie", radius: "65%", data: data.leased_by_industry.labels.map(function (l, i) { return { name: l, value: data.leased_by_industry.values[i] }; }) }] });
});
