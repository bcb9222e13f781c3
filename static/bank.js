// Bank page: the question filters apply as you type or choose. Without JavaScript the same
// form is a GET that the server filters; this only saves the round trip.
(function () {
  "use strict";
  var form = document.querySelector("[data-filters]");
  if (!form) return;
  var items = Array.prototype.slice.call(document.querySelectorAll(".question-list > li"));
  var status = document.getElementById("filter-status");
  var timer = null;

  function apply() {
    var words = form.elements.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var type = form.elements.type.value, tag = form.elements.tag.value, level = form.elements.difficulty.value;
    var shown = 0;
    items.forEach(function (li) {
      var ok = (!type || li.dataset.type === type) &&
        (!tag || li.dataset.tags.split(" ").indexOf(tag) !== -1) &&
        (!level || li.dataset.difficulty === level) &&
        words.every(function (w) { return li.dataset.text.indexOf(w) !== -1; });
      li.hidden = !ok;
      if (ok) shown += 1;
    });
    var active = words.length || type || tag || level;
    status.textContent = active ? shown + " of " + items.length + " questions match." :
      items.length + " questions. Open one to see its details.";
    var params = new URLSearchParams();
    if (words.length) params.set("q", form.elements.q.value.trim());
    if (type) params.set("type", type);
    if (tag) params.set("tag", tag);
    if (level) params.set("difficulty", level);
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 150);  // one status update per pause in typing, not per key
  });
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
})();
