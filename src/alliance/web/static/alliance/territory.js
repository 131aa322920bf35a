// The alliance network of a territory page, drawn with Cytoscape.js (vendored, MIT) from the
// page's own API (GET /api/territories/{kind}/{code}/network). The table beside it says the same
// for those who cannot see the graph; without JavaScript only the table is there.
(function () {
  "use strict";
  var COLOURS = {
    mecenat: "#1b9e77", pratiques_responsables: "#d95f02", cooperation_economique: "#7570b3",
    innovation_societale: "#e7298a"
  };

  function colour(category) {
    if (!category) { return "#888888"; }
    var root = Object.keys(COLOURS).filter(function (code) {
      return category === code || category.indexOf(code + "_") === 0;
    })[0];
    return root ? COLOURS[root] : "#666666";
  }

  function draw(box, data) {
    if (!data.nodes.length) { box.hidden = true; return; }
    var elements = data.nodes.map(function (n) {
      return { data: { id: n.id, label: n.label, size: 24 + Math.min(40, (n.organisations || 0) / 2) } };
    });
    data.edges.forEach(function (e, i) {
      elements.push({ data: {
        id: "e" + i, source: e.source, target: e.target, colour: colour(e.category),
        label: (e.category_label || "—") + " : " + (e.withheld ? "< 5" : e.partnerships),
        width: e.withheld ? 1.5 : 1.5 + Math.min(8, e.partnerships / 5),
        style: e.withheld ? "dashed" : "solid"
      } });
    });
    var graph = window.cytoscape({
      container: box,
      elements: elements,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: {
          "background-color": "#3182bd", label: "data(label)", width: "data(size)",
          height: "data(size)", "font-size": 11, "text-wrap": "wrap", "text-max-width": 110,
          color: "#1a1a1a", "text-valign": "bottom", "text-margin-y": 4
        } },
        { selector: "edge", style: {
          "line-color": "data(colour)", width: "data(width)", "line-style": "data(style)",
          "curve-style": "bezier", opacity: 0.8
        } },
        { selector: "edge:selected, edge.hover", style: {
          label: "data(label)", "font-size": 10, "text-background-color": "#ffffff",
          "text-background-opacity": 1, opacity: 1
        } }
      ],
      layout: { name: "circle", padding: 30 }
    });
    graph.on("mouseover", "edge", function (event) { event.target.addClass("hover"); });
    graph.on("mouseout", "edge", function (event) { event.target.removeClass("hover"); });
    box.setAttribute("data-drawn", String(graph.nodes().length));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("network-graph");
    if (!box || !window.cytoscape || !window.fetch) { return; }
    fetch(box.getAttribute("data-url"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { draw(box, data); } })
      .catch(function () { box.hidden = true; });
  });
}());
