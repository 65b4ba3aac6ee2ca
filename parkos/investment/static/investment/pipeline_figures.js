// Pipeline figures page: conversion funnel, time in stage, projects per stage (data: #figure-charts).
ParkOS.charts("figure-charts", { tooltip: { trigger: "axis" } }, function (draw, data) {
  "use strict";
  draw("chart-conversion", {
    tooltip: { trigger: "item" },
    series: [{
      // "{b}: {c}" is drawn on the canvas as text, not HTML
      type: "funnel", name: data.names.reached, sort: "none", minSize: "8%", left: "10%", width: "80%",
      label: { show: true, position: "inside", formatter: "{b}: {c}" },
      data: data.conversion.labels.map(function (label, i) { return { name: label, value: data.conversion.values[i] }; })
    }]
  });
  draw("chart-time", {
    legend: { data: data.time.series },
    xAxis: { type: "category", data: data.time.labels },
    yAxis: { type: "value" },
    series: [
      { name: data.time.series[0], type: "bar", data: data.time.mean },
      { name: data.time.series[1], type: "bar", data: data.time.median }
    ]
  });
  draw("chart-stages", {
    xAxis: { type: "category", data: data.stages.labels },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ name: data.names.projects, type: "bar", data: data.stages.values, label: { show: true, position: "top" } }]
  });
});
