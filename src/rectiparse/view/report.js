/* report: the document table, drawn from its JSON a page at a time (a 10,000-row DOM table is slow to open and
   to scroll; the JSON costs a fraction of the markup). Filter, type, mismatch/error switches, sort, pager.
   Cells are set with textContent: data never becomes markup. */
(function () {
  "use strict";
  var src = document.getElementById("data-documents");
  if (!src) return;
  var data = JSON.parse(src.textContent), cols = data.columns, all = data.rows, size = data.pageSize || 50;
  var table = document.getElementById("table-documents"), tbody = table.tBodies[0];
  var idx = {}; cols.forEach(function (c, i) { idx[c.key] = i; });
  var coll = typeof Intl !== "undefined" ? new Intl.Collator("zh-CN", { numeric: true }) : null;
  var state = { q: "", type: "", mismatch: false, errors: false, sort: -1, asc: true, page: 0 };
  var shown = all;

  var tr = document.createElement("tr");
  cols.forEach(function (c, i) {
    var th = document.createElement("th");
    th.scope = "col"; th.className = c.kind; th.tabIndex = 0; th.textContent = c.h;
    function go() { if (state.sort === i) state.asc = !state.asc; else { state.sort = i; state.asc = true; } update(); }
    th.addEventListener("click", go);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") go(); });
    tr.appendChild(th);
  });
  table.tHead.appendChild(tr);

  function fmt(v, kind) {
    if (v === null || v === undefined || v === "") return kind === "num" ? "—" : "";
    return kind === "num" ? Number(v).toLocaleString("en-US") : String(v);
  }
  function matches(r) {
    if (state.type && r[idx.type] !== state.type) return false;
    if (state.mismatch && !r[idx.mismatch]) return false;
    if (state.errors && !(r[idx.errors] > 0)) return false;
    if (!state.q) return true;
    for (var i = 0; i < r.length; i++) {
      if (r[i] !== null && String(r[i]).toLowerCase().indexOf(state.q) >= 0) return true;
    }
    return false;
  }
  function update() {
    shown = all.filter(matches);
    if (state.sort >= 0) {
      var i = state.sort, num = cols[i].kind === "num", dir = state.asc ? 1 : -1;
      shown = shown.slice().sort(function (a, b) {
        var x = a[i], y = b[i];
        if (num) { x = x === null ? -Infinity : x; y = y === null ? -Infinity : y; return (x - y) * dir; }
        x = x === null ? "" : String(x); y = y === null ? "" : String(y);
        return (coll ? coll.compare(x, y) : (x < y ? -1 : x > y ? 1 : 0)) * dir;
      });
      Array.prototype.forEach.call(tr.children, function (h, k) {
        if (k === i) h.setAttribute("aria-sort", state.asc ? "ascending" : "descending"); else h.removeAttribute("aria-sort");
      });
    }
    var pages = Math.max(1, Math.ceil(shown.length / size));
    state.page = Math.min(state.page, pages - 1);
    draw(pages);
  }
  function draw(pages) {
    var frag = document.createDocumentFragment();
    shown.slice(state.page * size, state.page * size + size).forEach(function (r) {
      var row = document.createElement("tr");
      if (r[idx.mismatch]) row.className = "mismatch";
      cols.forEach(function (c, i) {
        var td = document.createElement("td");
        td.className = c.kind;
        if (c.kind === "num") td.setAttribute("data-v", r[i] === null ? "" : r[i]);
        td.textContent = fmt(r[i], c.kind);
        if (c.kind === "text" && String(r[i] || "").length > 40) td.title = r[i];
        row.appendChild(td);
      });
      frag.appendChild(row);
    });
    tbody.textContent = "";
    tbody.appendChild(frag);
    document.getElementById("doc-page").textContent = "page " + (state.page + 1) + " of " + pages;
    document.getElementById("doc-count").textContent =
      shown.length.toLocaleString("en-US") + " of " + all.length.toLocaleString("en-US") + " documents";
    document.getElementById("doc-prev").disabled = state.page === 0;
    document.getElementById("doc-next").disabled = state.page >= pages - 1;
  }
  var timer = null;
  document.getElementById("doc-filter").addEventListener("input", function (e) {
    clearTimeout(timer);
    timer = setTimeout(function () { state.q = e.target.value.trim().toLowerCase(); state.page = 0; update(); }, 120);
  });
  document.getElementById("doc-type").addEventListener("change", function (e) { state.type = e.target.value; state.page = 0; update(); });
  document.getElementById("doc-mismatch").addEventListener("change", function (e) { state.mismatch = e.target.checked; state.page = 0; update(); });
  document.getElementById("doc-errors").addEventListener("change", function (e) { state.errors = e.target.checked; state.page = 0; update(); });
  document.getElementById("doc-prev").addEventListener("click", function () { state.page--; update(); });
  document.getElementById("doc-next").addEventListener("click", function () { state.page++; update(); });
  update();
  table.setAttribute("data-ready", "1");
})();
