// Idle timeout of a logged-in session (samtal/core/middleware.py): warns before the session
// ends, keeps it alive while the user types or clicks, and keeps what was typed. When the
// session ends, the page's text fields are kept in this tab's sessionStorage and filled in
// again on the same page after logging in (the live views also keep their own drafts).
(function () {
  "use strict";
  var body = document.body;
  var KEEP_PREFIX = "samtal-inaktiv:";

  function restoreKept() {
    var key = KEEP_PREFIX + location.pathname;
    var raw;
    try { raw = sessionStorage.getItem(key); sessionStorage.removeItem(key); } catch (e) { return; }
    if (!raw) return;
    var kept;
    try { kept = JSON.parse(raw); } catch (e) { return; }
    var forms = document.querySelectorAll("form");
    var filled = 0;
    Object.keys(kept).forEach(function (index) {
      var form = forms[parseInt(index, 10)];
      if (!form) return;
      Object.keys(kept[index]).forEach(function (name) {
        var field = form.elements[name];
        if (!field || field.length !== undefined && !field.tagName) return;
        if (field.value === kept[index][name]) return;
        field.value = kept[index][name];
        field.dispatchEvent(new Event("input", { bubbles: true }));
        filled += 1;
      });
    });
    var notice = document.getElementById("inaktiv-aterstallt");
    if (filled && notice) notice.hidden = false;
  }

  restoreKept();

  var timeout = parseInt(body.getAttribute("data-idle-timeout"), 10);
  if (!timeout) return;
  var statusUrl = body.getAttribute("data-idle-status");
  var aliveUrl = body.getAttribute("data-idle-alive");
  var loginUrl = body.getAttribute("data-idle-login");
  var warning = document.getElementById("inaktiv-varning");
  var minutesOut = warning && warning.querySelector("[data-idle-minutes]");
  var warnSeconds = Math.min(120, Math.floor(timeout / 4));
  var deadline = Date.now() + timeout * 1000;
  var lastPing = Date.now();
  var timer = null;

  function csrfToken() {
    try { return JSON.parse(body.getAttribute("hx-headers") || "{}")["x-csrftoken"] || ""; } catch (e) { return ""; }
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(1000, ms));
  }

  function showWarning(remaining) {
    if (!warning) return;
    if (minutesOut) minutesOut.textContent = Math.max(1, Math.ceil(remaining / 60));
    warning.hidden = false;
  }

  function hideWarning() { if (warning) warning.hidden = true; }

  function keepTyped() {
    var kept = {};
    document.querySelectorAll("form").forEach(function (form, index) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.name === "csrfmiddlewaretoken" || el.disabled) return;
        if (el.type === "password" || el.type === "hidden" || el.type === "file") return;
        if (!(el.tagName === "TEXTAREA" || el.type === "text" || el.type === "email" || el.type === "date" || el.type === "number" || el.type === "url" || el.type === "time")) return;
        if (el.value === el.defaultValue) return;
        (kept[index] = kept[index] || {})[el.name] = el.value;
      });
    });
    if (Object.keys(kept).length) {
      try { sessionStorage.setItem(KEEP_PREFIX + location.pathname, JSON.stringify(kept)); } catch (e) { /* storage off */ }
    }
  }

  function expire() {
    clearTimeout(timer);
    keepTyped();
    location.assign(loginUrl + "?inaktiv=1&next=" + encodeURIComponent(location.pathname + location.search));
  }

  function learn(response) {
    if (response.status === 401) { expire(); return null; }
    if (!response.ok) throw new Error("status " + response.status);
    return response.json().then(function (data) {
      deadline = Date.now() + data.remaining * 1000;
      if (data.remaining <= 0) { expire(); return; }
      if (data.remaining > warnSeconds) { hideWarning(); schedule((data.remaining - warnSeconds) * 1000); }
      else { showWarning(data.remaining); schedule(data.remaining * 1000 + 1000); }
    });
  }

  function check() {
    fetch(statusUrl, { headers: { "X-Samtal-Background": "1" }, credentials: "same-origin", cache: "no-store" })
      .then(learn)
      .catch(function () { schedule(30000); });  // no connection: ask again later
  }

  function keepAlive() {
    lastPing = Date.now();
    fetch(aliveUrl, { method: "POST", headers: { "X-CSRFToken": csrfToken(), "X-Samtal-Background": "1" }, credentials: "same-origin", cache: "no-store" })
      .then(learn)
      .catch(function () { schedule(30000); });
  }

  function activity() {
    if (Date.now() - lastPing > 60000 || (warning && !warning.hidden)) keepAlive();
  }

  ["keydown", "pointerdown", "input", "wheel", "touchstart"].forEach(function (type) {
    document.addEventListener(type, activity, { passive: true, capture: true });
  });
  var stay = document.getElementById("inaktiv-fortsatt");
  if (stay) stay.addEventListener("click", keepAlive);
  schedule((timeout - warnSeconds) * 1000);
})();
