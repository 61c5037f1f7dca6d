// Import forms (class "busy-on-submit"): once submitted, the button is disabled and says
// 処理中… until the server answers, so a long preview or confirm is not sent twice.
// Loaded from a file (our Content-Security-Policy allows no inline script); without
// JavaScript the forms work the same, only without this feedback.
"use strict";
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (!form.classList || !form.classList.contains("busy-on-submit")) {
    return;
  }
  if (form.dataset.busy === "1") {
    event.preventDefault(); // a second click while the first is being processed
    return;
  }
  form.dataset.busy = "1";
  form.setAttribute("aria-busy", "true");
  form.querySelectorAll("input[type=submit], button[type=submit], button:not([type])")
    .forEach(function (button) {
      // The submission under way is not cancelled by this (our buttons carry no name/value).
      button.disabled = true;
      if (button.tagName === "INPUT") {
        button.value = "処理中…";
      } else {
        button.textContent = "処理中…";
      }
    });
});
// A page shown again from the back/forward cache gets its buttons back.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) {
    return;
  }
  document.querySelectorAll("form.busy-on-submit").forEach(function (form) {
    delete form.dataset.busy;
    form.removeAttribute("aria-busy");
    form.querySelectorAll("[disabled]").forEach(function (button) {
      button.disabled = false;
    });
  });
});
