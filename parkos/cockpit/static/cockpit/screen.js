// The big screen: reads the cockpit API every `refresh` seconds and moves to the next scope (the group, then
// each park) every `cycle` seconds. Everything is set as text (names come from users), never as HTML.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("screen-config").textContent);
  var tilesEl = document.getElementById("screen-tiles");
  var index = 0;
  var charts = [];
  var lastLoaded = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // A pie's legend stands right of the ring (centre at 32 %, outer radius 36 % of the shorter side) and uses
  // all the room there: a name is cut only when it is longer than that room.
  function legendRoom(width, height) {
    return Math.max(80, Math.floor(width - 0.32 * width - 0.36 * Math.min(width, height) - 8 - 30));
  }

  function chartOption(tile, width, height) {
    var text = { color: "#b8c7dc", fontSize: 14 };
    if (tile.chart === "pie") {
      return {
        animation: false,
        tooltip: { trigger: "item", confine: true },
        legend: { orient: "vertical", right: 0, top: "middle", itemGap: 6, textStyle: Object.assign({ width: legendRoom(width, height), overflow: "truncate" }, text) },
        series: [{ type: "pie", radius: ["38%", "72%"], center: ["32%", "50%"], label: { show: false },
          data: tile.labels.map(function (label, i) { return { name: label, value: tile.values[i] }; }) }]
      };
    }
    return {
      animation: false,
      grid: { left: 8, right: 8, top: 12, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: tile.labels, axisLabel: Object.assign({ hideOverlap: true }, text) },
      yAxis: { type: "value", minInterval: 1, axisLabel: Object.assign({ formatter: window.ParkOS.axisNumber }, text), splitLine: { lineStyle: { color: "#1f3252" } } },
      series: [{ type: tile.chart === "bar" ? "bar" : "line", data: tile.values, itemStyle: { color: "#38bdf8" } }]
    };
  }

  function render(data) {
    charts.forEach(function (chart) { chart.dispose(); });
    charts = [];
    document.getElementById("screen-scope").textContent = data.scope.label;
    document.getElementById("screen-period").textContent = data.date_from + " – " + data.date_to;
    document.getElementById("screen-updated").textContent = config.texts.updated + " " + new Date().toLocaleTimeString();
    tilesEl.replaceChildren();
    data.tiles.slice(0, 12).forEach(function (tile) {
      var box = el("section", "screen-tile");
      box.dataset.tile = tile.key;
      box.appendChild(el("h2", "", tile.title));
      var hasChart = tile.labels && tile.labels.length;
      // a tile with a chart shows its leading figures (the chart shows the breakdown); one without, up to six
      tile.figures.slice(0, hasChart ? 3 : 6).forEach(function (figure) {
        var row = el("div", "screen-figure");
        row.appendChild(el("span", "label", figure.label));
        var value = el("span", "value", figure.display);
        if (figure.change_display) {
          value.appendChild(el("span", "change " + (figure.change < 0 ? "down" : "up"), figure.change_display));
        }
        row.appendChild(value);
        box.appendChild(row);
      });
      if (tile.note) box.appendChild(el("div", "screen-note", tile.note));
      if (tile.labels && tile.labels.length && typeof echarts !== "undefined") {
        var holder = el("div", "screen-chart");
        box.appendChild(holder);
        tilesEl.appendChild(box);
        var option = chartOption(tile, holder.clientWidth, holder.clientHeight);
        if (window.ParkOS.hasData(option)) {
          var chart = echarts.init(holder, null, { renderer: "canvas" });
          chart.setOption(option);
          charts.push(chart);
        } else {
          window.ParkOS.showEmpty(holder);  // no data for the period: said, not a 0-1 axis
        }
      } else {
        tilesEl.appendChild(box);
      }
    });
    if (!data.tiles.length) tilesEl.appendChild(el("p", "screen-note", config.texts.none));
  }

  function load() {
    var scope = config.scopes[index % config.scopes.length];
    var params = new URLSearchParams();
    if (config.period) params.set("period", config.period);
    if (scope) params.set("scope", scope);
    fetch(config.api + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { render(data); lastLoaded = Date.now(); document.body.dataset.loaded = String(lastLoaded); } })
      .catch(function () { /* the next tick tries again */ });
  }

  load();
  setInterval(function () { index += 1; load(); }, config.cycle * 1000);
  setInterval(function () { if (Date.now() - lastLoaded > config.refresh * 1000) load(); }, config.refresh * 1000);
})();
