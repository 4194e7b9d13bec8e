// Small enhancements every page shares; the page works without them.
(function () {
  "use strict";
  // "Copy" buttons beside citations: each copies the text of the
  // [data-copy-src] just before it.
  document.querySelectorAll("[data-copy]").forEach(function (btn) {
    if (!navigator.clipboard) { return; }
    btn.hidden = false;
    btn.addEventListener("click", function () {
      var src = btn.previousElementSibling;
      if (!src) { return; }
      navigator.clipboard.writeText(src.textContent).then(function () {
        var label = btn.textContent;
        btn.textContent = btn.getAttribute("data-copied");
        setTimeout(function () { btn.textContent = label; }, 1500);
      });
    });
  });
})();
