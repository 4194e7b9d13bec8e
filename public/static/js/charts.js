// Draws the charts of a page. Each chart is a <div data-chart="ID"> whose
// ECharts option sits in <script type="application/json" id="ID">, written
// by the server (go-echarts), with its texts (title, subtitle, credit, URL,
// demo-data line, tooltip notes) in the JSON block named by data-meta, so
// pages carry no inline script and work without JavaScript: every chart
// has its data table beside it.
//
// A withheld value is "-" in the option: no bar, a hatched stub the server
// placed with a markPoint flagged "ditekan", "—" and the reason in the
// tooltip. A partial sum is flagged "sebagian": "≥" in the tooltip.
//
// The PNG and SVG links export the chart with its source: an offscreen
// ECharts instance draws the same option, taller, with the title and
// subtitle above the plot (ECharts title) and the note, credit and URL
// below it (graphic texts). For tests and tools the element keeps
// el.__export(type) (draws an export, returns its data URL),
// el.__exportChart (the last export's ECharts instance) and
// el.__exportOption (the export option).
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var lang = document.documentElement.lang === "en" ? "en-US" : "id-ID";
  var DASH = "—";
  var isGap = function (v) {
    return v === null || v === undefined || v === "-" || (typeof v === "number" && isNaN(v));
  };
  var fmt = function (v) { return isGap(v) ? DASH : Number(v).toLocaleString(lang); };
  var esc = function (s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  };
  // The export's width and texts (see exportLayout).
  var EXPORT_WIDTH = 1000, PAD = 20;
  var TITLE = { fontSize: 18, fontWeight: "bold", lineHeight: 24, color: "#111111" };
  var SUBTITLE = { fontSize: 13, lineHeight: 18, color: "#444444" };
  var DEMO = { fontSize: 14, fontWeight: "bold", lineHeight: 20, fill: "#b00020" };
  var FOOT = { fontSize: 12, lineHeight: 17, fill: "#333333" };
  var LINK = { fontSize: 12, lineHeight: 17, fill: "#0b4f8a" };
  var readJSON = function (id) {
    var src = id && document.getElementById(id);
    return src ? JSON.parse(src.textContent) : null;
  };

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var raw = readJSON(el.getAttribute("data-chart"));
    if (!raw) { return; }
    var meta = readJSON(el.getAttribute("data-meta")) || {};
    var fresh = function () { return JSON.parse(JSON.stringify(raw)); };
    var geo = el.getAttribute("data-geo");
    if (geo) {
      // A map: its shapes (our own tile grid) come from our own server.
      fetch(geo).then(function (r) { return r.json(); }).then(function (shapes) {
        var byAbbr = {};
        shapes.features.forEach(function (f) { byAbbr[f.properties.name] = f.properties; });
        echarts.registerMap(el.getAttribute("data-map"), shapes);
        // On a narrow screen the tiles cannot carry their labels: the map
        // gives way to every province ranked in bars across (rankOption);
        // the export is always the map.
        draw(el, meta, function (screen) {
          return screen && narrow(el) ? rankOption(fresh(), byAbbr, meta, el) : mapOption(fresh(), byAbbr, meta, screen ? el : null);
        }, function (chart) {
          chart.on("click", function (p) {
            var info = (p.data && p.data.kode) ? p.data : byAbbr[p.name];
            if (info && info.kode) { window.location.href = "/wilayah/" + info.kode; }
          });
        }, function () { return narrow(el); });
      });
      return;
    }
    draw(el, meta, function () { return plainOption(fresh(), meta); });
  });

  // The tooltip of bars and pies: "—" and why for a withheld value, "≥"
  // for a partial sum.
  function tooltip(meta) {
    return function (ps) {
      var list = [].concat(ps).filter(function (p) { return p.componentType === "series"; });
      if (!list.length) { return ""; }
      var withheld = false, partial = false, pie = list[0].seriesType === "pie";
      var head = pie ? list[0].seriesName : (list[0].axisValueLabel || list[0].name);
      var lines = list.map(function (p) {
        var d = p.data || {}, text;
        if (isGap(p.value)) {
          withheld = true;
          text = DASH;
        } else {
          partial = partial || !!d.sebagian;
          text = (d.sebagian ? "≥ " : "") + fmt(p.value);
        }
        var line = (p.marker || "") + esc(pie ? p.name : p.seriesName) + ": <strong>" + esc(text) + "</strong>";
        if (pie && p.percent != null) { line += " (" + esc(fmt(p.percent)) + "%)"; }
        return line;
      });
      var out = (head ? "<div>" + esc(head) + "</div>" : "") + lines.join("<br>");
      if (withheld && meta.withheld) { out += '<div class="chart-tip-note">' + esc(meta.withheld) + "</div>"; }
      if (partial && meta.partial) { out += '<div class="chart-tip-note">' + esc(meta.partial) + "</div>"; }
      return out;
    };
  }

  // plainOption readies a bar or pie option: tooltips, compact numbers on
  // value axes in the reader's language.
  function plainOption(opt, meta) {
    opt.aria = { enabled: true, decal: { show: false } };
    opt.tooltip = Object.assign({ trigger: "axis" }, opt.tooltip || {}, { formatter: tooltip(meta) });
    // Value axes (ECharts' default for y, and an x axis that says so) get
    // compact numbers in the reader's language; category axes keep names.
    var axes = [].concat(opt.yAxis || []).filter(function (ax) { return (ax.type || "value") === "value"; })
      .concat([].concat(opt.xAxis || []).filter(function (ax) { return ax.type === "value"; }));
    axes.forEach(function (ax) {
      ax.axisLabel = Object.assign({}, ax.axisLabel || {}, {
        formatter: function (v) { return Number(v).toLocaleString(lang, { notation: "compact" }); }
      });
    });
    return opt;
  }

  // NARROW is the width under which the tile map's 38 labels no longer
  // fit (a phone): below it the provinces are ranked instead.
  var NARROW = 560;
  function narrow(el) { return el.parentNode.clientWidth < NARROW; }

  // STUB is the hatched stub of a withheld bar, as the server draws it
  // (portal/charts/withheld.go).
  var STUB = "path://M0,0H10V14H0Z M0,4L4,0 M0,9L9,0 M0,14L10,4 M5,14L10,9";

  // rankOption turns the tile map's option into bars across, one row per
  // province, highest first, withheld provinces last with a hatched stub
  // and "—": the same values, classes (visualMap), legend and notes.
  function rankOption(opt, byAbbr, meta, el) {
    var src = [].concat(opt.series)[0] || { data: [] };
    var rows = src.data.map(function (d) {
      var info = byAbbr[d.name] || { nama: d.name };
      return { name: info.nama, kode: info.kode, value: d.value, gap: isGap(d.value) };
    });
    rows.sort(function (a, b) {
      if (a.gap !== b.gap) { return a.gap ? 1 : -1; }
      return a.gap ? 0 : b.value - a.value;
    });
    var stubs = [];
    rows.forEach(function (r, i) {
      if (!r.gap) { return; }
      stubs.push({ coord: [0, i], symbol: STUB, symbolSize: [14, 10], symbolOffset: [7, 0], ditekan: true,
        itemStyle: { color: "#ffffff", borderColor: "#5f6b7a", borderWidth: 1 },
        label: { show: true, position: "right", formatter: DASH, color: "#3d4652", fontSize: 12 } });
    });
    el.style.height = (48 + 22 * rows.length) + "px";
    opt.aria = { enabled: true, decal: { show: false } };
    opt.tooltip = {
      trigger: "item",
      formatter: function (p) {
        var out = esc(p.name) + ": <strong>" + esc(fmt(p.value)) + "</strong>";
        if (isGap(p.value) && meta.withheld) { out += '<div class="chart-tip-note">' + esc(meta.withheld) + "</div>"; }
        return out;
      }
    };
    opt.grid = { left: 8, right: 24, top: 28, bottom: 12, containLabel: true };
    opt.xAxis = { type: "value", position: "top",
      axisLabel: { formatter: function (v) { return Number(v).toLocaleString(lang, { notation: "compact" }); } } };
    opt.yAxis = { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }),
      axisLabel: { interval: 0, fontSize: 11 } };
    opt.series = [{ type: "bar", name: src.name, barMaxWidth: 16,
      data: rows.map(function (r) { return { value: r.gap ? "-" : r.value, kode: r.kode }; }),
      markPoint: { data: stubs } }];
    // A bar's length says its value: the map's classes, their legend and
    // the withheld swatch (the stubs say "—" themselves, and the note
    // below the chart why) give way to one colour.
    opt.legend = { show: false };
    delete opt.visualMap;
    delete opt.graphic;
    return opt;
  }

  // mapLegend: a class reads "from – to" in the reader's language.
  function mapLegend(opt) {
    [].concat(opt.visualMap || []).forEach(function (v) {
      v.formatter = function (a, b) {
        var r = function (x) { return fmt(Math.round(x * 100) / 100); };
        if (b === undefined || b === null || !isFinite(b)) { return "≥ " + r(a); }
        if (a === undefined || a === null || !isFinite(a)) { return "< " + r(b); }
        return r(a) + " – " + r(b);
      };
    });
  }

  // mapOption readies the tile map: tooltips with the province's name, "—"
  // and why where withheld; labels; square tiles.
  function mapOption(opt, byAbbr, meta, el) {
    if (el) { el.style.height = ""; }
    opt.aria = { enabled: true, decal: { show: false } };
    opt.tooltip = {
      trigger: "item",
      formatter: function (p) {
        var info = byAbbr[p.name] || { nama: p.name };
        var out = esc(info.nama) + ": <strong>" + esc(fmt(p.value)) + "</strong>";
        if (isGap(p.value) && meta.withheld) { out += '<div class="chart-tip-note">' + esc(meta.withheld) + "</div>"; }
        return out;
      }
    };
    [].concat(opt.series).forEach(function (s) {
      // A white halo keeps the labels legible (4.5:1) on every class.
      s.label = { show: true, fontSize: 11, color: "#1a1a1a", textBorderColor: "#ffffff", textBorderWidth: 3 };
      s.emphasis = { label: { show: true } };
      s.aspectScale = 1; // tiles are squares
      s.left = "2%"; s.right = "2%"; s.top = 8; s.bottom = 64;
      s.showLegendSymbol = false;
    });
    opt.legend = { show: false };
    mapLegend(opt);
    return opt;
  }

  // fitStubs narrows the stubs of withheld bars to the bars' width.
  function fitStubs(chart, opt) {
    var series = [].concat(opt.series || []);
    var marked = series.some(function (s) {
      return s.markPoint && (s.markPoint.data || []).some(function (d) { return d.ditekan; });
    });
    if (!marked) { return; }
    var horizontal = ([].concat(opt.xAxis || [])[0] || {}).type === "value";
    var finder = horizontal ? { yAxisIndex: 0 } : { xAxisIndex: 0 };
    var band;
    try {
      var a = chart.convertToPixel(finder, 0), b = chart.convertToPixel(finder, 1);
      band = Math.abs(b - a);
    } catch (e) { return; }
    if (!band || isNaN(band)) { return; }
    var stacks = {};
    series.forEach(function (s, i) { if (s.type === "bar") { stacks[s.stack || "\u0000" + i] = true; } });
    var n = Math.max(1, Object.keys(stacks).length);
    // ECharts' defaults: 20% of a category between groups, 30% of a bar
    // between bars.
    var width = band * 0.8 / (n + 0.3 * (n - 1));
    var across = Math.max(4, Math.min(Math.round(width), 40));
    chart.setOption({
      series: series.map(function (s) {
        if (!s.markPoint) { return {}; }
        (s.markPoint.data || []).forEach(function (d) {
          if (!d.ditekan || !d.symbolSize) { return; }
          d.symbolSize = horizontal ? [d.symbolSize[0], across] : [across, d.symbolSize[1]];
        });
        return { markPoint: s.markPoint };
      })
    });
  }

  // draw draws build(true) (the screen's option) in el; exports draw
  // build(false). mode, when given, names the form the option takes at
  // the box's width (the map or its ranking): when it changes with the
  // width, the chart is built afresh.
  function draw(el, meta, build, then, mode) {
    var opt = build(true);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(opt);
    fitStubs(chart, opt);
    if (then) { then(chart); }
    el.setAttribute("data-drawn", "1");
    var was = mode ? mode() : null;
    // The chart follows its own box, not the window: a box that narrows
    // with its column (a grid, an embed, a phone turned) redraws, and the
    // canvas never holds the page wider than the screen.
    var refit = function () {
      if (mode && mode() !== was) {
        was = mode();
        opt = build(true);
        chart.setOption(opt, true);
        el.setAttribute("data-form", was ? "ranking" : "map");
      }
      chart.resize();
      fitStubs(chart, opt);
    };
    if (mode) { el.setAttribute("data-form", was ? "ranking" : "map"); }
    if (window.ResizeObserver) {
      var pending = 0;
      new ResizeObserver(function () {
        cancelAnimationFrame(pending);
        pending = requestAnimationFrame(refit);
      }).observe(el);
    } else {
      window.addEventListener("resize", refit);
    }
    // The export reads its texts afresh: what the page says at the time.
    var texts = function () { return readJSON(el.getAttribute("data-meta")) || meta; };
    el.__export = function (type) { return exportImage(el, texts(), build, type); };
    try {
      el.__exportOption = exportLayout(el, meta, build).option;
    } catch (e) {
      // The chart stands without its export.
    }
    var images = document.querySelector("[data-images='" + el.id + "']");
    if (images) { images.hidden = false; }
    ["png", "svg"].forEach(function (type) {
      var link = document.querySelector("[data-" + type + "='" + el.id + "']");
      if (!link) { return; }
      link.addEventListener("click", function (e) {
        e.preventDefault();
        var a = document.createElement("a");
        a.href = el.__export(type);
        a.download = link.getAttribute("data-filename") || el.id + "." + type;
        document.body.appendChild(a);
        a.click();
        a.remove();
      });
    });
  }

  // ---- Export: the chart with its title, source, licence and URL ----

  // height is what ECharts' own text layout makes of text at width.
  function height(text, style, width) {
    if (!text) { return 0; }
    var t = new echarts.graphic.Text({
      style: { text: text, width: width, overflow: "break", fontSize: style.fontSize, fontWeight: style.fontWeight, lineHeight: style.lineHeight }
    });
    return Math.ceil(t.getBoundingRect().height);
  }

  // px reads an ECharts position or size ("8%", "8", 8) against size.
  function px(v, size, dflt) {
    if (v === null || v === undefined || v === "auto") { return dflt; }
    if (typeof v === "number") { return v; }
    var s = String(v).trim();
    var n = parseFloat(s);
    if (isNaN(n)) { return dflt; }
    return s.charAt(s.length - 1) === "%" ? n / 100 * size : n;
  }

  // shift moves a component drawn in the on-page box of height plot into
  // the band between a header of height top and a footer of height bottom.
  function shift(c, top, bottom, plot, dTop, dBottom) {
    var set = function (v) { return v !== undefined && v !== null && v !== "auto"; };
    var hasTop = set(c.top), hasBottom = set(c.bottom);
    if (c.top === "middle" || c.top === "center") {
      c.top = top + plot / 2;
    } else if (hasTop) {
      c.top = top + px(c.top, plot, 0);
    }
    if (hasBottom) { c.bottom = bottom + px(c.bottom, plot, 0); }
    if (!hasTop && !hasBottom) {
      if (dTop !== undefined) { c.top = top + dTop; }
      if (dBottom !== undefined) { c.bottom = bottom + dBottom; }
    }
    if (c.height !== undefined) { c.height = px(c.height, plot, c.height); }
  }

  function absolute(u) {
    try { return new URL(u, window.location.href).href; } catch (e) { return u; }
  }

  // exportLayout is the export's option and size: the page's option with
  // the header and footer around the plot, which keeps the on-page
  // chart's height.
  function exportLayout(el, meta, build) {
    var opt = build(false);
    var W = EXPORT_WIDTH, inner = W - 2 * PAD;
    var plot = Math.max(el.clientHeight || 0, 360);
    var th = height(meta.title, TITLE, inner), sh = height(meta.subtitle, SUBTITLE, inner);
    var head = PAD + th + (sh ? 6 + sh : 0);
    var graphic = [];
    if (meta.synthetic) {
      graphic.push({ type: "text", left: PAD, top: head + 8, silent: true,
        style: Object.assign({ text: meta.synthetic, width: inner, overflow: "break" }, DEMO) });
      head += 8 + height(meta.synthetic, DEMO, inner);
    }
    head += 12;
    var url = meta.url || (meta.link ? absolute(meta.link) : "");
    var foot = [];
    if (meta.note) { foot.push([meta.note, FOOT]); }
    if (meta.credit) { foot.push([meta.credit, FOOT]); }
    if (url) { foot.push([url, LINK]); }
    var y = head + plot + 12;
    foot.forEach(function (f) {
      graphic.push({ type: "text", left: PAD, top: y, silent: true,
        style: Object.assign({ text: f[0], width: inner, overflow: "break" }, f[1]) });
      y += height(f[0], f[1], inner) + 4;
    });
    var bottom = y + PAD - (head + plot);
    var total = head + plot + bottom;

    if (opt.xAxis || opt.yAxis) {
      // ECharts' default grid leaves 60 px above and 70 px below.
      opt.grid = opt.grid || {};
      [].concat(opt.grid).forEach(function (g) { shift(g, head, bottom, plot, 60, 70); });
    }
    if (opt.legend) { [].concat(opt.legend).forEach(function (l) { shift(l, head, bottom, plot, 0); }); }
    if (opt.visualMap) { [].concat(opt.visualMap).forEach(function (v) { shift(v, head, bottom, plot, undefined, 0); }); }
    [].concat(opt.graphic || []).forEach(function (g) { shift(g, head, bottom, plot); });
    [].concat(opt.series || []).forEach(function (s) {
      if (s.type === "map") { shift(s, head, bottom, plot, 0, 0); }
      if (s.type === "pie") {
        var center = s.center || ["50%", "50%"];
        s.center = [center[0], head + px(center[1], plot, plot / 2)];
        var r = Math.min(W, plot) / 2;
        s.radius = [].concat(s.radius || [0, "75%"]).map(function (v) { return px(v, r, 0); });
      }
    });
    opt.animation = false;
    opt.backgroundColor = "#ffffff";
    opt.tooltip = { show: false };
    opt.title = [{
      text: meta.title || "", subtext: meta.subtitle || "", left: PAD, top: PAD, itemGap: 6, padding: 0,
      textStyle: Object.assign({ width: inner, overflow: "break" }, TITLE),
      subtextStyle: Object.assign({ width: inner, overflow: "break" }, SUBTITLE)
    }];
    opt.graphic = [].concat(opt.graphic || [], graphic);
    return { option: opt, width: W, height: total };
  }

  // exportImage draws the export offscreen and returns its data URL:
  // "png" (canvas, twice the pixels) or "svg" (ECharts' SVG renderer).
  function exportImage(el, meta, build, type) {
    var layout = exportLayout(el, meta, build);
    if (el.__exportChart) { el.__exportChart.dispose(); }
    var box = document.createElement("div");
    var chart = echarts.init(box, null, { renderer: type === "svg" ? "svg" : "canvas", width: layout.width, height: layout.height });
    chart.setOption(layout.option);
    fitStubs(chart, layout.option);
    el.__exportChart = chart;
    el.__exportOption = layout.option;
    if (type === "svg") { return chart.getDataURL({ type: "svg" }); }
    return chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" });
  }
})();
