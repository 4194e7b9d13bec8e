// Draws the charts of a page. Each chart is a <div data-chart="ID"> whose
// ECharts option sits in <script type="application/json" id="ID">, written
// by the server (go-echarts), so pages carry no inline script and work
// without JavaScript: every chart has its data table beside it.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var lang = document.documentElement.lang === "en" ? "en-US" : "id-ID";
  var fmt = function (v) {
    return v === null || v === undefined || v === "-" ? "—" : Number(v).toLocaleString(lang);
  };
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var src = document.getElementById(el.getAttribute("data-chart"));
    if (!src) { return; }
    var opt = JSON.parse(src.textContent);
    var geo = el.getAttribute("data-geo");
    if (geo) {
      // A map: its shapes (our own tile grid) come from our own server.
      fetch(geo).then(function (r) { return r.json(); }).then(function (shapes) {
        var byAbbr = {};
        shapes.features.forEach(function (f) { byAbbr[f.properties.name] = f.properties; });
        echarts.registerMap(el.getAttribute("data-map"), shapes);
        opt.tooltip = {
          trigger: "item",
          formatter: function (p) {
            var info = byAbbr[p.name] || { nama: p.name };
            return info.nama + ": " + fmt(isNaN(p.value) ? null : p.value);
          }
        };
        [].concat(opt.series).forEach(function (s) {
          s.label = { show: true, fontSize: 9 };
          s.emphasis = { label: { show: true } };
          s.aspectScale = 1; // tiles are squares
          s.left = "2%"; s.right = "2%"; s.top = 8; s.bottom = 64;
          s.showLegendSymbol = false;
        });
        opt.legend = { show: false };
        [].concat(opt.visualMap || []).forEach(function (v) {
          v.formatter = function (x) { return fmt(Math.round(x * 100) / 100); };
        });
        draw(el, opt, function (chart) {
          chart.on("click", function (p) {
            var info = byAbbr[p.name];
            if (info) { window.location.href = "/wilayah/" + info.kode; }
          });
        });
      });
      return;
    }
    opt.aria = { enabled: true, decal: { show: false } };
    opt.tooltip = Object.assign({ trigger: "axis" }, opt.tooltip || {}, { valueFormatter: fmt });
    // Value axes (ECharts' default for y, and an x axis that says so) get
    // compact numbers in the reader's language; category axes keep names.
    var axes = [].concat(opt.yAxis || []).filter(function (ax) { return (ax.type || "value") === "value"; })
      .concat([].concat(opt.xAxis || []).filter(function (ax) { return ax.type === "value"; }));
    axes.forEach(function (ax) {
      {
        ax.axisLabel = Object.assign({}, ax.axisLabel || {}, {
          formatter: function (v) { return Number(v).toLocaleString(lang, { notation: "compact" }); }
        });
      }
    });
    draw(el, opt);
  });

  function draw(el, opt, then) {
    opt.aria = { enabled: true, decal: { show: false } };
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(opt);
    if (then) { then(chart); }
    el.setAttribute("data-drawn", "1");
    window.addEventListener("resize", function () { chart.resize(); });
    var png = document.querySelector("[data-png='" + el.id + "']");
    if (png) {
      png.hidden = false;
      png.addEventListener("click", function (e) {
        e.preventDefault();
        var a = document.createElement("a");
        a.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
        a.download = el.id + ".png";
        a.click();
      });
    }
  }
})();
