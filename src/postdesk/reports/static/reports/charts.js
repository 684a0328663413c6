// Draws each report's chart with Chart.js from the description the page embeds
// (reports/charts.py, as JSON in a <script type="application/json"> element).
(function () {
  "use strict";

  function dataset(series, stacked) {
    var line = series.type === "line";
    return {
      type: series.type,
      label: series.label,
      // A missing figure (null) is a gap, not a zero.
      data: series.data.map(function (v) { return v === null ? null : Number(v); }),
      backgroundColor: series.colour,
      borderColor: series.colour,
      stack: stacked && !line ? series.stack : undefined,
      order: line ? 0 : 1,
      tension: 0,
    };
  }

  function draw(canvas) {
    var spec = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    var chart = new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s) { return dataset(s, spec.stacked); }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          title: { display: true, text: spec.title },
          legend: { display: true, position: "bottom" },
        },
        scales: {
          x: { stacked: spec.stacked, title: { display: true, text: spec.x } },
          y: { stacked: spec.stacked, beginAtZero: true, title: { display: true, text: spec.y } },
        },
      },
    });
    canvas.dataset.drawn = String(chart.data.datasets.length);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas.report-chart").forEach(draw);
  });
})();
