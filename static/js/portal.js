// Small helpers for the portal's pages; no framework.
(function () {
  "use strict";
  // dd/mm/yyyy fields: type digits, the slashes come by themselves.
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (!el.classList || !el.classList.contains("js-date") || event.inputType === "deleteContentBackward") return;
    var digits = el.value.replace(/\D/g, "").slice(0, 8);
    var out = digits.slice(0, 2);
    if (digits.length > 2) out += "/" + digits.slice(2, 4);
    if (digits.length > 4) out += "/" + digits.slice(4);
    el.value = out;
  });
  // A form sends once: its submit buttons are disabled right after the first click (the
  // server's one-time token catches what gets through, e.g. the back button).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.method || form.method.toLowerCase() !== "post" || event.defaultPrevented || form.target) return;
    setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
  // File pickers labelled in Vietnamese: show the chosen file's name beside the button.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el.classList || !el.classList.contains("portal-file-input")) return;
    var label = el.parentNode.querySelector(".portal-file-name");
    if (label) label.textContent = el.files && el.files.length ? el.files[0].name : label.dataset.empty || label.textContent;
  });
})();
// Behaviour that used to sit in inline attributes (the Content-Security-Policy forbids those):
// <select data-autosubmit> submits its form on change; <a data-history-back> goes back.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-history-back]");
    if (!link) return;
    event.preventDefault();
    if (window.history.length > 1) window.history.back();
    else window.location.href = "/";
  });
})();
