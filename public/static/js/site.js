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

// "Kutip di siaran pers / Cite in a release": charts, dataset pages and
// realisation figures carry an action that opens the press office's
// editor with that view attached. Public pages are cached and shared by
// every reader, so the server cannot leave the action out for readers and
// put it in for the press office: it renders it hidden for everyone, and
// this reveals it in a browser that signed in to the press office. The
// admin login sets the cookie press_editor=1 (cleared at logout and when
// the admin area finds no session); it is not a secret and grants nothing
// — the session cookie is HttpOnly and limited to /admin — it only says
// "show the action here". Without JavaScript the action stays hidden.
(function () {
  "use strict";
  if (!/(?:^|;\s*)press_editor=1(?:;|$)/.test(document.cookie)) { return; }
  document.querySelectorAll("[data-press-cite]").forEach(function (el) {
    el.hidden = false;
  });
})();

// Suggestions as you type in the search box: the first matches of
// /cari.json fill the box's datalist. Without JavaScript the form still
// goes to /cari.
(function () {
  "use strict";
  var input = document.getElementById("site-q");
  var list = document.getElementById("site-q-list");
  if (!input || !list || !window.fetch) { return; }
  var timer, last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q.length < 2 || q === last) { return; }
      last = q;
      fetch("/cari.json?q=" + encodeURIComponent(q)).then(function (r) { return r.json(); }).then(function (d) {
        if (input.value.trim() !== q) { return; }
        list.textContent = "";
        d.results.forEach(function (h) {
          var o = document.createElement("option");
          o.value = h.title + (h.context ? " (" + h.context + ")" : "");
          list.appendChild(o);
        });
      }).catch(function () {});
    }, 150);
  });
})();
