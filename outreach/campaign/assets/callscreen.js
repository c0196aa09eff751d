// The call screen's handbook: typing in its search box narrows the
// campaign's entries shown below it at once, without leaving the call.
// Without this file the box searches the whole handbook in a new tab.
(function () {
  "use strict";
  // fold makes a text comparable as the handbook's search does: no case,
  // no accents or Arabic short vowels, one form of alef, teh marbuta and yeh.
  function fold(s) {
    return s.normalize("NFKD").toLowerCase()
      .replace(/[\u0300-\u036f\u064b-\u065f\u0670\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
      .replace(/\u0629/g, "\u0647")
      .replace(/[\u0649\u06cc]/g, "\u064a")
      .replace(/\u06a9/g, "\u0643");
  }
  document.querySelectorAll("form[data-filter]").forEach(function (form) {
    var list = document.getElementById(form.getAttribute("data-filter"));
    var box = form.querySelector("input[type=search]");
    var status = form.querySelector("[data-filter-status]");
    if (!list || !box) { return; }
    var items = Array.prototype.slice.call(list.children);
    var texts = items.map(function (li) { return fold(li.textContent); });
    box.addEventListener("input", function () {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (li, i) {
        var hit = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
        li.hidden = !hit;
        if (hit) { shown++; }
        var d = li.querySelector("details");
        if (d) { d.open = hit && words.length > 0 && shown <= 3; }
      });
      if (status) { status.textContent = shown === 0 ? form.getAttribute("data-none") : ""; }
    });
  });
})();
