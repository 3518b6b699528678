/* The live meeting: cheap polling, fragment swaps that never touch what someone is typing,
   countdowns from the server's planned end, saving with retry, projector keys. No framework. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root) return;

  var version = parseInt(root.dataset.version, 10) || 0;
  var interval = parseInt(root.dataset.interval, 10) || 600;
  var pollUrl = root.dataset.pollUrl;
  // Server clock minus this device's clock, in ms.
  var offset = (parseInt(root.dataset.serverNow, 10) || Date.now()) - Date.now();
  var refreshing = false;
  var connectionBox = document.querySelector("[data-connection]");
  var statusBox = document.querySelector("[data-save-status]");
  var announce = document.querySelector("[data-live-announce]");
  var pending = []; // forms whose save failed for lack of a connection

  function serverNow() { return Date.now() + offset; }

  function learnOffset(response, sentAt) {
    var server = parseInt(response.headers.get("X-Server-Time"), 10);
    if (!server) return;
    var receivedAt = Date.now();
    if (receivedAt - sentAt > 1000) return; // too slow a round trip to trust
    offset = server - (sentAt + receivedAt) / 2;
  }

  function setStatus(state, text) {
    if (!statusBox) return;
    statusBox.dataset.state = state;
    statusBox.textContent = text;
  }

  function setConnection(ok) {
    if (connectionBox) connectionBox.textContent = ok ? "" : "Ingen kontakt med servern – försöker igen…";
  }

  /* --- Polling ---------------------------------------------------------------------- */

  function poll() {
    var sentAt = Date.now();
    fetch(pollUrl + "&since=" + version, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        learnOffset(response, sentAt);
        setConnection(true);
        if (pending.length) retryPending();
        if (response.status === 200) {
          return response.text().then(function (text) {
            var v = parseInt(text, 10);
            if (v !== version) return refresh();
          });
        }
      })
      .catch(function () { setConnection(false); })
      .then(function () { setTimeout(poll, document.hidden ? interval * 4 : interval); });
  }

  var refreshAgain = false;

  function refresh() {
    if (refreshing) { refreshAgain = true; return Promise.resolve(); }
    refreshing = true;
    refreshAgain = false;
    var sentAt = Date.now();
    return fetch(location.pathname + location.search, {
      headers: { "X-Live-Fragment": "1" }, cache: "no-store", credentials: "same-origin",
    })
      .then(function (response) {
        learnOffset(response, sentAt);
        var v = parseInt(response.headers.get("X-Live-Version"), 10);
        return response.text().then(function (html) {
          if (!response.ok) return;
          var doc = new DOMParser().parseFromString(html, "text/html");
          doc.querySelectorAll("[data-live-region]").forEach(swapRegion);
          if (!isNaN(v)) version = v;
          // On the projector the newest lines are at the bottom: keep them in view.
          var content = document.querySelector(".proj__content");
          if (content) content.scrollTop = content.scrollHeight;
          tick();
        });
      })
      .catch(function () { setConnection(false); })
      .then(function () {
        refreshing = false;
        if (refreshAgain) return refresh();
      });
  }

  /* --- Swapping without disturbing the typist ----------------------------------------- */

  function isTyping(el) {
    var active = document.activeElement;
    if (active && el.contains(active) && active.matches("input:not([type=hidden]):not([type=checkbox]), textarea, select")) {
      return true;
    }
    if (el.matches("[data-dirty], details[open]") || el.querySelector("[data-dirty], details[open]")) return true;
    return false;
  }

  function keyOf(el) { return el.getAttribute("data-live-item"); }

  function childItems(el) {
    return Array.prototype.filter.call(el.children, function (c) { return c.hasAttribute("data-live-item"); });
  }

  function merge(oldEl, newEl) {
    if (!isTyping(oldEl)) {
      var focusId = document.activeElement && oldEl.contains(document.activeElement) ? document.activeElement.id : null;
      var imported = document.importNode(newEl, true);
      oldEl.replaceWith(imported);
      if (focusId) {
        var again = document.getElementById(focusId);
        if (again) again.focus({ preventScroll: true });
      }
      return;
    }
    var oldItems = childItems(oldEl);
    var newItems = childItems(newEl);
    if (!oldItems.length) {
      // A leaf someone is typing in: leave what they typed, but let choices they have not
      // touched follow the room (e.g. "who" follows the speaker in a round).
      newEl.querySelectorAll("select[id]").forEach(function (select) {
        var mine = document.getElementById(select.id);
        if (mine && oldEl.contains(mine) && !mine.hasAttribute("data-touched") && mine !== document.activeElement) {
          mine.value = select.value;
        }
      });
      return;
    }
    var byKey = {};
    oldItems.forEach(function (item) { byKey[keyOf(item)] = item; });
    var seen = {};
    var previous = null;
    newItems.forEach(function (newItem) {
      var key = keyOf(newItem);
      seen[key] = true;
      var old = byKey[key];
      if (old) {
        merge(old, newItem);
        previous = oldEl.querySelector(':scope > [data-live-item="' + CSS.escape(key) + '"]') || previous;
      } else {
        var imported = document.importNode(newItem, true);
        if (previous) previous.after(imported); else oldEl.prepend(imported);
        previous = imported;
      }
    });
    oldItems.forEach(function (item) {
      if (!seen[keyOf(item)] && !isTyping(item)) item.remove();
      else if (!seen[keyOf(item)]) item.classList.add("is-orphan");
    });
  }

  function swapRegion(newRegion) {
    var name = newRegion.getAttribute("data-live-region");
    var old = document.querySelector('[data-live-region="' + name + '"]');
    if (!old) return;
    if (newRegion.hasAttribute("data-locked")) {
      // The A3 is locked: nothing can be saved any more (drafts stay in localStorage).
      old.replaceWith(document.importNode(newRegion, true));
      return;
    }
    merge(old, newRegion);
  }

  /* --- Clocks ------------------------------------------------------------------------ */

  var announcedOver = {};

  function format(seconds) {
    var s = Math.round(seconds);
    var sign = s < 0 ? "−" : "";
    s = Math.abs(s);
    var m = Math.floor(s / 60);
    var r = s % 60;
    return sign + m + ":" + (r < 10 ? "0" : "") + r;
  }

  function tick() {
    document.querySelectorAll("[data-timer]").forEach(function (timer) {
      var end = parseInt(timer.dataset.plannedEnd, 10);
      var remaining = end ? (end - serverNow()) / 1000 : parseFloat(timer.dataset.remaining);
      if (isNaN(remaining)) return;
      var value = timer.querySelector("[data-timer-value]");
      var text = format(remaining);
      if (value && value.textContent !== text) value.textContent = text;
      var state = remaining < 0 ? "over" : remaining <= 120 ? "amber" : "ok";
      ["ok", "amber", "over"].forEach(function (s) { timer.classList.toggle("timer--" + s, s === state); });
      var later = parseInt(timer.dataset.later, 10) || 0;
      var projected = timer.querySelector("[data-projected-end]");
      if (projected) {
        var at = new Date(serverNow() + (Math.max(remaining, 0) + later) * 1000);
        projected.textContent = at.toLocaleTimeString("sv-SE", {
          hour: "2-digit", minute: "2-digit",
          // The meeting's time zone, not the device's (a borrowed laptop may be set to UTC).
          timeZone: document.documentElement.dataset.timeZone || undefined
        });
      }
      if (end && remaining < 0 && !announcedOver[end]) {
        announcedOver[end] = true;
        if (remaining > -5) timeIsUp(timer);
      }
    });
  }

  function timeIsUp(timer) {
    timer.classList.add("timer--flash");
    if (announce) announce.textContent = "Tiden för steget är slut.";
    if (localStorage.getItem("samtal-ljud") === "pa") beep();
  }

  function beep() {
    try {
      var ctx = new (window.AudioContext || window.webkitAudioContext)();
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.frequency.value = 660;
      gain.gain.setValueAtTime(0.0001, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.15, ctx.currentTime + 0.05);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 1.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 1.3);
    } catch (e) { /* no sound available */ }
  }

  function soundButtons() {
    document.querySelectorAll("[data-sound-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", localStorage.getItem("samtal-ljud") === "pa" ? "true" : "false");
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-sound-toggle]");
    if (button) {
      localStorage.setItem("samtal-ljud", localStorage.getItem("samtal-ljud") === "pa" ? "av" : "pa");
      soundButtons();
      return;
    }
    var prefill = event.target.closest("[data-prefill]");
    if (prefill) {
      var form = document.querySelector('[data-live-item="' + CSS.escape(prefill.dataset.target) + '"]');
      if (!form) return;
      event.preventDefault();
      form.elements.text.value = prefill.dataset.text || "";
      if (form.elements.reason) form.elements.reason.value = prefill.dataset.reason || "";
      markDirty(form);
      form.elements.text.focus();
    }
  });

  /* --- Saving ------------------------------------------------------------------------ */

  function markDirty(form) {
    form.setAttribute("data-dirty", "1");
    saveDraft(form);
  }

  function draftKey(form) { return form.dataset.draft ? "samtal-utkast-" + form.dataset.draft : null; }

  function saveDraft(form) {
    var key = draftKey(form);
    if (!key) return;
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && (el.type === "text" || el.tagName === "TEXTAREA" || el.type === "date")) data[el.name] = el.value;
    });
    try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full or off */ }
  }

  function restoreDrafts() {
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      var key = draftKey(form);
      var raw = key && localStorage.getItem(key);
      if (!raw) return;
      try {
        var data = JSON.parse(raw);
        var any = false;
        Object.keys(data).forEach(function (name) {
          if (form.elements[name] && data[name]) { form.elements[name].value = data[name]; any = true; }
        });
        if (any) { form.setAttribute("data-dirty", "1"); setStatus("unsaved", "Inte sparat – utkast återställt"); }
      } catch (e) { localStorage.removeItem(key); }
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("select")) event.target.setAttribute("data-touched", "1");
  });

  document.addEventListener("input", function (event) {
    var form = event.target.closest("form[data-live-form]");
    if (form && (form.hasAttribute("data-new") || form.hasAttribute("data-edit"))) {
      markDirty(form);
      setStatus("unsaved", "Inte sparat");
    }
  });

  var globalError = document.querySelector("[data-live-error]");

  function showError(form, message) {
    // Forms that keep typed text show the message beside it; a button's message goes to
    // the page's own alert, outside the parts that live updates replace.
    var own = (form.hasAttribute("data-new") || form.hasAttribute("data-edit")) && form.querySelector("[data-form-error]");
    if (own) own.textContent = message;
    if (globalError && (!own || !message)) globalError.textContent = message;
    else if (!own && message && announce) announce.textContent = message;
  }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    // The save status is about typed text; buttons (agree, move, next…) leave it alone.
    var typed = form.hasAttribute("data-new") || form.hasAttribute("data-edit");
    if (typed) setStatus("saving", "Sparar…");
    var sentAt = Date.now();
    return fetch(form.getAttribute("action"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Live-Fetch": "1" },
    }).then(function (response) {
      learnOffset(response, sentAt);
      if (response.redirected) {
        // The session has ended and the server sent the login page: nothing was saved.
        if (typed) { setStatus("error", "Inte sparat – du är utloggad"); saveDraft(form); }
        showError(form, "Du är utloggad. Det du skrev finns kvar – logga in igen och spara.");
        return null;
      }
      return response.text().then(function (message) {
        if (response.status === 204 || response.ok) {
          form.removeAttribute("data-dirty");
          var key = draftKey(form);
          if (key) localStorage.removeItem(key);
          showError(form, "");
          if (form.hasAttribute("data-new")) {
            Array.prototype.forEach.call(form.elements, function (el) {
              if (el.type === "text" || el.type === "date" || el.tagName === "TEXTAREA") el.value = "";
              if (el.type === "checkbox") el.checked = false;
            });
            var first = form.querySelector("input[type=text], input:not([type]), textarea");
            if (first) first.focus();
          }
          if (form.hasAttribute("data-edit")) {
            var details = form.closest("details");
            if (details) details.open = false;
          }
          if (typed) setStatus("saved", "Sparat");
        } else if (response.status === 409) {
          form.removeAttribute("data-dirty");
          var d = form.closest("details");
          if (d) d.open = false;
          setStatus("conflict", "Konflikt – båda texterna finns kvar");
          if (announce) announce.textContent = message;
          showError(form, message);
        } else {
          if (typed) setStatus("error", "Inte sparat");
          showError(form, message || "Det gick inte att spara.");
        }
        return refresh();
      });
    }, function () {
      setConnection(false);
      if (!typed) {
        // A button (next step, agree…) is not repeated later by itself: say it did not happen.
        showError(form, "Ingen kontakt med servern – det du tryckte på genomfördes inte. Försök igen.");
        return;
      }
      // No connection: keep the typed text on the page and save it when the connection is back.
      setStatus("offline", "Inte sparat – ingen kontakt, försöker igen");
      form.setAttribute("data-dirty", "1");
      saveDraft(form);
      if (!pending.some(function (p) { return p.form === form; })) pending.push({ form: form, submitter: submitter });
    });
  }

  function retryPending() {
    var queue = pending;
    pending = [];
    queue.forEach(function (item) { if (document.contains(item.form)) send(item.form, item.submitter); });
  }

  window.addEventListener("online", retryPending);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-live-form]")) return;
    event.preventDefault();
    send(form, event.submitter);
  });

  /* --- Projector keys ---------------------------------------------------------------- */

  if (root.hasAttribute("data-projector")) {
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target.closest("input, textarea, select")) return;
      if (event.key === " " && event.target.closest("button, a, summary")) return;
      var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      var form = document.querySelector('form[data-key="' + CSS.escape(key) + '"]');
      if (!form) return;
      var button = form.querySelector("button");
      if (button && button.disabled) return;
      event.preventDefault();
      send(form, null);
    });
  }

  restoreDrafts();
  soundButtons();
  tick();
  setInterval(tick, 250);
  setTimeout(poll, interval);
})();
