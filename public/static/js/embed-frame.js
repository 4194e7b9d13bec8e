// Inside an embedded chart (/embed/…): tells the page that frames it how
// tall the content is, so static/js/embed.js on that page can fit the
// iframe to it. Only the height is sent, to whichever page frames us.
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var last = 0;
  function report() {
    var h = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (h === last) { return; }
    last = h;
    window.parent.postMessage({ "bansos-embed-height": h, href: window.location.href }, "*");
  }
  if (window.ResizeObserver) {
    new ResizeObserver(report).observe(document.documentElement);
  }
  window.addEventListener("load", report);
  window.addEventListener("resize", report);
  report();
})();
