// For pages that embed our charts (the embed code loads this file once):
// each iframe marked data-bansos-embed takes the height its content
// reports (static/js/embed-frame.js), so the chart, its legend, source
// line and credit are never cut. A message is taken only from the window
// of one of those iframes, and only a height within reason.
(function () {
  "use strict";
  if (window.__bansosEmbed) { return; }
  window.__bansosEmbed = true;
  window.addEventListener("message", function (e) {
    var d = e.data;
    if (!d || typeof d["bansos-embed-height"] !== "number") { return; }
    var h = d["bansos-embed-height"];
    if (!(h > 0 && h < 10000)) { return; }
    var frames = document.querySelectorAll("iframe[data-bansos-embed]");
    for (var i = 0; i < frames.length; i++) {
      var f = frames[i];
      if (f.contentWindow === e.source) {
        var origin;
        try { origin = new URL(f.src, window.location.href).origin; } catch (err) { return; }
        if (origin !== e.origin) { return; }
        f.style.height = h + "px";
        f.setAttribute("height", String(h));
        return;
      }
    }
  });
})();
