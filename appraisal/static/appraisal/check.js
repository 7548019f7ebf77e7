/* The check forms: mark what the reviewer changes while typing, and keep the "differs from the tier
 * below" mark true to the value in the box. Each score box carries data-initial (where the form
 * started) and data-below (the tier below's points); each remark box data-initial. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-check-form]");
  if (!form) { return; }
  var counter = form.querySelector("[data-change-count]");

  function points(text) {
    text = (text || "").trim();
    if (text === "") { return null; }
    var value = Number(text);
    return isFinite(value) ? Math.round(value * 10) / 10 : text;
  }

  function isScore(field) { return field.classList.contains("score-input"); }

  function changed(field) {
    var initial = field.getAttribute("data-initial") || "";
    if (isScore(field)) { return points(field.value) !== points(initial); }
    return field.value.trim() !== initial.trim();
  }

  function refreshRow(row) {
    var any = false;
    row.querySelectorAll("[data-initial]").forEach(function (field) {
      var moved = changed(field);
      field.classList.toggle("is-changed", moved);
      any = any || moved;
      if (isScore(field)) {
        var below = field.getAttribute("data-below") || "";
        var differs = below !== "" && field.value.trim() !== "" && points(field.value) !== points(below);
        field.classList.toggle("is-different", differs);
        var diff = row.querySelector("[data-diff-badge]");
        if (diff) { diff.hidden = !differs; }
      }
    });
    row.classList.toggle("row-changed", any);
    var mark = row.querySelector("[data-change-badge]");
    if (mark) { mark.hidden = !any; }
  }

  function count() {
    if (!counter) { return; }
    var n = form.querySelectorAll("tr.row-changed, [data-indicator].row-changed").length;
    counter.textContent = (counter.getAttribute("data-template") || "").replace("%(n)s", String(n));
    counter.hidden = n === 0;
  }

  form.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("[data-initial]")) { return; }
    var row = field.closest("[data-indicator]");
    if (row) { refreshRow(row); }
    count();
  });
  count();
})();
