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
  var root = document.documentElement;
  root.classList.add("js");
  var tmpl = document.getElementById("note-template");
  var newText = board.getAttribute("data-new") || "";
  var movedText = board.getAttribute("data-moved") || "__THEME__";
  var countText = board.getAttribute("data-count") || "__N__";
  var liveOn = board.getAttribute("data-live-on") || "";
  var liveOff = board.getAttribute("data-live-off") || "";
  var link = document.getElementById("live-link");

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
  function showLink(text) {
    if (link) { link.textContent = text; }
  }

  function addNote(n) {
    if (document.getElementById("note-" + n.id)) { return; }
    var target = column(n.theme || 0) || column(0);
    if (!target || !tmpl) { return; }
    var holder = document.createElement("ul");
    holder.innerHTML = tmpl.innerHTML.replace(/__ID__/g, String(n.id));
    var li = holder.firstElementChild;
    li.querySelector(".note-text").textContent = n.text;
    var sel = li.querySelector("select[name=theme]");
    if (sel && n.theme) { sel.value = String(n.theme); }
    li.classList.add("fresh");
    target.appendChild(li);
    wire(li);
    recount();
    var total = board.querySelectorAll(".note").length;
    announce(countText.replace("__N__", String(total)) + ". " + newText + ": " + n.text);
  }

  if (window.EventSource) {
    var url = status.getAttribute("data-events") + "?after=" + encodeURIComponent(status.getAttribute("data-last") || "0");
    var es = new EventSource(url);
    es.addEventListener("open", function () {
      root.classList.add("live-on");
      showLink(liveOn);
    });
    es.addEventListener("error", function () {
      // The browser tries again by itself (the server asks for every 2 s);
      // until then the refresh link is the way.
      root.classList.remove("live-on");
      showLink(liveOff);
    });
    es.addEventListener("note", function (ev) {
      try { addNote(JSON.parse(ev.data)); } catch (e) { /* a malformed event is skipped */ }
    });
  }

  // The projector: themes, moves and merges made on the board reach it by
  // reading the page again every few seconds and swapping the board in
  // place, so the picture on the wall never flashes or loses its place.
  // New notes still come at once by their events.
  if (board.hasAttribute("data-projector")) {
    var busy = false;
    var maxID = function (root) {
      var m = 0;
      root.querySelectorAll(".note").forEach(function (li) { m = Math.max(m, parseInt(li.id.replace("note-", ""), 10) || 0); });
      return m;
    };
    window.setInterval(function () {
      if (busy || document.hidden) { return; }
      busy = true;
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("board");
          if (!fresh || fresh.innerHTML === board.innerHTML) { return; }
          // Notes that arrived by events after the page was read stay.
          var upTo = maxID(fresh);
          var newer = [];
          board.querySelectorAll(".note").forEach(function (li) {
            if ((parseInt(li.id.replace("note-", ""), 10) || 0) > upTo) { newer.push(li); }
          });
          board.innerHTML = fresh.innerHTML;
          newer.forEach(function (li) { (column(0) || board).appendChild(li); });
        })
        .catch(function () { /* the next round tries again */ })
        .then(function () { busy = false; });
    }, 4000);
    return;
  }

  function themeName(target) {
    var col = target && target.closest(".column");
    var h = col && col.querySelector("h2 .name");
    return h ? h.textContent.trim() : "";
  }

  // Moving a note: the note's form says where; post it and move the card.
  // When the post fails the form is submitted the ordinary way, so the
  // page shows the problem.
  function move(form, li) {
    var body = new URLSearchParams(new FormData(form));
    var had = li.contains(document.activeElement) ? document.activeElement : null;
    return fetch(form.action, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) { form.submit(); return; }
        var target = column(body.get("theme") || "0");
        if (target && li.parentNode !== target) { target.appendChild(li); }
        li.classList.remove("fresh");
        recount();
        announce(movedText.replace("__THEME__", themeName(target)));
        // Moving the card took the focus with it: give it back.
        (had || li).focus();
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
      li.classList.add("dragging");
    });
    li.addEventListener("dragend", function () { li.classList.remove("dragging"); });
  }
  board.querySelectorAll(".note").forEach(wire);
  board.querySelectorAll(".column").forEach(function (col) {
    col.addEventListener("dragover", function (ev) {
      ev.preventDefault();
      ev.dataTransfer.dropEffect = "move";
      col.classList.add("drop");
    });
    col.addEventListener("dragleave", function (ev) {
      if (!col.contains(ev.relatedTarget)) { col.classList.remove("drop"); }
    });
    col.addEventListener("drop", function (ev) {
      ev.preventDefault();
      col.classList.remove("drop");
      var li = document.getElementById("note-" + ev.dataTransfer.getData("text/plain"));
      if (!li) { return; }
      var form = li.querySelector(".move-form");
      if (!form) { return; }
      form.querySelector("select[name=theme]").value = col.getAttribute("data-theme");
      move(form, li);
    });
  });
})();
