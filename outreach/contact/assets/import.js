// Follows a running import from its JSON endpoint: the bar and the counts
// move, and the page reloads once the import stops (finished, or
// interrupted). Without JavaScript, the page's Refresh link does the same.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-import-progress");
  var fmt = new Intl.NumberFormat(document.documentElement.lang || "sv");
  var bar = box.querySelector("progress");
  var label = box.querySelector("[data-template]");
  function count(key, v) {
    var el = document.querySelector('[data-count="' + key + '"]');
    if (el) { el.textContent = fmt.format(v); }
  }
  function update() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) { return; }
        if (p.state !== "running") { window.location.reload(); return; }
        var pct = p.total > 0 ? Math.floor(p.done * 100 / p.total) : 0;
        bar.value = pct;
        bar.textContent = pct + " %";
        label.textContent = label.getAttribute("data-template")
          .replace("{done}", fmt.format(p.done)).replace("{total}", fmt.format(p.total));
        count("imported", p.imported);
        count("rejected", p.rejected);
      })
      .catch(function () {});
  }
  setInterval(update, 2000);
})();
