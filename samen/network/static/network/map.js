/* The network map: draws the nodes and lines of /network/map/data.json on a canvas.
   No libraries. Sector colours come from the legend's CSS classes (one source of truth).
   Drag to move, wheel or buttons to zoom, click a shape to read what it is. */
(function () {
  "use strict";
  var canvas = document.getElementById("network-canvas");
  if (!canvas || !canvas.getContext) { return; }
  var ctx = canvas.getContext("2d");
  var selected = document.getElementById("map-selected");
  var data = null;
  var view = { scale: 1, dx: 0, dy: 0 };
  var colours = [];

  function legendColours(count) {
    var found = [];
    for (var i = 0; i < count; i++) {
      var swatch = document.querySelector(".map-legend .sector-" + i);
      found.push(swatch ? getComputedStyle(swatch).backgroundColor : "#4a4f55");
    }
    return found;
  }

  function size() {
    var ratio = window.devicePixelRatio || 1;
    var width = canvas.clientWidth || 900;
    var height = Math.round(width * 0.7);
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    return { w: width, h: height };
  }

  function toScreen(node, box) {
    var half = Math.min(box.w, box.h) / 2.3;
    return [box.w / 2 + (node[3] * half + view.dx) * view.scale, box.h / 2 + (node[4] * half + view.dy) * view.scale];
  }

  function draw() {
    var box = size();
    ctx.clearRect(0, 0, box.w, box.h);
    if (!data) {
      ctx.fillStyle = "#1a1a1a";
      ctx.fillText(canvas.dataset.loading || "…", 20, 30);
      return;
    }
    var points = data.nodes.map(function (n) { return toScreen(n, box); });
    ctx.strokeStyle = "rgba(74, 79, 85, 0.22)";
    ctx.lineWidth = 1;
    ctx.beginPath();
    data.edges.forEach(function (e) {
      ctx.moveTo(points[e[0]][0], points[e[0]][1]);
      ctx.lineTo(points[e[1]][0], points[e[1]][1]);
    });
    ctx.stroke();
    data.nodes.forEach(function (n, i) {
      var p = points[i];
      ctx.fillStyle = n[2] >= 0 ? colours[n[2]] : "#767676";
      if (n[0] === "a") {
        ctx.fillRect(p[0] - 3, p[1] - 3, 6, 6);
        ctx.strokeStyle = "#1a1a1a";
        ctx.strokeRect(p[0] - 3, p[1] - 3, 6, 6);
      } else {
        ctx.beginPath();
        ctx.arc(p[0], p[1], n[0] === "o" ? 6 : 2, 0, 2 * Math.PI);
        ctx.fill();
        if (n[0] === "o") { ctx.strokeStyle = "#ffffff"; ctx.stroke(); }
      }
    });
  }

  function nearest(x, y) {
    var box = { w: canvas.clientWidth, h: Math.round(canvas.clientWidth * 0.7) };
    var best = -1, bestDistance = 144;
    data.nodes.forEach(function (n, i) {
      var p = toScreen(n, box);
      var d = (p[0] - x) * (p[0] - x) + (p[1] - y) * (p[1] - y);
      if (d < bestDistance) { best = i; bestDistance = d; }
    });
    return best;
  }

  function show(index) {
    var n = data.nodes[index];
    var kinds = { o: canvas.dataset.kindO, a: canvas.dataset.kindA, p: canvas.dataset.kindP };
    var sector = n[2] >= 0 ? data.sectors[n[2]].name : "";
    selected.textContent = "";
    var text = document.createTextNode((kinds[n[0]] || "") + ": " + n[1] + (sector ? " (" + sector + ")" : "") + " ");
    selected.appendChild(text);
    if (n[5]) {
      var link = document.createElement("a");
      link.href = n[5];
      link.textContent = canvas.dataset.open || "→";
      selected.appendChild(link);
    }
  }

  var drag = null;
  canvas.addEventListener("pointerdown", function (event) {
    drag = { x: event.clientX, y: event.clientY, moved: false };
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    var mx = event.clientX - drag.x, my = event.clientY - drag.y;
    if (Math.abs(mx) + Math.abs(my) > 3) { drag.moved = true; }
    view.dx += mx / view.scale;
    view.dy += my / view.scale;
    drag.x = event.clientX;
    drag.y = event.clientY;
    if (drag.moved) { draw(); }
  });
  canvas.addEventListener("pointerup", function (event) {
    if (drag && !drag.moved && data) {
      var rect = canvas.getBoundingClientRect();
      var found = nearest(event.clientX - rect.left, event.clientY - rect.top);
      if (found >= 0) { show(found); }
    }
    drag = null;
  });
  canvas.addEventListener("wheel", function (event) {
    event.preventDefault();
    zoom(event.deltaY < 0 ? 1.25 : 0.8);
  }, { passive: false });

  function zoom(factor) {
    view.scale = Math.max(0.5, Math.min(40, view.scale * factor));
    draw();
  }
  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var how = button.getAttribute("data-zoom");
      if (how === "in") { zoom(1.5); } else if (how === "out") { zoom(1 / 1.5); } else {
        view = { scale: 1, dx: 0, dy: 0 };
        draw();
      }
    });
  });
  window.addEventListener("resize", draw);

  draw();
  fetch(canvas.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    })
    .then(function (json) {
      data = json;
      colours = legendColours(json.sectors.length);
      draw();
      canvas.setAttribute("data-drawn", String(json.nodes.length));
    })
    .catch(function () {
      selected.textContent = canvas.dataset.failed || "";
    });
})();
