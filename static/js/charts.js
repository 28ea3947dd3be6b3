// Draws every chart of a page (templates/components/chart.html): each element with
// data-chart="ID" is drawn from the Plotly figure (built in Python) in the JSON script ID.
// No inline script, so pages keep a strict Content Security Policy.
//
// On a narrow chart (under 576 px, a phone) horizontal bars put their label above the bar,
// shortened with "…" to the chart's width (the full label stays in the hover and the table),
// so the bars get the whole width instead of what long names leave them. A chart hidden when
// the page opens (the heatmap on a phone) is drawn when it shows.
(function () {
  "use strict";
  var NARROW = 576;
  var ROW = 46; // px per bar on a phone: the bar, and its label above it
  var CHAR = 7; // px a character of the 12 px labels takes at most, near enough

  function horizontalBars(figure) {
    return figure.data.filter(function (trace) {
      return trace.type === "bar" && trace.orientation === "h";
    });
  }

  function shorten(text, chars) {
    text = String(text);
    if (text.length <= chars) {
      return text;
    }
    // The labels carry entities (reports/charts.py `label`): never cut one in half.
    return text.slice(0, chars - 1).replace(/&[#a-zA-Z0-9]*$/, "").replace(/\s+$/, "") + "…";
  }

  function labelsAbove(figure, width) {
    var bars = horizontalBars(figure);
    var categories = bars.length ? bars[0].y || [] : [];
    if (!categories.length) {
      return figure.layout;
    }
    var layout = Object.assign({}, figure.layout);
    var legend = figure.data.length > 1;
    layout.margin = Object.assign({}, layout.margin, { l: 4, r: 8 });
    layout.bargap = 0.5;
    layout.height = categories.length * ROW + (legend ? 150 : 60);
    layout.yaxis = Object.assign({}, layout.yaxis, {
      type: "category",
      showticklabels: false,
      automargin: false,
    });
    if (legend) {
      layout.legend = Object.assign({}, layout.legend, {
        orientation: "h",
        x: 0,
        y: 1,
        yanchor: "bottom",
        traceorder: "normal",
      });
    }
    var chars = Math.max(8, Math.floor((width - 16) / CHAR));
    // Category i is at position i; with bargap 0.5 its bar spans i ± 0.25, so a label
    // anchored by its bottom at the bar's upper edge sits just above it: i - 0.25 on a
    // reversed axis (first category on top), i + 0.25 on a plain one.
    var upper = (figure.layout.yaxis || {}).autorange === "reversed" ? -0.25 : 0.25;
    layout.annotations = (layout.annotations || []).concat(
      categories.map(function (name, i) {
        return {
          text: shorten(name, chars),
          xref: "paper",
          x: 0,
          xanchor: "left",
          yref: "y",
          y: i + upper,
          yanchor: "bottom",
          yshift: 1,
          showarrow: false,
          align: "left",
          font: { size: 12 },
        };
      })
    );
    return layout;
  }

  function narrow(element) {
    return element.clientWidth < NARROW;
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || !window.Plotly || !element.getClientRects().length) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    var isNarrow = narrow(element);
    var layout = isNarrow ? labelsAbove(figure, element.clientWidth) : figure.layout;
    element.dataset.narrow = String(isNarrow);
    window.Plotly.react(element, figure.data, layout, {
      responsive: true,
      displaylogo: false,
      displayModeBar: false,
    });
  }

  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  function redrawChanged() {
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var shown = element.getClientRects().length > 0;
      var drawn = element.dataset.narrow !== undefined;
      if (shown && (!drawn || element.dataset.narrow !== String(narrow(element)))) {
        draw(element);
      }
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(redrawChanged, 150);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
