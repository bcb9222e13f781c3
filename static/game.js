// Live game screens (host and players): follow the game's event stream (htmx sse extension)
// and count the seconds down. A player's stream brings their screen itself (`screen` events,
// swapped by the extension); the host's screen is fetched again when the game's version changes,
// and so is a player's when the stream cannot bring it (removed, or polling).
// Without EventSource, or while the stream is down, poll the state every 2 s. Without
// JavaScript the pages refresh themselves (a <noscript> refresh) and have a Refresh link.
(function () {
  "use strict";
  var live = document.querySelector("[data-game-live]");
  if (!live) return;
  var pollTimer = null;
  var loading = false;
  var streaming = false; // the event stream is open: it brings the changes

  function screen() { return document.querySelector(live.dataset.screen); }

  function refresh() {
    if (loading || !window.htmx) return;
    loading = true;
    window.htmx.ajax("GET", live.dataset.screenUrl, { target: live.dataset.screen, swap: "outerHTML" })
      .then(function () { loading = false; startCountdown(); }, function () { loading = false; });
  }

  function onState(data) {
    var current = screen();
    if (!current) return;
    if (data.state === "removed" || String(data.version) !== current.dataset.version) refresh();
    else if (data.players_version !== undefined && current.dataset.playersVersion !== undefined
             && String(data.players_version) !== current.dataset.playersVersion) refresh();
  }

  live.addEventListener("htmx:sseMessage", function (event) {
    var message = event.detail;
    if (!message || !message.data) return;
    var data;
    try { data = JSON.parse(message.data); } catch (e) { return; }
    if (message.type === "players") {
      var current = screen();
      if (current && current.dataset.playersVersion !== undefined
          && String(data.players_version) !== current.dataset.playersVersion) refresh();
    } else {
      onState(data);
    }
  });

  function poll() {
    fetch(live.dataset.stateUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) onState(data); })
      .catch(function () {});
  }
  function startPolling() { if (!pollTimer) pollTimer = window.setInterval(poll, 2000); }
  function stopPolling() { if (pollTimer) { window.clearInterval(pollTimer); pollTimer = null; } }
  live.addEventListener("htmx:sseError", function () { streaming = false; startPolling(); });
  // (no poll on open: the stream sends the whole state as soon as it connects)
  live.addEventListener("htmx:sseOpen", function () { streaming = true; stopPolling(); });
  if (!window.EventSource || !window.htmx) startPolling();

  // An answer refused (409 too late, 422 unreadable) comes back with the screen and its message: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 409 || status === 422) && event.detail.target.id === "player-screen") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSettle", startCountdown);

  // The big screen counts the answers as they come (answers are not broadcast to every phone).
  if (live.dataset.screen === "#host-screen") {
    window.setInterval(function () {
      var current = screen();
      var count = current && current.querySelector("[data-answered]");
      if (!count || document.hidden) return;
      fetch(live.dataset.stateUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || data.answered === undefined) return;
          count.textContent = data.answered + " of " + data.players + " answered";
          onState(data);
        })
        .catch(function () {});
    }, 1000);
  }

  var tick = null;
  function startCountdown() {
    var timer = document.querySelector("[data-ms-left]");
    if (tick) { window.clearInterval(tick); tick = null; }
    if (!timer || timer.hasAttribute("data-paused")) return;
    var end = Date.now() + parseInt(timer.dataset.msLeft, 10);
    var out = timer.querySelector("[data-countdown]");
    function show() {
      var left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      if (out) out.textContent = String(left);
      if (left === 0) {
        window.clearInterval(tick); tick = null;
        // the server closes the question after its grace; the stream brings the reveal, else fetch it
        if (!streaming) window.setTimeout(refresh, 700);
      }
    }
    show();
    tick = window.setInterval(show, 250);
  }
  startCountdown();
})();
