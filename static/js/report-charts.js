// Draws every report chart: each `.report-chart` names the json_script element holding its
// Plotly figure. No inline script, so the page keeps a strict Content Security Policy.
(function () {
  "use strict";
  function draw() {
    document.querySelectorAll(".report-chart[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.dataset.chart);
      if (!source || !window.Plotly) {
        return;
      }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(element, figure.data, figure.layout, {
        responsive: true,
        displayModeBar: false,
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
