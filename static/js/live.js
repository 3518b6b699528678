/* The live meeting. The page holds one event stream (htmx's SSE extension) whose content is
   morphed in (idiomorph); this file decides what a morph may not touch (unsaved text, open
   editors, choices made), falls back to a conditional poll when the stream cannot be held,
   saves with idempotency keys and retries, and keeps the clocks and the projector's keys. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root || !window.htmx || !window.Idiomorph) return;

  var version = parseInt(root.dataset.version, 10) || 0;
  var offset = (parseInt(root.dataset.serverNow, 10) || Date.now()) - Date.now(); // server − device, ms
  var swapTarget = root.querySelector("[sse-swap]");
  var statusBox = document.querySelector("[data-save-status]");
  var announce = document.querySelector("[data-live-announce]");
  var modeNote = document.querySelector("[data-connection]");
  var TYPED = "form[data-new], form[data-edit]";

  function serverNow() { return Date.now() + offset; }
  window.samtalServerNow = serverNow; // the room's clocks (room.js) count from the same time
  function say(text) { if (announce) announce.textContent = text; }
  function learnOffset(serverMs, sentAt) {
    var now = Date.now();
    if (serverMs && now - sentAt < 1000) offset = serverMs - (sentAt + now) / 2;
  }

  /* --- What a morph leaves alone ------------------------------------------------------ */

  function sameForm(a, b) {
    return b && b.nodeType === 1 && a.getAttribute("action") === b.getAttribute("action") &&
      a.getAttribute("data-draft") === b.getAttribute("data-draft");
  }

  // Someone deleted the row being edited: it stays (marked) so the edit can still be saved.
  function keepsEdit(node) {
    if (!node.matches("li[data-live-item]") || !node.querySelector("form[data-edit][data-dirty]")) return false;
    node.classList.add("is-orphan");
    return true;
  }

  var callbacks = Idiomorph.defaults.callbacks;
  callbacks.beforeNodeMorphed = function (old, incoming) {
    if (old.nodeType !== 1) return true;
    if (incoming.nodeType === 1 && old.getAttribute("data-live-item") !== incoming.getAttribute("data-live-item") && keepsEdit(old)) return false;
    if (old.matches("[data-form-status], [data-form-error]")) return false;
    if (old.matches("select[data-touched]")) return false;
    if (old.matches("form[data-dirty]")) {
      if (sameForm(old, incoming)) return false; // unsaved text stays exactly as typed
      keepAsDraft(old); // another step took its place: the text waits as that step's draft
    }
    return true;
  };
  callbacks.beforeNodeRemoved = function (node) {
    if (node.nodeType !== 1) return true;
    if (node.matches("[data-form-status]")) return false;
    if (keepsEdit(node)) return false;
    var dirty = node.matches("form[data-dirty]") ? [node] : [].slice.call(node.querySelectorAll("form[data-dirty]"));
    dirty.forEach(keepAsDraft);
    return true;
  };
  callbacks.beforeAttributeUpdated = function (name, el, how) {
    return !(how === "remove" && /^(open|data-dirty|data-touched|data-client-key)$/.test(name));
  };

  function keepAsDraft(form) {
    saveDraft(form);
    form.removeAttribute("data-dirty");
    if (draftKey(form)) say("Din osparade text finns kvar som utkast i det steg där du skrev den.");
  }

  function afterSwap() {
    restoreDrafts();
    var content = document.querySelector(".proj__content"); // projector: newest lines in view
    if (content) content.scrollTop = content.scrollHeight;
    tick();
  }

  /* --- Stream, or the poll when the stream cannot be held ------------------------------ */

  var mode = "stream", started = Date.now(), heardAt = 0, everHeard = false, failures = 0, source = null;
  var streamUrl = (root.getAttribute("sse-connect") || "").replace(/&v=\d*$/, "");
  var backoff = 10000, round = 0;

  function heard(event) {
    heardAt = Date.now();
    everHeard = true;
    failures = 0;
    var serverMs = parseInt(event.data, 10);
    if (serverMs && event.type !== "live") offset = serverMs - Date.now();
  }

  document.body.addEventListener("htmx:sseOpen", function (event) {
    source = event.detail.source;
    if (mode !== "stream") { source.close(); return; }
    ["hello", "ping", "time"].forEach(function (name) { source.addEventListener(name, heard); });
  });
  document.body.addEventListener("htmx:sseError", function (event) {
    source = event.detail.source || source;
    failures += 1;
  });
  document.body.addEventListener("htmx:sseMessage", function (event) {
    heardAt = Date.now();
    var v = parseInt(event.detail.lastEventId, 10);
    if (!isNaN(v)) version = v;
    afterSwap();
  });

  // A proxy that buffers or cuts the stream shows as silence: no hello, or no ping for long.
  setInterval(function () {
    if (mode !== "stream") return;
    var quiet = Date.now() - (heardAt || started);
    if (failures >= 3 || quiet > (everHeard ? 40000 : 6000)) usePolling();
    // A stream that held for two minutes resets the wait before the next try after a fall.
    if (everHeard && Date.now() - started > 120000) backoff = 10000;
  }, 1000);

  function note(state, text) {
    if (!modeNote) return;
    modeNote.dataset.mode = state;
    modeNote.textContent = text;
  }

  function usePolling() {
    mode = "poll";
    if (source) source.close();
    root.removeAttribute("sse-connect");
    note("poll", "Direktuppdatering blockeras av nätverket – sidan frågar efter ändringar i stället.");
    poll();
    setTimeout(probe, backoff);
    backoff = Math.min(backoff * 2, 300000);
  }

  // In poll mode the device tries the stream again now and then (10 s, 20 s, … 5 min).
  function probe() {
    if (mode !== "poll") return;
    var test = new EventSource(streamUrl + "&v=" + version, { withCredentials: true });
    var giveUp = setTimeout(failed, 6000);
    function failed() {
      clearTimeout(giveUp);
      test.close();
      setTimeout(probe, backoff);
      backoff = Math.min(backoff * 2, 300000);
    }
    test.onerror = failed;
    test.addEventListener("hello", function () {
      clearTimeout(giveUp);
      test.close();
      useStream();
    });
  }

  function useStream() {
    mode = "stream";
    started = Date.now();
    heardAt = 0;
    everHeard = false;
    failures = 0;
    note("stream", "");
    root.setAttribute("sse-connect", streamUrl + "&v=" + version);
    swapTarget.setAttribute("data-sse-round", String(++round)); // re-registers its listener
    htmx.process(root);
  }

  var polling = false;
  function poll() {
    if (polling || mode !== "poll") return;
    polling = true;
    var sentAt = Date.now();
    // The server holds an answer until the version moves (or 304 after a while).
    fetch(root.dataset.pollUrl, { headers: { "If-None-Match": '"' + version + '"' }, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        learnOffset(parseInt(response.headers.get("X-Server-Time"), 10), sentAt);
        if (response.status === 403) return keyRefused();
        if (response.status !== 200) return;
        var v = parseInt((response.headers.get("ETag") || "").replace(/"/g, ""), 10);
        return response.text().then(function (html) {
          htmx.swap(swapTarget, html, { swapStyle: "morph:innerHTML" });
          if (!isNaN(v)) version = v;
          afterSwap();
        });
      })
      .catch(function () { /* the next round tries again */ })
      .then(function () {
        polling = false;
        var interval = (parseInt(root.dataset.interval, 10) || 1000) * (document.hidden ? 4 : 1);
        setTimeout(poll, Math.max(0, interval - (Date.now() - sentAt)));
      });
  }

  // The live key expired or its holder may no longer follow: the page asks anew (drafts
  // survive the reload). At most once a minute, so a refusal cannot make a loop.
  function keyRefused() {
    var last = parseInt(sessionStorage.getItem("samtal-live-omladdad"), 10) || 0;
    if (Date.now() - last < 60000) return;
    sessionStorage.setItem("samtal-live-omladdad", String(Date.now()));
    document.querySelectorAll("form[data-dirty]").forEach(saveDraft);
    location.reload();
  }

  /* --- Clocks ------------------------------------------------------------------------ */

  var announcedOver = {};

  function format(seconds) {
    var s = Math.round(seconds), sign = s < 0 ? "+" : ""; // over time: the overrun counts up
    s = Math.abs(s);
    var r = s % 60;
    return sign + Math.floor(s / 60) + ":" + (r < 10 ? "0" : "") + r;
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
      var projected = timer.querySelector("[data-projected-end]");
      if (projected) {
        var later = parseInt(timer.dataset.later, 10) || 0;
        projected.textContent = new Date(serverNow() + (Math.max(remaining, 0) + later) * 1000).toLocaleTimeString("sv-SE", {
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
    say("Tiden för steget är slut.");
    if (localStorage.getItem("samtal-ljud") === "pa") beep();
  }

  function beep() {
    try {
      var ctx = new (window.AudioContext || window.webkitAudioContext)();
      var osc = ctx.createOscillator(), gain = ctx.createGain();
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
    if (event.target.closest("[data-sound-toggle]")) {
      localStorage.setItem("samtal-ljud", localStorage.getItem("samtal-ljud") === "pa" ? "av" : "pa");
      soundButtons();
      return;
    }
    var prefill = event.target.closest("[data-prefill]");
    var form = prefill && document.querySelector('[data-live-item="' + CSS.escape(prefill.dataset.target) + '"]');
    if (!form) return;
    event.preventDefault();
    form.elements.text.value = prefill.dataset.text || "";
    if (form.elements.reason) form.elements.reason.value = prefill.dataset.reason || "";
    markDirty(form);
    form.elements.text.focus();
  });

  /* --- Drafts ------------------------------------------------------------------------ */

  function draftKey(form) {
    if (form.dataset.draft) return "samtal-utkast-" + form.dataset.draft;
    return form.matches("[data-edit]") ? "samtal-utkast-" + form.getAttribute("action") : null;
  }

  function typedValues(form) {
    var data = {}, any = false;
    [].forEach.call(form.elements, function (el) {
      if (el.name && (el.type === "text" || el.tagName === "TEXTAREA" || el.type === "date")) {
        data[el.name] = el.value;
        any = any || el.value.trim() !== "";
      }
    });
    return any ? data : null;
  }

  function saveDraft(form) {
    var key = draftKey(form), data = typedValues(form);
    if (!key) return;
    try {
      if (data) localStorage.setItem(key, JSON.stringify(data)); else localStorage.removeItem(key);
    } catch (e) { /* storage full or off */ }
  }

  function restoreDrafts() {
    document.querySelectorAll("form[data-draft]:not([data-dirty])").forEach(function (form) {
      var raw = localStorage.getItem(draftKey(form));
      if (!raw) return;
      try {
        var data = JSON.parse(raw), any = false;
        Object.keys(data).forEach(function (name) {
          if (form.elements[name] && data[name]) { form.elements[name].value = data[name]; any = true; }
        });
        if (any) { form.setAttribute("data-dirty", "1"); setStatus(form, "unsaved", "Inte sparat – utkast återställt"); }
      } catch (e) { localStorage.removeItem(draftKey(form)); }
    });
  }

  function markDirty(form) {
    // An empty field is not typing: only text makes a form hold on to what it shows.
    if (typedValues(form)) form.setAttribute("data-dirty", "1"); else form.removeAttribute("data-dirty");
    saveDraft(form);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("select")) event.target.setAttribute("data-touched", "1");
  });

  document.addEventListener("input", function (event) {
    var form = event.target.closest(TYPED);
    if (!form || !form.matches("[data-live-form]")) return;
    markDirty(form);
    setStatus(form, "unsaved", "Inte sparat");
  });

  /* --- Saving ------------------------------------------------------------------------ */

  // The status sits next to the field being typed in (and in the page's bar).
  function setStatus(form, state, text) {
    if (statusBox) { statusBox.dataset.state = state; statusBox.textContent = text; }
    if (!form || !form.matches(TYPED)) return;
    var own = form.querySelector("[data-form-status]");
    if (!own) {
      own = document.createElement("span");
      own.className = "row-form__status";
      own.setAttribute("data-form-status", "");
      own.setAttribute("role", "status");
      form.appendChild(own);
    }
    own.dataset.state = state;
    own.textContent = text;
  }

  function showError(form, message) {
    var own = form.matches(TYPED) && form.querySelector("[data-form-error]");
    var page = document.querySelector("[data-live-error]");
    if (own) own.textContent = message;
    if (page && (!own || !message)) page.textContent = message;
    else if (!own && message) say(message);
  }

  var REFUSED = {
    403: "Du får inte längre ändra här – samtalet kan vara avslutat. Det du skrev finns kvar på skärmen.",
    404: "Det du ändrade finns inte längre – någon annan har tagit bort det.",
  };

  function messageOf(response, body) {
    var plain = (response.headers.get("Content-Type") || "").indexOf("text/plain") === 0;
    if (plain && body) return body; // the server's own Swedish sentence; never an HTML page
    return REFUSED[response.status] || "Det gick inte att spara (fel " + response.status + ").";
  }

  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return [].map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function send(form, submitter, attempt) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    // One key per add: a double click, Enter twice or a retry all store one row.
    if (form.elements.client_key) {
      if (!form.dataset.clientKey) form.dataset.clientKey = newKey();
      data.set("client_key", form.dataset.clientKey);
    }
    // One key per press: its retries are done once.
    data.set("action_key", newKey());
    return post(form, data, attempt || 0);
  }

  function post(form, data, attempt) {
    var typed = form.matches(TYPED);
    if (typed) setStatus(form, "saving", "Sparar…");
    var sentAt = Date.now();
    return fetch(form.getAttribute("action"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Live-Fetch": "1", "X-CSRFToken": root.dataset.csrf },
    }).then(function (response) {
      learnOffset(parseInt(response.headers.get("X-Server-Time"), 10), sentAt);
      if (response.redirected) {
        // The session has ended and the server sent the login page: nothing was saved.
        if (typed) { setStatus(form, "error", "Inte sparat – du är utloggad"); saveDraft(form); }
        showError(form, "Du är utloggad. Det du skrev finns kvar – logga in igen och spara.");
        return null;
      }
      return response.text().then(function (body) {
        if (response.status >= 500) throw new Error("server");
        if (response.ok) saved(form, typed, body);
        else if (response.status === 409) conflict(form, body);
        else {
          if (typed) setStatus(form, "error", "Inte sparat");
          showError(form, messageOf(response, body));
        }
        if (mode === "poll") poll();
      });
    }).catch(function () {
      // Keep the text, and send the same thing (same keys) again until it is saved.
      setStatus(form, "retrying", "Inte sparat – försöker igen");
      if (!statusBox && !typed) showError(form, "Inte sparat – försöker igen"); // the projector
      if (typed) { form.setAttribute("data-dirty", "1"); saveDraft(form); }
      var wait = Math.min(1000 * Math.pow(2, attempt), 15000);
      setTimeout(function () { post(form, data, attempt + 1); }, wait);
    });
  }

  function saved(form, typed, message) {
    delete form.dataset.clientKey;
    form.removeAttribute("data-dirty");
    if (draftKey(form)) localStorage.removeItem(draftKey(form));
    showError(form, "");
    if (form.hasAttribute("data-new")) {
      [].forEach.call(form.elements, function (el) {
        if (el.type === "text" || el.type === "date" || el.tagName === "TEXTAREA" || el.hasAttribute("data-reset")) el.value = "";
        if (el.type === "checkbox") el.checked = false;
      });
      var first = form.querySelector("input[type=text], input:not([type]), textarea");
      if (first && form.contains(document.activeElement)) first.focus();
    }
    var details = form.hasAttribute("data-edit") && form.closest("details");
    if (details) details.open = false;
    var orphan = form.closest(".is-orphan"); // restored by the server: its new row is pushed
    if (orphan) orphan.remove();
    if (typed || (statusBox && statusBox.dataset.state === "retrying")) setStatus(form, "saved", "Sparat");
    if (message) say(message);
  }

  function conflict(form, message) {
    form.removeAttribute("data-dirty");
    var details = form.closest("details");
    if (details) details.open = false;
    setStatus(form, "conflict", "Konflikt – båda texterna finns kvar");
    say(message);
    showError(form, message);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.method === "post" && root.contains(form) && !form.elements.csrfmiddlewaretoken) {
      // What the stream brings is shared by every viewer of the kind: it carries no token.
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = root.dataset.csrf;
      form.appendChild(token);
    }
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
      var button = form && form.querySelector("button");
      if (!form || (button && button.disabled)) return;
      event.preventDefault();
      send(form, null);
    });
  }

  // Text the server put in (a prepared answer taken in to edit) is the user's to save.
  document.querySelectorAll("form[data-new]").forEach(function (form) { if (typedValues(form)) markDirty(form); });
  restoreDrafts();
  soundButtons();
  tick();
  setInterval(tick, 250);
})();
