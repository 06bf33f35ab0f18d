/* The chain graph page (tracing): fetches one page of a chain's layout from the API and draws it as SVG.
   Filtering (generations, folded leaves, search) and paging happen through the API, a page of at most
   500 people at a time, so a chain of tens of thousands stays usable. No library. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var DX = 46, DY = 90, R = 9, MARGIN = 40, PAGE = 500;

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function fill(labels, text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  function levelClass(n) {
    if (n.cluster !== null && n.cluster !== undefined) return "cluster-" + (n.cluster % 10);
    if (n.level === null || n.level === undefined) return "level-x";
    return "level-" + Math.min(n.level, 3);
  }

  function init() {
    var view = document.getElementById("chain-view");
    if (!view) return;
    var labels = JSON.parse(document.getElementById("chain-labels").textContent);
    var svg = document.getElementById("chain-graph");
    var status = document.getElementById("chain-status");
    var gen = document.getElementById("chain-gen");
    var leaves = document.getElementById("chain-leaves");
    var q = document.getElementById("chain-q");
    var prev = document.getElementById("chain-prev");
    var next = document.getElementById("chain-next");
    var personUrl = view.getAttribute("data-person-url");
    var cursors = [null];  // cursor of each page shown so far; the last is the current page's
    var nextCursor = null;

    function params(cursor) {
      var p = new URLSearchParams();
      if (gen.value !== "") p.set("generations", gen.value);
      if (leaves.checked) p.set("hide_leaves", "1");
      if (q.value.trim()) p.set("q", q.value.trim());
      if (cursor) p.set("after", cursor);
      p.set("limit", String(PAGE));
      return p.toString();
    }

    function load(cursor) {
      status.textContent = labels.loading;
      fetch(view.getAttribute("data-url") + "?" + params(cursor), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      }).then(function (data) {
        nextCursor = data.next;
        draw(data);
        prev.disabled = cursors.length < 2;
        next.disabled = !nextCursor;
      }).catch(function () { status.textContent = labels.error; });
    }

    function draw(data) {
      while (svg.firstChild) svg.removeChild(svg.firstChild);
      var nodes = data.nodes, byId = {}, rows = {}, gens = [];
      if (!nodes.length) {
        svg.setAttribute("width", 10); svg.setAttribute("height", 10);
        status.textContent = labels.none;
        return;
      }
      nodes.forEach(function (n) {
        if (!rows[n.gen]) { rows[n.gen] = []; gens.push(n.gen); }
        rows[n.gen].push(n);
      });
      gens.sort(function (a, b) { return a - b; });
      var widest = 0;
      gens.forEach(function (g, row) {
        rows[g].sort(function (a, b) { return a.pos - b.pos; });
        rows[g].forEach(function (n, i) {
          n.x = MARGIN + 30 + i * DX; n.y = MARGIN + row * DY;
          byId[n.id] = n;
        });
        widest = Math.max(widest, rows[g].length);
      });
      svg.setAttribute("width", MARGIN * 2 + 30 + widest * DX);
      svg.setAttribute("height", MARGIN * 2 + gens.length * DY);
      var edges = el("g", {}, svg), dots = el("g", {}, svg);
      gens.forEach(function (g, row) {
        var t = el("text", { x: 4, y: MARGIN + row * DY + 4, "class": "gen-label" }, edges);
        t.textContent = "G" + g;
      });
      var tree = {}, drawnChildren = {};
      nodes.forEach(function (n) {
        var p = n.parent && byId[n.parent];
        if (p) {
          drawnChildren[p.id] = (drawnChildren[p.id] || 0) + 1;
          el("line", { x1: p.x, y1: p.y, x2: n.x, y2: n.y, "class": "edge" }, edges);
          tree[p.id + ">" + n.id] = tree[n.id + ">" + p.id] = true;
        } else if (n.parent) {
          el("line", { x1: n.x, y1: n.y - DY / 2, x2: n.x, y2: n.y, "class": "edge stub" }, edges);
        }
      });
      data.edges.forEach(function (e) {
        var a = byId[e.from], b = byId[e.to];
        if (a && b && !tree[e.from + ">" + e.to]) {
          el("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, "class": "edge link" }, edges);
        }
      });
      var term = q.value.trim().toLowerCase();
      nodes.forEach(function (n) {
        var cls = "node" + (n.code ? " case" : "") +
          (term && ((n.code || "").toLowerCase().indexOf(term) === 0 || (n.name || "").toLowerCase().indexOf(term) >= 0) ? " match" : "");
        var g = el("g", { "class": cls, "data-id": n.id, tabindex: n.in_scope ? "0" : "-1" }, dots);
        el("circle", { cx: n.x, cy: n.y, r: R, "class": levelClass(n) }, g);
        var label = el("text", { x: n.x, y: n.y + R + 11 }, g);
        // A case by the last part of its code (TN-2021-0042 → 0042: the full code is in the tooltip).
        label.textContent = n.code ? n.code.split("-").pop() : (n.level === null ? "–" : "F" + n.level);
        var hidden = n.children - (drawnChildren[n.id] || 0);
        if (hidden > 0) {  // children on another page, beyond the generations shown, or folded
          var more = el("text", { x: n.x, y: n.y - R - 4, "class": "more" }, g);
          more.textContent = "+" + hidden;
        }
        var title = el("title", {}, g);
        title.textContent = [
          n.name || labels.hidden, n.code, n.level === null ? labels.outside : "F" + n.level, n.unit,
          n.children ? fill(labels, labels.children, { n: n.children }) : ""
        ].filter(Boolean).join(" · ");
        if (n.in_scope) {
          var open = function () { window.location.href = personUrl.replace("00000000-0000-0000-0000-000000000000", n.id); };
          g.addEventListener("click", open);
          g.addEventListener("keydown", function (ev) { if (ev.key === "Enter") open(); });
        }
      });
      status.textContent = fill(labels, labels.shown, { n: nodes.length, from: gens[0], to: gens[gens.length - 1] }) +
        (nextCursor ? " " + labels.more : "");
    }

    function restart() { cursors = [null]; load(null); }
    document.getElementById("chain-controls").addEventListener("submit", function (ev) { ev.preventDefault(); restart(); });
    document.getElementById("chain-apply").addEventListener("click", restart);
    gen.addEventListener("change", restart);
    leaves.addEventListener("change", restart);
    next.addEventListener("click", function () { if (nextCursor) { cursors.push(nextCursor); load(nextCursor); } });
    prev.addEventListener("click", function () {
      if (cursors.length > 1) { cursors.pop(); load(cursors[cursors.length - 1]); }
    });
    restart();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
