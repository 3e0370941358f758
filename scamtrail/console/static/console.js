/* scamtrail console: the ring graph (SVG) and the alerts feed (polling). No inline script, no
   other origin, no HTML parsing: every text from the store is set with textContent. */
"use strict";
(function () {
  var SVG = "http://www.w3.org/2000/svg";

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function short(value) {
    return value.length > 22 ? value.slice(0, 20) + "…" : value;
  }

  /* Place the identifier in the middle, its direct links on an inner circle and the rest of the
     ring on an outer one, then relax the layout: nodes push each other apart, links pull their
     ends towards a common length, the identifier stays in the middle. Deterministic. */
  function layout(nodes, edges, w, h) {
    var cx = w / 2, cy = h / 2, rings = [[], [], []], unit = Math.min(w, h);
    nodes.forEach(function (n, i) { rings[n.ring].push(i); });
    var pos = nodes.map(function () { return { x: cx, y: cy }; });
    [[1, unit * 0.3], [2, unit * 0.45]].forEach(function (spec) {
      var members = rings[spec[0]], r = spec[1];
      members.forEach(function (i, k) {
        var a = (2 * Math.PI * k) / members.length - Math.PI / 2 + spec[0] * 0.4 + k * 0.35;
        pos[i] = { x: cx + r * Math.cos(a) * 1.3, y: cy + r * Math.sin(a) };
      });
    });
    // Fruchterman-Reingold: repulsion k^2/d between every pair, attraction d^2/k along links,
    // moves capped by a temperature that cools to nothing.
    var k = unit * 0.32, heat = unit * 0.12, steps = 150;
    for (var step = 0; step < steps; step++) {
      var move = pos.map(function () { return { x: 0, y: 0 }; });
      for (var i = 0; i < pos.length; i++) {
        for (var j = i + 1; j < pos.length; j++) {
          var dx = pos[j].x - pos[i].x, dy = pos[j].y - pos[i].y;
          var d = Math.max(Math.sqrt(dx * dx + dy * dy), 1), f = (k * k) / d;
          move[i].x -= (dx / d) * f; move[i].y -= (dy / d) * f;
          move[j].x += (dx / d) * f; move[j].y += (dy / d) * f;
        }
      }
      edges.forEach(function (e) {
        var a = pos[e[0]], b = pos[e[1]];
        var dx = b.x - a.x, dy = b.y - a.y, d = Math.max(Math.sqrt(dx * dx + dy * dy), 1);
        var f = (d * d) / k;
        move[e[0]].x += (dx / d) * f; move[e[0]].y += (dy / d) * f;
        move[e[1]].x -= (dx / d) * f; move[e[1]].y -= (dy / d) * f;
      });
      var t = heat * (1 - step / steps);
      pos.forEach(function (p, n) {
        if (nodes[n].ring === 0) return;
        var m = move[n], len = Math.max(Math.sqrt(m.x * m.x + m.y * m.y), 1e-9);
        var by = Math.min(len, t);
        p.x = Math.max(70, Math.min(w - 70, p.x + (m.x / len) * by));
        p.y = Math.max(20, Math.min(h - 36, p.y + (m.y / len) * by));
      });
    }
    // centre the drawing and let a small ring fill more of the picture
    var xs = pos.map(function (p) { return p.x; }), ys = pos.map(function (p) { return p.y; });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var scale = Math.min(1.8, (w - 140) / Math.max(x1 - x0, 1), (h - 56) / Math.max(y1 - y0, 1));
    return pos.map(function (p) {
      return {
        x: w / 2 + (p.x - (x0 + x1) / 2) * scale,
        y: (h - 16) / 2 + (p.y - (y0 + y1) / 2) * scale
      };
    });
  }

  function drawGraph(svg) {
    var data;
    try { data = JSON.parse(svg.getAttribute("data-graph") || ""); } catch (e) { return; }
    var box = svg.viewBox.baseVal, w = box.width, h = box.height;
    var pos = layout(data.nodes, data.edges, w, h);
    var edges = el("g", { "class": "edges" }, svg);
    data.edges.forEach(function (e) {
      var line = el("line", {
        "class": "edge", x1: pos[e[0]].x, y1: pos[e[0]].y, x2: pos[e[1]].x, y2: pos[e[1]].y,
        "stroke-width": Math.min(8, 1 + Math.log(1 + e[2]) * 1.5)
      }, edges);
      el("title", {}, line).textContent = e[2] + " complaint(s) name both";
    });
    var group = el("g", { "class": "nodes" }, svg);
    data.nodes.forEach(function (n, i) {
      var link = el("a", {
        href: n.href, "class": "node k-" + n.kind + (n.ring === 0 ? " center" : ""),
        "aria-label": n.kind + " " + n.value
      }, group);
      el("circle", { cx: pos[i].x, cy: pos[i].y, r: n.ring === 0 ? 14 : 9 }, link);
      var label = el("text", { x: pos[i].x, y: pos[i].y + (n.ring === 0 ? 28 : 22), "text-anchor": "middle" }, link);
      label.textContent = short(n.value);
      el("title", {}, link).textContent = n.kind + " " + n.value;
    });
    if (data.hidden) {
      el("text", { x: 8, y: h - 8, "class": "tick" }, svg).textContent =
        "+" + data.hidden + " more in the ring";
    }
    svg.setAttribute("data-drawn", String(data.nodes.length));
  }

  function alertItem(a) {
    var li = document.createElement("li");
    li.setAttribute("data-id", a.id);
    li.className = "fresh";
    var t = document.createElement("time");
    t.setAttribute("datetime", a.raised_at);
    t.textContent = a.raised_at.slice(0, 19).replace("T", " ");
    var tag = document.createElement("span");
    tag.className = "tag";
    tag.textContent = a.rule + " " + a.level;
    var link = document.createElement("a");
    link.href = "/console/identifier?kind=" + encodeURIComponent(a.identifier.kind) +
      "&value=" + encodeURIComponent(a.identifier.value);
    link.textContent = a.identifier.kind + " " + a.identifier.value;
    var count = document.createElement("span");
    count.className = "count";
    count.textContent = a.complaint_count + " complaints";
    var msg = document.createElement("span");
    msg.className = "msg";
    msg.textContent = a.message || "";
    [t, tag, link, count, msg].forEach(function (n, k) {
      if (k) li.appendChild(document.createTextNode(" "));
      li.appendChild(n);
    });
    return li;
  }

  function pollAlerts(list) {
    var url = list.getAttribute("data-poll"), status = document.getElementById("feed-status");
    var every = Number(list.getAttribute("data-every") || "3000");
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) {
          if (r.status === 401) { window.location.assign("/console/signin?next=/console/alerts"); throw new Error("signed out"); }
          return r.json();
        })
        .then(function (body) {
          var known = {}, added = 0;
          Array.prototype.forEach.call(list.children, function (li) { known[li.getAttribute("data-id")] = true; });
          body.alerts.slice().reverse().forEach(function (a) {
            if (!known[a.id]) { list.insertBefore(alertItem(a), list.firstChild); added++; }
          });
          if (added) {
            var empty = document.getElementById("no-alerts");
            if (empty) empty.remove();
            status.textContent = added + " new alert(s) at " + new Date().toLocaleTimeString();
          }
        })
        .catch(function () { /* try again at the next tick */ })
        .then(function () { window.setTimeout(tick, every); });
    }
    window.setTimeout(tick, every);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var svg = document.getElementById("ring-graph");
    if (svg) drawGraph(svg);
    var feed = document.getElementById("alerts-feed");
    if (feed) pollAlerts(feed);
  });
})();
