/* The meeting room, beside live.js: the timer's words ("Kvar av steget" / "Tiden är slut +3 min"),
   the meeting's own minutes, the current step's minutes in the progress bar, the projector's
   join panel (J), and the participant's phone following the step under way. Counts from the
   server's clock as live.js knows it. */
(function () {
  "use strict";

  function now() { return window.samtalServerNow ? window.samtalServerNow() : Date.now(); }
  function setText(el, text) { if (el && el.textContent !== text) el.textContent = text; }
  var timeZone = document.documentElement.dataset.timeZone || undefined;

  // Seconds since the live content on the page was rendered (its numbers are from then).
  function sinceRender() {
    var region = document.querySelector("[data-live-region]");
    var rendered = region ? parseInt(region.dataset.serverNow, 10) : NaN;
    return isNaN(rendered) ? 0 : Math.max(0, (now() - rendered) / 1000);
  }

  function remainingOf(timer) {
    var end = parseInt(timer.dataset.plannedEnd, 10);
    return end ? (end - now()) / 1000 : parseFloat(timer.dataset.remaining);
  }

  function clocks() {
    var since = sinceRender(), remaining = NaN;
    document.querySelectorAll("[data-timer]").forEach(function (timer) {
      remaining = remainingOf(timer);
      if (isNaN(remaining)) return;
      var over = remaining < 0;
      var label = timer.querySelector("[data-timer-label]");
      if (label) setText(label, over ? label.dataset.over : label.dataset.left);
      setText(timer.querySelector("[data-timer-overrun]"), over ? "+" + Math.max(1, Math.floor(-remaining / 60)) + " min" : "");
    });
    document.querySelectorAll("[data-meeting-time]").forEach(function (box) {
      var used = (parseInt(box.dataset.used, 10) || 0) + (box.hasAttribute("data-running") ? since : 0);
      setText(box.querySelector("[data-meeting-used]"), Math.floor(used / 60) + " av " + box.dataset.planned + " min");
      var end = box.querySelector("[data-projected-end]"), timer = document.querySelector("[data-timer]");
      if (end && timer && !isNaN(remaining)) {
        var later = parseInt(timer.dataset.later, 10) || 0;
        setText(end, new Date(now() + (Math.max(remaining, 0) + later) * 1000).toLocaleTimeString("sv-SE", {
          hour: "2-digit", minute: "2-digit", timeZone: timeZone
        }));
      }
    });
    document.querySelectorAll("[data-step-seconds]").forEach(function (cell) {
      setText(cell, String(Math.floor(((parseFloat(cell.dataset.stepSeconds) || 0) + since) / 60)));
    });
    // The bar's steps are as wide as their planned minutes.
    document.querySelectorAll(".progress__step[data-minutes]").forEach(function (step) {
      var grow = step.dataset.minutes;
      if (step.style.flexGrow !== grow) step.style.flexGrow = grow;
    });
  }

  /* --- The projector's own error line goes away after a moment: it is for the facilitator,
     not for the room. --- */
  var errorShownAt = 0;
  function quietErrors() {
    var error = document.querySelector(".proj__error[data-live-error]");
    if (!error) return;
    if (!error.textContent) { errorShownAt = 0; return; }
    if (!errorShownAt) errorShownAt = Date.now();
    else if (Date.now() - errorShownAt > 5000) { error.textContent = ""; errorShownAt = 0; }
  }

  /* --- Join panel, large on J --- */
  var stage = document.querySelector("main.proj");
  function toggleJoin(force) {
    if (!stage) return;
    var big = stage.classList.toggle("proj--join-big", force);
    document.querySelectorAll("[data-join-toggle]").forEach(function (button) {
      button.setAttribute("aria-expanded", big ? "true" : "false");
    });
  }
  if (stage) {
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target.closest("input, textarea, select")) return;
      if (event.key === "j" || event.key === "J") { event.preventDefault(); toggleJoin(); }
      else if (event.key === "Escape") toggleJoin(false);
    });
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-join-toggle]");
      if (button) { event.preventDefault(); toggleJoin(); return; }
      if (stage.classList.contains("proj--join-big") && !event.target.closest(".join")) toggleJoin(false);
    });
  }

  /* --- The phone goes to the step under way when it changes --- */
  var followed = null;
  function follow() {
    var card = document.querySelector("[data-follow-step]");
    if (!card) return;
    var step = card.dataset.followStep;
    if (followed !== null && step !== followed) {
      var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      card.scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "start" });
    }
    followed = step;
  }

  /* --- The projector's newest records in view after each change --- */
  var seenVersion = null;
  function newestInView() {
    var region = document.querySelector("[data-live-region]");
    var records = document.querySelector("[data-proj-records]");
    if (!region || !records || region.dataset.version === seenVersion) return;
    seenVersion = region.dataset.version;
    records.scrollTop = records.scrollHeight;
  }

  function tick() { clocks(); quietErrors(); follow(); newestInView(); }
  tick();
  setInterval(tick, 500);
})();
