// selfeval county overview: sort, filter and search the ranking tables. Progressive
// enhancement: the page holds every row; this script only adds controls and hides rows.
(function () {
  "use strict";
  // a number cell carries its value in data-v ("" when the figure is 未填报 or 不适用)
  function value(td, numeric) {
    if (!numeric) return td.textContent.trim();
    var v = td.getAttribute("data-v");
    return v === null || v === "" ? null : parseFloat(v);
  }
  // "90", ">=90", "<5", "80-90": a number test; anything else: the text contains it
  function matcher(text, numeric) {
    text = text.trim();
    if (!text) return null;
    var m;
    if (numeric && (m = /^(>=|<=|>|<|=)?\s*(-?\d+(?:\.\d+)?)$/.exec(text))) {
      var op = m[1] || "=", x = parseFloat(m[2]);
      return function (v) {
        if (v === null) return false;
        return op === ">" ? v > x : op === "<" ? v < x : op === ">=" ? v >= x :
          op === "<=" ? v <= x : v === x;
      };
    }
    if (numeric && (m = /^(-?\d+(?:\.\d+)?)\s*[-~]\s*(-?\d+(?:\.\d+)?)$/.exec(text))) {
      var lo = parseFloat(m[1]), hi = parseFloat(m[2]);
      return function (v) { return v !== null && v >= lo && v <= hi; };
    }
    return function (v, td) { return td.textContent.indexOf(text) >= 0; };
  }
  function enhance(table) {
    var head = table.tHead.rows[0], body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var cols = Array.prototype.map.call(head.cells, function (th, i) {
      var numeric = th.hasAttribute("data-numeric");
      var seen = {};
      rows.forEach(function (r) { seen[value(r.cells[i], false)] = true; });
      return { th: th, numeric: numeric, values: Object.keys(seen).sort(), test: null };
    });
    var status = document.createElement("p");
    status.className = "rank-status note";
    table.parentNode.insertBefore(status, table);
    function apply() {
      var shown = 0;
      rows.forEach(function (r) {
        var ok = cols.every(function (c, i) {
          return !c.test || c.test(value(r.cells[i], c.numeric), r.cells[i]);
        });
        r.hidden = !ok;
        shown += ok ? 1 : 0;
      });
      status.textContent = "显示 " + shown + " / " + rows.length + " 个单位";
    }
    var filters = head.parentNode.insertRow(-1);
    filters.className = "rank-filters";
    cols.forEach(function (c, i) {
      var cell = document.createElement("td"), control;
      filters.appendChild(cell);
      if (c.th.hasAttribute("data-nofilter")) return;
      if (!c.numeric && c.values.length <= 12 && c.th.hasAttribute("data-choices")) {
        control = document.createElement("select");
        control.add(new Option("全部", ""));
        c.values.forEach(function (v) { control.add(new Option(v, v)); });
        control.addEventListener("change", function () {
          var want = control.value;
          c.test = want ? function (v) { return v === want; } : null;
          apply();
        });
      } else {
        control = document.createElement("input");
        control.type = "search";
        control.placeholder = c.numeric ? ">90、<5、80-90" : "搜索";
        control.addEventListener("input", function () {
          c.test = matcher(control.value, c.numeric);
          apply();
        });
      }
      control.setAttribute("aria-label", "筛选：" + c.th.textContent);
      control.setAttribute("data-filter", c.th.textContent);
      cell.appendChild(control);
    });
    cols.forEach(function (c, i) {
      c.th.classList.add("sortable");
      c.th.tabIndex = 0;
      c.th.title = "点击排序";
      function sort() {
        var down = c.th.getAttribute("aria-sort") !== "descending";
        cols.forEach(function (o) { o.th.removeAttribute("aria-sort"); });
        c.th.setAttribute("aria-sort", down ? "descending" : "ascending");
        var keyed = rows.map(function (r, n) { return [value(r.cells[i], c.numeric), n, r]; });
        keyed.sort(function (a, b) {
          var x = a[0], y = b[0];
          if (x === null || y === null) return x === y ? a[1] - b[1] : x === null ? 1 : -1;
          var d = c.numeric ? x - y : x.localeCompare(y, "zh-CN");
          return (down ? -d : d) || a[1] - b[1];
        });
        keyed.forEach(function (k) { body.appendChild(k[2]); });
      }
      c.th.addEventListener("click", sort);
      c.th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
    apply();
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.ranking"), enhance);
})();
