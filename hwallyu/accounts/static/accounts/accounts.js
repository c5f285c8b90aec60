// "내 계정": select the new API token on focus and copy it with one click (no inline scripts: CSP).
(function () {
  "use strict";
  document.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
  if (!navigator.clipboard || !window.isSecureContext) { return; }
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.dataset.copyTarget);
    var status = button.parentNode.querySelector("[data-copy-status]");
    if (!target) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.value).then(function () {
        if (status) { status.textContent = "복사했습니다. 안전한 곳에 붙여 넣어 보관하세요."; }
      }, function () {
        target.focus();
        if (status) { status.textContent = "자동 복사를 할 수 없습니다. 선택된 토큰을 Ctrl+C로 복사하세요."; }
      });
    });
  });
})();
