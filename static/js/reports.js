// Charts of the reports app (Chart.js from static/vendor). No inline script: the data comes from the
// json_script element "chart-data"; every chart is also printed as a table beside it.
(function () {
  "use strict";
  var holder = document.getElementById("chart-data");
  if (!holder || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  var palette = ["#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#b45309", "#0e7490", "#be123c"];
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = "#1f2933";
  Chart.defaults.animation = false;  // draws at once, so printing never catches a half-drawn chart

  function draw(kind, config) {
    var canvas = document.querySelector("canvas[data-chart='" + kind + "']");
    if (!canvas) { return; }
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false,
      plugins: { legend: { position: "bottom" } } }, config.options || {});
    new Chart(canvas, config);
  }

  if (data.indicator) {
    var trend = data.indicator.trend;
    draw("trend", { type: "line", data: {
      labels: trend.map(function (p) { return p.month; }),
      datasets: [{ label: data.indicator.label, data: trend.map(function (p) { return p.value; }),
        borderColor: palette[0], backgroundColor: palette[0], tension: 0.2 }] },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: data.indicator.whole ? 0 : 1 } } } } });
    var regions = data.indicator.regions || [];
    if (regions.length) {
      draw("regions", { type: "bar", data: {
        labels: regions.map(function (r) { return r.name; }),
        datasets: [{ label: data.indicator.label, data: regions.map(function (r) { return r.value; }),
          backgroundColor: palette[1] }] },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: data.indicator.whole ? 0 : 1 } } } } });
    }
  }
  if (data.categories) {
    draw("categories", { type: "line", data: { labels: data.categories.labels,
      datasets: data.categories.series.map(function (s, i) {
        return { label: s.label, data: s.data, borderColor: palette[i % palette.length],
          backgroundColor: palette[i % palette.length], tension: 0.2 };
      }) }, options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
  }
  // Resize for paper before printing and back afterwards.
  window.addEventListener("beforeprint", function () {
    Object.values(Chart.instances).forEach(function (c) { c.resize(); });
  });
})();
