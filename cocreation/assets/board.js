// Board keeps a workshop's board (and its projector view) live: new notes
// arrive by server-sent events without a reload, and the facilitator
// moves notes between themes by dragging or with each note's own form
// (the keyboard path), both without leaving the page. Without JavaScript
// the forms post and the refresh link reloads.
(function () {
  "use strict";
  var status = document.getElementById("live-status");
  var board = document.getElementById("board");
  if (!status || !board) { return; }
  document.documentElement.classList.add("js");
  var tmpl = document.getElementById("note-template");
  var newText = board.getAttribute("data-new") || "";
  var movedText = board.getAttribute("data-moved") || "";

  function column(theme) {
    return board.querySelector('.column[data-theme="' + theme + '"] .notes');
  }
  function recount() {
    board.querySelectorAll(".column").forEach(function (col) {
      var c = col.querySelector(".count");
      if (c) { c.textContent = "(" + col.querySelectorAll(".note").length + ")"; }
    });
  }
  function announce(text) { status.textContent = text; }

  function addNote(n) {
    if (document.getElementById("note-" + n.id)) { return; }
    var target = column(n.theme || 0) || column(0);
    if (!target || !tmpl) { return; }
    var holder = document.createElement("ul");
    holder.innerHTML = tmpl.innerHTML.replace(/__ID__/g, String(n.id));
    var li = holder.firstElementChild;
    li.querySelector(".note-text").textContent = n.text;
    li.classList.add("fresh");
    target.appendChild(li);
    wire(li);
    recount();
    announce(newText + " " + n.text);
  }

  if (window.EventSource) {
    var url = status.getAttribute("data-events") + "?after=" + encodeURIComponent(status.getAttribute("data-last") || "0");
    var es = new EventSource(url);
    es.addEventListener("note", function (ev) {
      try { addNote(JSON.parse(ev.data)); } catch (e) { /* a malformed event is skipped */ }
    });
  }

  if (board.hasAttribute("data-projector")) { return; }

  // Moving a note: the note's form says where; fetch it and move the card.
  function move(form, li) {
    var body = new FormData(form);
    return fetch(form.action, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) { form.submit(); return; }
        var theme = body.get("theme") || "0";
        var target = column(theme);
        if (target && li.parentNode !== target) { target.appendChild(li); }
        recount();
        var col = target && target.closest(".column");
        var h = col && col.querySelector("h2");
        announce(movedText + " " + (h ? h.firstChild.textContent.trim() : ""));
        li.focus();
      })
      .catch(function () { form.submit(); });
  }
  function wire(li) {
    var form = li.querySelector(".move-form");
    if (!form) { return; }
    form.addEventListener("submit", function (ev) { ev.preventDefault(); move(form, li); });
    li.addEventListener("dragstart", function (ev) {
      ev.dataTransfer.setData("text/plain", li.getAttribute("data-note"));
      ev.dataTransfer.effectAllowed = "move";
    });
  }
  board.querySelectorAll(".note").forEach(wire);
  board.querySelectorAll(".column").forEach(function (col) {
    col.addEventListener("dragover", function (ev) { ev.preventDefault(); col.classList.add("drop"); });
    col.addEventListener("dragleave", function () { col.classList.remove("drop"); });
    col.addEventListener("drop", function (ev) {
      ev.preventDefault();
      col.classList.remove("drop");
      var li = document.getElementById("note-" + ev.dataTransfer.getData("text/plain"));
      if (!li) { return; }
      var form = li.querySelector(".move-form");
      form.querySelector("select").value = col.getAttribute("data-theme");
      move(form, li);
    });
  });
})();
