// Small enhancements; every action works without this file.
(function () {
  "use strict";
  // Move focus to the problem summary so a screen reader announces it.
  var problems = document.getElementById("problems");
  if (problems) { problems.focus(); }
  // Ask before destructive actions marked with data-confirm.
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  });
})();
