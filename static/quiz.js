// Progressive enhancement for "order" questions: drag and drop (mouse) and
// Move up / Move down buttons (keyboard, touch). Without this script the numbered
// selects do the job; with it they are kept in sync and hidden. Also: focus after
// htmx swaps, and the countdown of timed quizzes.
(function () {
  "use strict";

  function sync(list) {
    var items = list.querySelectorAll("[data-order-item]");
    items.forEach(function (item, index) {
      var select = item.querySelector("select");
      select.value = String(index + 1);
      var up = item.querySelector(".move-up"), down = item.querySelector(".move-down");
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === items.length - 1;
    });
  }

  function announce(list, text) {
    var live = list.parentNode.querySelector(".order-live");
    if (live) live.textContent = text;
  }

  function move(item, direction) {
    var list = item.parentNode;
    if (direction < 0 && item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
    if (direction > 0 && item.nextElementSibling) list.insertBefore(item.nextElementSibling, item);
    sync(list);
    var position = Array.prototype.indexOf.call(list.children, item) + 1;
    announce(list, item.querySelector(".order-text").textContent.trim() + ": position " + position);
  }

  function enhance(list) {
    if (list.dataset.enhanced) return;
    list.dataset.enhanced = "1";
    var live = document.createElement("p");
    live.className = "order-live visually-hidden";
    live.setAttribute("aria-live", "polite");
    list.parentNode.insertBefore(live, list.nextSibling);
    var hint = list.parentNode.querySelector(".hint");
    // No longer than the text it replaces, so that nothing below moves (layout shift).
    if (hint) hint.textContent = "Drag or move the events: earliest first.";
    // Start from the order the selects describe.
    var items = Array.prototype.slice.call(list.querySelectorAll("[data-order-item]"));
    items.sort(function (a, b) { return a.querySelector("select").value - b.querySelector("select").value; });
    items.forEach(function (item) { list.appendChild(item); });
    items.forEach(function (item) {
      var text = item.querySelector(".order-text").textContent.trim();
      item.querySelector("select").hidden = true;
      item.setAttribute("draggable", "true");
      var buttons = document.createElement("span");
      [["move-up", "Move up", -1], ["move-down", "Move down", 1]].forEach(function (spec) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "move " + spec[0];
        button.textContent = spec[1];
        button.setAttribute("aria-label", spec[1] + ": " + text);
        button.addEventListener("click", function () { move(item, spec[2]); button.focus(); });
        buttons.appendChild(button);
      });
      item.appendChild(buttons);
      item.addEventListener("dragstart", function (event) {
        item.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", text);
      });
      item.addEventListener("dragend", function () { item.classList.remove("dragging"); sync(list); });
    });
    // Touch: drag with a finger (pointer events); HTML5 drag and drop does not fire on touch screens.
    list.addEventListener("pointerdown", function (event) {
      var item = event.target.closest("[data-order-item]");
      if (!item || event.pointerType === "mouse" || event.target.closest("button")) return;
      item.classList.add("dragging");
      item.setPointerCapture(event.pointerId);
      function onMove(moveEvent) {
        moveEvent.preventDefault();
        var after = null;
        Array.prototype.forEach.call(list.querySelectorAll("[data-order-item]:not(.dragging)"), function (other) {
          var box = other.getBoundingClientRect();
          if (after === null && moveEvent.clientY < box.top + box.height / 2) after = other;
        });
        list.insertBefore(item, after);
      }
      function onUp() {
        item.classList.remove("dragging");
        item.removeEventListener("pointermove", onMove);
        item.removeEventListener("pointerup", onUp);
        item.removeEventListener("pointercancel", onUp);
        sync(list);
      }
      item.addEventListener("pointermove", onMove);
      item.addEventListener("pointerup", onUp);
      item.addEventListener("pointercancel", onUp);
    });
    list.addEventListener("dragover", function (event) {
      event.preventDefault();
      var dragging = list.querySelector(".dragging");
      if (!dragging) return;
      var after = null;
      Array.prototype.forEach.call(list.querySelectorAll("[data-order-item]:not(.dragging)"), function (item) {
        var box = item.getBoundingClientRect();
        if (after === null && event.clientY < box.top + box.height / 2) after = item;
      });
      list.insertBefore(dragging, after);
    });
    sync(list);
  }

  function enhanceAll(afterSwap) {
    document.querySelectorAll("[data-order-list]").forEach(enhance);
    if (!afterSwap) return;
    // After htmx swaps in feedback or a revealed card, move focus there for keyboard and screen-reader users.
    var target = document.querySelector("#quiz-step [aria-invalid=true]") ||
      document.querySelector("#card-back") || document.querySelector("#feedback") ||
      document.querySelector("#quiz-step input, #quiz-step select, #quiz-step a.button");
    if (target) target.focus();
  }

  // A live countdown for timed quizzes. The server enforces the limit either way; when the
  // countdown reaches zero the form is disabled and the browser goes to the results page,
  // where the server ends the quiz and says that time is up.
  var timer = null;
  function timeIsUp(element) {
    element.textContent = "Time is up — ending the quiz";
    document.querySelectorAll("#quiz-step input, #quiz-step select, #quiz-step textarea, #quiz-step button")
      .forEach(function (control) { control.disabled = true; });
    window.location.assign(element.dataset.resultsUrl);
  }
  function startCountdown() {
    var element = document.querySelector("[data-seconds-left]");
    if (timer) clearInterval(timer);
    if (!element) return;
    var deadline = Date.now() + Number(element.dataset.secondsLeft) * 1000;
    function tick() {
      var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      var text = "Time left: " + Math.floor(left / 60) + " min " + String(left % 60).padStart(2, "0") + " s";
      if (left === 0) { clearInterval(timer); timeIsUp(element); return; }
      if (element.textContent !== text) element.textContent = text;
    }
    tick();
    timer = setInterval(tick, 1000);
  }

  // An answer sent back to be fixed (422) comes with the question and its message: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422 && event.detail.target.id === "quiz-step") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(false); startCountdown(); });
  document.addEventListener("htmx:afterSettle", startCountdown);
  document.addEventListener("htmx:afterSettle", function () { enhanceAll(true); });
})();
