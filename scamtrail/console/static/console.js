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
     ring on an outer one, then relax the layout a little so linked nodes pull together. */
  function layout(nodes, edges, w, h) {
    var cx = w / 2, cy = h / 2, rings = [[], [], []];
    nodes.forEach(function (n, i) { rings[n.ring].push(i); });
    var pos = nodes.map(function () { return { x: cx, y: cy }; });
    [[1, Math.min(w, h) * 0.28], [2, Math.min(w, h) * 0.44]].forEach(function (spec) {
      var members = rings[spec[0]], r = spec[1];
      members.forEach(function (i, k) {
        var a = (2 * Math.PI * k) / members.length - Math.PI / 2 + spec[0] * 0.3;
        pos[i] = { x: cx + r * Math.cos(a) * 1.35, y: cy + r * Math.sin(a) };
      });
    });
    for (var step = 0; step < 60; step++) {
      edges.forEach(function (e) {
        var a = pos[e[0]], b = pos[e[1]];
        var dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
        var pull = (d - 120) * 0.01;
        if (nodes[e[0]].ring !== 0) { a.x += (dx / d) * pull; a.y += (dy / d) * pull; }
        if (nodes[e[1]].ring !== 0) { b.x -= (dx / d) * pull; b.y -= (dy / d) * pull; }
      });
      pos.forEach(function (p) {
        p.x = Math.max(40, Math.min(w - 40, p.x));
        p.y = Math.max(24, Math.min(h - 24, p.y));
      });
    }
    return pos;
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
    tag.textContent = a.rule;
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
