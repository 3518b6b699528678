// Preparation: htmx autosaves the form as the participant types; this script keeps a copy of
// unsaved text in localStorage (so closing the tab or losing the connection loses nothing),
// shows whether the text is saved, retries when saving fails, and adds rows.
(function () {
  "use strict";
  var form = document.getElementById("forberedelse");
  if (!form) { return; }
  var key = form.dataset.storageKey;
  var status = document.getElementById("sparstatus");
  var retryTimer = null;
  var pending = null;

  function values() {
    var out = {};
    form.querySelectorAll("textarea").forEach(function (field) { out[field.name] = field.value; });
    return out;
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function store() {
    try { localStorage.setItem(key, JSON.stringify({ values: values(), at: Date.now() })); } catch (e) { /* storage full or blocked */ }
  }
  function stored() {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function forget() { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }
  function show(state, text) {
    status.innerHTML = "";
    var span = document.createElement("span");
    span.dataset.state = state;
    span.textContent = text;
    status.appendChild(span);
  }

  function addRow(stepId, focus) {
    var list = form.querySelector('.prep-rows[data-step="' + stepId + '"]');
    var template = form.querySelector('template[data-row-template="' + stepId + '"]');
    if (!list || !template) { return null; }
    var next = 0;
    list.querySelectorAll("textarea").forEach(function (field) {
      var index = parseInt(field.name.split("-")[1], 10);
      if (index >= next) { next = index + 1; }
    });
    var html = template.innerHTML.split("__i__").join(String(next)).split("__n__").join(String(list.children.length + 1));
    list.insertAdjacentHTML("beforeend", html);
    var row = list.lastElementChild;
    if (window.htmx) { htmx.process(row); }
    if (focus) { row.querySelector("textarea").focus(); }
    return row;
  }

  form.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      addRow(button.dataset.addRow, true);
    });
  });

  form.addEventListener("input", function () {
    store();
    var current = status.querySelector("[data-state]");
    if (!current || current.dataset.state !== "unsaved") { show("unsaved", form.dataset.msgUnsaved); }
  });

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt !== form) { return; }
    pending = values();
    clearTimeout(retryTimer);
    show("saving", form.dataset.msgSaving);
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt !== form) { return; }
    if (event.detail.successful) {
      var state = status.querySelector("[data-state]");
      if (state && state.dataset.state === "saved" && same(pending, values())) { forget(); }
      form.querySelectorAll("textarea").forEach(function (field) {
        var error = document.getElementById("fel-" + field.name);
        if (error && error.textContent.trim()) { field.setAttribute("aria-invalid", "true"); }
        else { field.removeAttribute("aria-invalid"); }
      });
      return;
    }
    if (event.detail.xhr && event.detail.xhr.status === 409) {
      return; // the meeting has started: the server's message says so.
    }
    show("offline", form.dataset.msgOffline);
    retryTimer = setTimeout(function () { htmx.trigger(form, "samtal:save"); }, 5000);
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.elt === form && event.detail.xhr.status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  window.addEventListener("online", function () { htmx.trigger(form, "samtal:save"); });

  form.addEventListener("submit", function () { store(); });

  // Text typed before the tab was closed but not saved: put it back, then save it.
  var backup = stored();
  if (backup && backup.values) {
    if (same(backup.values, values())) {
      forget();
    } else {
      Object.keys(backup.values).forEach(function (name) {
        var field = form.elements.namedItem(name);
        var guard = 0;
        while (!field && guard < 50) {
          guard += 1;
          if (!addRow(name.split("-")[0].slice(1), false)) { break; }
          field = form.elements.namedItem(name);
        }
        if (field) { field.value = backup.values[name]; }
      });
      show("unsaved", form.dataset.msgRestored);
      if (window.htmx) {
        setTimeout(function () { htmx.trigger(form, "samtal:save"); }, 50);
      }
    }
  }
})();
