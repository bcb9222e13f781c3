// Keyboard shortcuts on the flashcard page: Space/Enter reveal, 1–4 grade, U undo.
// Every action is a normal link or button; these keys only press them.
(function () {
  "use strict";

  function typing(element) {
    return element && (element.matches("input, textarea, select, [contenteditable]"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var card = document.querySelector("[data-study]");
    if (!card) return;
    var onControl = event.target.matches && event.target.matches("a, button, summary");
    var target = null;
    if ((event.key === " " || event.key === "Enter") && !onControl) {
      target = card.querySelector("#reveal");
    } else if (/^[1-4]$/.test(event.key)) {
      target = card.querySelector("button[data-rating='" + event.key + "']");
    } else if (event.key === "u" || event.key === "U") {
      target = card.querySelector("#undo");
    }
    if (target && !target.disabled) {
      event.preventDefault();
      target.click();
    }
  });

  // After htmx swaps in the next card or the answer, put the focus on it.
  document.addEventListener("htmx:afterSettle", function (event) {
    var card = document.querySelector("[data-study]");
    if (!card) return;
    var focus = card.querySelector(".grade-buttons button[data-rating='3']") ||
      card.querySelector("#card-front, #done-heading");
    if (focus) focus.focus();
  });
})();
