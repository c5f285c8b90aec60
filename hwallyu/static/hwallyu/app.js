// Hwallyu page behaviour, no inline scripts (the CSP forbids them).
(function () {
  "use strict";
  // Buttons with data-confirm ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }
    // A double click never submits twice.
    if (form.dataset.submitted === "1" && !form.hasAttribute("hx-post")) {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    window.setTimeout(function () { form.dataset.submitted = ""; }, 4000);
  });
  // Charts: <canvas data-chart='{"type": ..., "data": ...}'>
  function drawCharts(root) {
    if (!window.Chart) { return; }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) { return; }
      canvas.dataset.drawn = "1";
      try {
        new window.Chart(canvas, JSON.parse(canvas.dataset.chart));
      } catch (e) { /* a broken chart definition leaves the table beside it */ }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });
})();
