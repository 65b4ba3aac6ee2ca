// ParkOS charts: ECharts drawn from the page's JSON data block ({{ charts|json_script:"id" }}).
// Names in the data come from users: ECharts draws axis labels, legends and its default tooltips as
// text (STYLE.md rule 20); never give it a formatter that returns HTML built from them.
// Numbers follow the formatting layer (core.units, STYLE.md rule 19): grouped by thousands in every
// language, at most two decimals; an option's `unit` ("m²", "万元", "%") is written after tooltip values; value
// axes read compactly (60万, 1.5亿 in Chinese; 1.5M in English). A chart without data says so (hasData).
(function () {
  "use strict";
  window.ParkOS = window.ParkOS || {};
  var grouped = {};
  // formatNumber(1234567.891) -> "1,234,567.89"; formatNumber(12) -> "12". Returns text, never HTML.
  window.ParkOS.formatNumber = function (value, decimals) {
    if (value === null || value === undefined || value === "" || isNaN(Number(value))) return value === null || value === undefined ? "—" : String(value);
    var places = decimals === undefined ? (Number(value) % 1 === 0 ? 0 : 2) : decimals;
    if (!grouped[places]) grouped[places] = new Intl.NumberFormat("en-US", { minimumFractionDigits: places, maximumFractionDigits: places });
    return grouped[places].format(Number(value));
  };
  var compact = {};
  function chinese() { return /^zh/i.test(document.documentElement.lang || ""); }
  // axisNumber(600000) -> "60万" in Chinese, "600,000" in English; 15000000 -> "1,500万" / "15M"; 2.5e8 -> "2.5亿".
  // Axis labels only: tooltips and figures keep the full grouped number.
  window.ParkOS.axisNumber = function (value) {
    var n = Number(value);
    if (value === null || value === undefined || isNaN(n)) return window.ParkOS.formatNumber(value);
    if (!compact.f) compact.f = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
    var size = Math.abs(n);
    if (chinese()) {
      if (size >= 1e8) return compact.f.format(n / 1e8) + "亿";
      if (size >= 1e4) return compact.f.format(n / 1e4) + "万";
    } else if (size >= 1e6) {
      return compact.f.format(n / 1e6) + "M";
    }
    return window.ParkOS.formatNumber(value);
  };
  // hasData(option): a series holds a value other than nothing or zero. A chart without one says so instead
  // of drawing empty axes on a 0-1 scale.
  function itemValue(d) { return d !== null && typeof d === "object" && !Array.isArray(d) ? d.value : d; }
  window.ParkOS.hasData = function (option) {
    return (option.series || []).some(function (series) {
      return (series.data || []).some(function (d) {
        var v = itemValue(d);
        var values = Array.isArray(v) ? v.slice(-1) : [v];  // [x, y] pairs: the value is the last
        return values.some(function (x) { return x !== null && x !== undefined && x !== "" && !isNaN(Number(x)) && Number(x) !== 0; });
      });
    });
  };
  // showEmpty(el): the chart's box says there is no data for the period (the text from <html data-chart-empty>).
  window.ParkOS.showEmpty = function (el) {
    var note = document.createElement("div");
    note.className = "chart-empty";
    note.textContent = document.documentElement.getAttribute("data-chart-empty") || "—";
    el.replaceChildren(note);
  };
  function valueAxes(axes, formatter) {
    if (!axes) return axes;
    var list = Array.isArray(axes) ? axes : [axes];
    list.forEach(function (axis) {
      if (axis && axis.type === "value") axis.axisLabel = Object.assign({ formatter: formatter }, axis.axisLabel);
    });
    return axes;
  }
  // Category labels of a horizontal axis are cut to the width of their band (the tooltip names every bar
  // in full), so none reaches into its neighbour's or past the chart; labels that would still overlap
  // (a vertical axis with many rows) are left out.
  // Names on a vertical axis (horizontal bars) are cut at ``room`` pixels, a share of the chart's width.
  function categoryAxes(axes, band, room) {
    if (!axes) return;
    (Array.isArray(axes) ? axes : [axes]).forEach(function (axis) {
      if (axis && axis.type === "category") {
        var count = (axis.data || []).length || 1;
        var fit = band ? { width: Math.max(24, Math.floor(band / count) - 6), overflow: "truncate" }
          : (room ? { width: room, overflow: "truncate" } : {});
        axis.axisLabel = Object.assign({ interval: band ? 0 : "auto", hideOverlap: true }, fit, axis.axisLabel);
      }
    });
  }
  // A chart of horizontal bars (names on its vertical axis) is as tall as a row per name needs, within its
  // page's height and MAX_ROWS_HEIGHT: park names under vertical bars were cut to "…" (the tooltip named them).
  var ROW_HEIGHT = 24, MAX_ROWS_HEIGHT = 640;
  function rowsHeight(option, height) {
    var axes = option.yAxis ? (Array.isArray(option.yAxis) ? option.yAxis : [option.yAxis]) : [];
    var rows = 0;
    axes.forEach(function (axis) { if (axis && axis.type === "category") rows = Math.max(rows, (axis.data || []).length); });
    if (!rows) return height;
    return Math.max(height, Math.min(rows * ROW_HEIGHT + 64, MAX_ROWS_HEIGHT));
  }
  // Lines a legend of these names takes at this width (ECharts wraps a plain legend): CJK characters are
  // about 13 px wide at 12 px, others about 7, plus the symbol and the gap of each item.
  function legendLines(names, width) {
    var line = 0, lines = 1, room = Math.max(width - 16, 80);
    names.forEach(function (name) {
      var w = 38 + textWidth(String(name));
      if (line && line + w > room) { lines += 1; line = 0; }
      line += w;
    });
    return lines;
  }
  function textWidth(text) {
    var w = 0;
    for (var i = 0; i < text.length; i++) w += text.charCodeAt(i) > 0x2e7f ? 13 : 7;
    return w;
  }
  // A legend formatter that keeps a name whole when it fits in ``room`` pixels, else cuts it with "…".
  function fitName(room) {
    return function (name) {
      var text = String(name);
      if (textWidth(text) <= room) return text;
      while (text.length > 1 && textWidth(text) + 7 > room) text = text.slice(0, -1);
      return text + "…";
    };
  }
  function legendNames(option) {
    if (option.legend && option.legend.data) return option.legend.data.map(function (d) { return d && d.name !== undefined ? d.name : d; });
    // a pie's legend names its slices, other charts' their series
    var names = [];
    (option.series || []).forEach(function (s) {
      if (s.type === "pie") (s.data || []).forEach(function (d) { if (d && d.name !== undefined) names.push(d.name); });
      else if (s.name !== undefined) names.push(s.name);
    });
    return names;
  }
  // Every label stays in its box and off the others (issue 13): the legend wraps at the top and the grid
  // starts below its last line; the grid holds the axes and their labels (outerBoundsMode "same": the
  // labels are inside the grid's rectangle); category labels are cut to their band; pie labels that would
  // overlap, or whose slice is too thin, are left out (the tooltip and legend name them). Pages give data
  // and series, not pixel margins.
  var PIE_LABELS = 4;
  function layOut(option, width) {
    var legendHeight = 0, legendAtBottom = false;
    if (option.legend) {
      // a plain legend wraps onto as many lines as it needs (a scrolling one hides items behind a pager)
      option.legend = Object.assign({ top: 0, left: "center", itemGap: 10 }, option.legend, { type: "plain" });
      // names in full: one is cut only when it is longer than a whole line (legendLines' room, less the symbol)
      if (!option.legend.formatter) option.legend.formatter = fitName(Math.max(width - 16, 80) - 38);
      legendAtBottom = option.legend.top === "bottom";
      legendHeight = legendLines(legendNames(option), width) * 22;
    }
    if (option.xAxis || option.yAxis) {
      option.grid = Object.assign({ left: 8, right: 16, bottom: 8 }, option.grid, {
        top: legendHeight + 24, outerBoundsMode: "same", outerBoundsContain: "axisLabel"
      });
      delete option.grid.containLabel;
      var yLabels = 72 * (Array.isArray(option.yAxis) ? option.yAxis.length : 1);  // room of the value axes' labels, roughly
      categoryAxes(option.xAxis, width - option.grid.left - option.grid.right - yLabels);
      categoryAxes(option.yAxis, 0, Math.max(64, Math.floor(width * 0.4)));
      if (rowsHeight(option, 0)) {
        // horizontal bars: their value axis runs across what the names leave, three or four steps, none over another
        (Array.isArray(option.xAxis) ? option.xAxis : [option.xAxis]).forEach(function (axis) {
          if (axis && axis.type === "value") {
            axis.splitNumber = axis.splitNumber || 3;
            axis.axisLabel = Object.assign({ hideOverlap: true }, axis.axisLabel);
          }
        });
      }
    }
    (option.series || []).forEach(function (series) {
      if (series.type !== "pie") return;
      if (legendAtBottom) series.bottom = legendHeight; else series.top = legendHeight;
      if (series.label && series.label.show === false) return;
      // labels line up at the chart's edges, cut to fit between the edge and the pie; only the largest
      // slices are labelled (the tooltip names every slice), so labels never pile up around thin ones
      series.label = Object.assign({ alignTo: "edge", edgeDistance: 4, width: Math.max(48, Math.floor(width / 5)), overflow: "truncate" }, series.label);
      series.labelLayout = Object.assign({ hideOverlap: true }, series.labelLayout);
      var values = (series.data || []).map(function (d) { return Number(d && d.value !== undefined ? d.value : d) || 0; });
      var cut = values.slice().sort(function (a, b) { return b - a; })[Math.min(values.length, PIE_LABELS) - 1];
      var total = values.reduce(function (a, b) { return a + b; }, 0) || 1;
      series.data = (series.data || []).map(function (d, i) {
        var shown = values[i] >= cut && values[i] / total >= 0.05;
        if (shown) return d;
        var item = (d !== null && typeof d === "object") ? Object.assign({}, d) : { value: d };
        item.label = { show: false };
        item.labelLine = { show: false };
        return item;
      });
    });
    return option;
  }
  // charts(dataId, defaults, drawAll): drawAll(draw, data) calls draw(elementId, option) per chart;
  // each option is laid over the page's defaults.
  window.ParkOS.charts = function (dataId, defaults, drawAll) {
    var block = document.getElementById(dataId);
    if (!block || typeof echarts === "undefined") return;
    var data = JSON.parse(block.textContent);
    function draw(id, option) {
      var el = document.getElementById(id);
      if (!el) return;
      if (!window.ParkOS.hasData(option)) { window.ParkOS.showEmpty(el); return; }
      // SVG: crisp in print, and each label is an element a browser test can measure
      var tall = rowsHeight(option, el.clientHeight);
      if (tall > el.clientHeight) el.style.height = tall + "px";
      var chart = echarts.init(el, null, { renderer: "svg" });
      var merged = layOut(Object.assign({}, defaults, option), el.clientWidth);
      var unit = merged.unit ? " " + merged.unit : "";
      delete merged.unit;
      merged.tooltip = Object.assign({ valueFormatter: function (v) { return window.ParkOS.formatNumber(v) + unit; } }, merged.tooltip);
      valueAxes(merged.xAxis, window.ParkOS.axisNumber);
      valueAxes(merged.yAxis, window.ParkOS.axisNumber);
      chart.setOption(merged);
      window.addEventListener("resize", function () { chart.resize(); });
    }
    drawAll(draw, data);
  };
})();
