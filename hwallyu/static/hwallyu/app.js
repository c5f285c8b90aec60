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

  // Small screens: the side navigation folds under the header's 메뉴 button.  Without
  // JavaScript the button stays hidden and the navigation stays open.
  document.documentElement.classList.add("hw-js");
  function setupNavToggle() {
    var button = document.querySelector(".hw-nav-toggle");
    var nav = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) { return; }
    button.hidden = false;
    function setOpen(open) {
      nav.classList.toggle("is-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.textContent = open ? "메뉴 닫기" : "메뉴";
    }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      setOpen(open);
      if (open) {
        var first = nav.querySelector("a");
        if (first) { first.focus(); }
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setupNavToggle);
  } else {
    setupNavToggle();
  }

  // The bell's badge is polled every 60 s.  Swap only the real fragment: after the session
  // has ended or a second factor is owed the answer is another page, never put in the header.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.elt && event.detail.elt.id === "hw-bell-count") {
      var xhr = event.detail.xhr;
      if (!xhr || xhr.getResponseHeader("X-Hwallyu-Fragment") !== "bell") {
        event.detail.shouldSwap = false;
      }
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });

  // Home dashboard: each module's block loads by itself.  Only the block's own fragment is swapped
  // in; anything else (the sign-in page after the session ended, an error) leaves a link to the
  // block's page in place of the loading note.
  function isDashBlock(elt) {
    return !!(elt && elt.classList && elt.classList.contains("hw-dash-block"));
  }
  function dashBlockFailed(elt) {
    elt.removeAttribute("aria-busy");
    var skeleton = elt.querySelector(".hw-dash-skeleton");
    if (skeleton) { skeleton.remove(); }
    var note = elt.querySelector(".hw-dash-loading");
    if (!note) { return; }
    note.textContent = "현황을 불러오지 못했습니다. ";
    var link = document.createElement("a");
    link.href = elt.getAttribute("hx-get");
    link.textContent = "현황 페이지에서 보기";
    note.appendChild(link);
  }
  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.elt;
    if (!isDashBlock(elt)) { return; }
    var xhr = event.detail.xhr;
    if (!xhr || xhr.status !== 200 || xhr.getResponseHeader("X-Hwallyu-Fragment") !== "dashboard-block") {
      event.detail.shouldSwap = false;
      dashBlockFailed(elt);
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (isDashBlock(event.detail.elt)) { dashBlockFailed(event.detail.elt); }
  });
})();
