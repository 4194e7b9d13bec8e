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
    opt.aria = { enabled: true, decal: { show: false } };
    opt.tooltip = Object.assign({ trigger: "axis" }, opt.tooltip || {}, { valueFormatter: fmt });
    if (opt.yAxis) {
      [].concat(opt.yAxis).forEach(function (ax) {
        ax.axisLabel = Object.assign({}, ax.axisLabel || {}, {
          formatter: function (v) { return Number(v).toLocaleString(lang, { notation: "compact" }); }
        });
      });
    }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(opt);
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
  });
})();
