/* Behaviour that used to sit in on*= attributes, kept here so that the
 * Content-Security-Policy can forbid inline script (README, "Security").
 *
 * data-confirm="question" on a form, or on the button that submits it: ask
 *   before submitting; a button's question wins over its form's.
 * data-autosubmit on a select: submit its form when the choice changes.
 * data-history-back on a button: go back to the previous page (error pages).
 */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("select[data-autosubmit]") || !field.form) { return; }
    if (field.form.requestSubmit) { field.form.requestSubmit(); } else { field.form.submit(); }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-history-back]")) { window.history.back(); }
  });
})();
