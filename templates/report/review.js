/* reportgen HTML report: filters, principal search and sortable tables for reviewers.
   Inlined into the HTML medium only and allowed by its SHA-256 in the page's CSP. The report
   reads fully without it; it only hides, shows and reorders what is already there. */
(function () {
  "use strict";
  var doc = document;
  var bar = doc.getElementById("review");
  if (!bar) return;
  var all = function (root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  };
  var rowsOf = function (el) {
    return el ? all(el, "tbody tr[data-principal]") : [];
  };
  var fulls = {};
  all(doc, ".check-full[data-check]").forEach(function (el) {
    fulls[el.getAttribute("data-check")] = el;
  });
  var checks = all(doc, "article.check[data-status]").map(function (el) {
    var full = fulls[el.id] || null;
    var own = rowsOf(el);
    return {
      el: el,
      full: full,
      own: own,
      rows: full ? rowsOf(full) : own,
      more: el.querySelector("p.more:not(.more-search)"),
      moreSearch: el.querySelector("p.more-search")
    };
  });
  var chapters = all(doc, "section.chapter").filter(function (el) {
    return el.querySelector("article.check[data-status]");
  });
  var users = rowsOf(doc.querySelector("table.inventory"));
  var selects = all(bar, "select[data-filter]");
  var search = doc.getElementById("review-principal");
  var counts = {};
  all(bar, "[data-count]").forEach(function (el) {
    counts[el.getAttribute("data-count")] = el;
  });
  var totalRows = checks.reduce(function (n, c) { return n + c.rows.length; }, 0);

  function setCount(name, shown, total) {
    var text = shown + " / " + total;
    if (counts[name] && counts[name].textContent !== text) counts[name].textContent = text;
  }

  function apply() {
    var want = {};
    selects.forEach(function (s) { want[s.getAttribute("data-filter")] = s.value; });
    var query = search.value.trim().toLowerCase();
    var matches = function (row) {
      var hit = !query || row.getAttribute("data-principal").toLowerCase().indexOf(query) >= 0;
      row.hidden = !hit;
      return hit;
    };
    var shownChecks = 0;
    var shownRows = 0;
    checks.forEach(function (c) {
      var d = c.el.dataset;
      var ok = ["status", "severity", "section"].every(function (k) {
        return !want[k] || d[k] === want[k];
      });
      var hits = c.rows.filter(matches).length;
      if (c.full) {
        /* The check shows its first rows; "N more" counts the rest, which a search narrows:
           while searching, say only whether appendix D holds further matching rows. */
        var beyond = hits - c.own.filter(matches).length;
        if (c.more) c.more.hidden = !!query;
        if (c.moreSearch) c.moreSearch.hidden = !query || beyond === 0;
      }
      if (query && hits === 0) ok = false;
      c.el.hidden = !ok;
      if (c.full) c.full.hidden = !ok;
      if (ok) {
        shownChecks += 1;
        shownRows += hits;
      }
    });
    chapters.forEach(function (el) {
      el.hidden = !el.querySelector("article.check[data-status]:not([hidden])");
    });
    setCount("checks", shownChecks, checks.length);
    setCount("rows", shownRows, totalRows);
    setCount("users", users.filter(matches).length, users.length);
  }

  selects.forEach(function (s) {
    s.addEventListener("change", apply);
    s.addEventListener("input", apply);
  });
  search.addEventListener("input", apply);
  doc.getElementById("review-clear").addEventListener("click", function () {
    selects.forEach(function (s) { s.value = ""; });
    search.value = "";
    apply();
  });

  /* Sorting: a real button in each header; dates sort by their ISO value (data-sort). */
  function key(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return (cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent)
      .trim();
  }
  function compare(a, b) {
    if (a === b) return 0;
    if (a === "") return 1;
    if (b === "") return -1;
    var x = Number(a.replace(/,/g, ""));
    var y = Number(b.replace(/,/g, ""));
    if (!isNaN(x) && !isNaN(y)) return x - y;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }
  function sortBy(th) {
    var table = th.closest("table");
    var body = table.tBodies[0];
    var index = th.cellIndex;
    var up = th.getAttribute("aria-sort") !== "ascending";
    all(table, "thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", up ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows).map(function (row) {
      return { row: row, key: key(row, index) };
    });
    rows.sort(function (a, b) {
      if (a.key === "" || b.key === "") return compare(a.key, b.key);
      return up ? compare(a.key, b.key) : compare(b.key, a.key);
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
  }
  all(doc, "table.resources, table.inventory, table.register").forEach(function (t) {
    if (!t.tBodies[0] || t.tBodies[0].rows.length < 2) return;
    all(t, "thead th").forEach(function (th) {
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(th); });
    });
  });

  /* Narrow screens: each table scrolls sideways inside its own box, never the page. */
  all(doc, "body table").forEach(function (t) {
    var box = doc.createElement("div");
    box.className = "table-scroll";
    t.parentNode.insertBefore(box, t);
    box.appendChild(t);
  });
  function focusable() {
    all(doc, ".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    });
  }
  var pending = 0;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(focusable, 150);
  });

  doc.documentElement.classList.add("js");
  bar.hidden = false;
  apply();
  focusable();
})();
