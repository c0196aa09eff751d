// Progress updates the numbers of a campaign page every few seconds from
// its JSON endpoint. Without JavaScript, a reload shows the same numbers.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-progress");
  // Western digits in every language, as the server writes them.
  var fmt = new Intl.NumberFormat((document.documentElement.lang || "sv") + "-u-nu-latn");
  var status = document.querySelector("[data-live-status]");
  function pick(obj, path) {
    return path.split(".").reduce(function (o, k) { return o == null ? undefined : o[k]; }, obj);
  }
  function update() {
    if (document.hidden) { return; }
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) { return; }
        document.querySelectorAll("[data-key]").forEach(function (el) {
          var v = pick(p, el.getAttribute("data-key"));
          if (v === undefined) { v = 0; }
          if (el.tagName === "PROGRESS") { el.value = Math.min(v, el.max); } else { el.textContent = fmt.format(v); }
        });
        if (status) { status.hidden = false; }
      })
      .catch(function () {});
  }
  setInterval(update, 5000);
})();
