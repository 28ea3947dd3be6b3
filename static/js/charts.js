// Draws every chart of a page (templates/components/chart.html): each element with
// data-chart="ID" is drawn from the Plotly figure (built in Python) in the JSON script ID.
// No inline script, so pages keep a strict Content Security Policy.
(function () {
  "use strict";
  function draw() {
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.dataset.chart);
      if (!source || !window.Plotly) {
        return;
      }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(element, figure.data, figure.layout, {
        responsive: true,
        displaylogo: false,
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
