/* rectiparse views: sortable tables, highlight toggles, sidebar tracking. No dependencies, no network. */
(function () {
  "use strict";

  // Sortable tables: click (or Enter on) a header; numeric columns sort by data-v, others by text (zh collation).
  function cellKey(row, i, numeric) {
    var td = row.cells[i];
    if (!td) return numeric ? -Infinity : "";
    var v = td.hasAttribute("data-v") ? td.getAttribute("data-v") : td.textContent.trim();
    if (numeric) { var n = parseFloat(v); return isNaN(n) ? -Infinity : n; }
    return v;
  }
  function sortBy(th) {
    var table = th.closest("table"), tbody = table.tBodies[0];
    var i = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.classList.contains("num");
    var asc = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(tbody.rows);
    var coll = typeof Intl !== "undefined" ? new Intl.Collator("zh-CN", { numeric: true }) : null;
    rows.sort(function (a, b) {
      var x = cellKey(a, i, numeric), y = cellKey(b, i, numeric), c;
      if (numeric) c = x - y; else c = coll ? coll.compare(x, y) : (x < y ? -1 : x > y ? 1 : 0);
      return asc ? c : -c;
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
  }
  document.querySelectorAll("table.sortable thead th").forEach(function (th) {
    th.addEventListener("click", function () { sortBy(th); });
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortBy(th); });
  });

  // Highlight toggles (show): each checkbox hides one class of highlight via a body class.
  document.querySelectorAll("input[data-toggle]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("hide-" + box.getAttribute("data-toggle"), !box.checked);
    });
  });

  // Sidebar (show): mark the link of the item jumped to, and flash its paragraph.
  function activate() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    document.querySelectorAll("a.side-item.active").forEach(function (a) { a.classList.remove("active"); });
    var link = document.querySelector('a.side-item[href="#' + CSS.escape(id) + '"]');
    if (link) { link.classList.add("active"); link.scrollIntoView({ block: "nearest" }); }
    var target = document.getElementById(id);
    var p = target && target.closest("p");
    if (p) { p.classList.remove("flash"); void p.offsetWidth; p.classList.add("flash"); }
  }
  window.addEventListener("hashchange", activate);
  activate();

  document.body.setAttribute("data-ready", "1");
})();
