// Preparation: htmx autosaves the form as the participant types; this script keeps a copy of
// unsaved text in localStorage (so closing the tab or losing the connection loses nothing),
// shows whether the text is saved, retries when saving fails, and adds rows.
// Every save carries the revision the text was based on. When the preparation was saved from
// another device since, the server answers 409 with its text: both texts are then shown and
// the person chooses; autosave waits until then. A local copy is only put back into the
// fields on load when it was based on the revision the server still has.
(function () {
  "use strict";
  var form = document.getElementById("forberedelse");
  if (!form) { return; }
  var key = form.dataset.storageKey;
  var status = document.getElementById("sparstatus");
  var retryTimer = null;
  var pending = null;

  function revision() { return form.elements.namedItem("revision").value; }
  function values() {
    var out = {};
    form.querySelectorAll("textarea").forEach(function (field) { out[field.name] = field.value; });
    return out;
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function store() {
    try { localStorage.setItem(key, JSON.stringify({ values: values(), revision: revision(), at: Date.now() })); } catch (e) { /* storage full or blocked */ }
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

  // Before the first save the status tells that saving is automatic (without this script
  // it is not, and the page shows a Spara button instead).
  if (!status.textContent.trim() && form.dataset.msgIdle) { show("idle", form.dataset.msgIdle); }

  // Answer boxes grow with their text: CSS field-sizing where supported, else by height.
  if (!(window.CSS && CSS.supports && CSS.supports("field-sizing", "content"))) {
    var grow = function (field) {
      field.style.height = "auto";
      field.style.height = field.scrollHeight + 2 + "px";
    };
    form.querySelectorAll(".prep-row textarea").forEach(grow);
    form.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches(".prep-row textarea")) { grow(event.target); }
    });
  }

  form.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      addRow(button.dataset.addRow, true);
    });
  });

  function labelFor(name) {
    var label = form.querySelector('label[for="' + name + '"]');
    return label ? label.textContent.trim() : name;
  }
  function fieldFor(name) {
    var field = form.elements.namedItem(name);
    var guard = 0;
    while (!field && guard < 50) {
      guard += 1;
      if (!addRow(name.split("-")[0].slice(1), false)) { break; }
      field = form.elements.namedItem(name);
    }
    return field;
  }
  function inConflict() { return Boolean(form.dataset.conflict); }

  // The server's text after a 409: the person keeps theirs or takes the stored one.
  function conflictData() {
    var data = document.getElementById("konflikt-data");
    try { return data ? JSON.parse(data.textContent) : {}; } catch (e) { return {}; }
  }
  function resolveConflict(choice) {
    var panel = form.querySelector(".prep-conflict");
    if (!panel) { return; }
    var mine = values();
    if (choice === "theirs") {
      var stored = conflictData();
      form.querySelectorAll("textarea").forEach(function (field) { field.value = ""; });
      Object.keys(stored).forEach(function (name) {
        var field = fieldFor(name);
        if (field) { field.value = stored[name]; }
      });
    }
    form.elements.namedItem("revision").value = panel.dataset.revision;
    delete form.dataset.conflict;
    var slot = document.getElementById("konflikt");
    slot.innerHTML = "";
    if (choice === "theirs") {
      // What was typed here stays on the page, to copy from.
      var names = Object.keys(mine).filter(function (name) { return mine[name].trim(); });
      if (names.length) {
        var box = document.createElement("div");
        box.className = "prep-local prep-local--all";
        var heading = document.createElement("p");
        heading.className = "prep-local__heading";
        heading.textContent = form.dataset.msgMine;
        box.appendChild(heading);
        names.forEach(function (name) {
          var item = document.createElement("div");
          item.className = "prep-local__item";
          var label = document.createElement("p");
          label.className = "prep-local__label";
          label.textContent = labelFor(name);
          var text = document.createElement("p");
          text.className = "prep-local__text";
          text.textContent = mine[name];
          item.appendChild(label);
          item.appendChild(text);
          box.appendChild(item);
        });
        slot.appendChild(box);
      }
    }
    store();
    htmx.trigger(form, "samtal:save");
  }
  form.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-conflict]");
    if (button) {
      event.preventDefault();
      resolveConflict(button.dataset.conflict);
    }
  });

  form.addEventListener("input", function () {
    store();
    if (inConflict()) { return; }
    var current = status.querySelector("[data-state]");
    if (!current || current.dataset.state !== "unsaved") { show("unsaved", form.dataset.msgUnsaved); }
  });

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt !== form) { return; }
    if (inConflict()) {
      event.preventDefault(); // wait for the person's choice
      return;
    }
    pending = values();
    clearTimeout(retryTimer);
    show("saving", form.dataset.msgSaving);
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt !== form) { return; }
    if (event.detail.xhr && event.detail.xhr.status === 409) {
      // The meeting has started, or another device saved: the server's message says so.
      if (form.querySelector(".prep-conflict")) {
        form.dataset.conflict = "1";
        var heading = document.getElementById("konflikt-rubrik");
        if (heading) { heading.focus(); }
      }
      return;
    }
    if (event.detail.successful) {
      var state = status.querySelector("[data-state]");
      if (state && state.dataset.state === "saved" && same(pending, values())) { forget(); }
      else { store(); } // still unsaved text, now based on the new revision
      form.querySelectorAll("textarea").forEach(function (field) {
        var error = document.getElementById("fel-" + field.name);
        if (error && error.textContent.trim()) { field.setAttribute("aria-invalid", "true"); }
        else { field.removeAttribute("aria-invalid"); }
      });
      return;
    }
    show("offline", form.dataset.msgOffline);
    retryTimer = setTimeout(function () { htmx.trigger(form, "samtal:save"); }, 5000);
  });
  // A 409 carries a message (and, for a conflict, the stored text): show it.
  // (htmx:beforeSwap is fired on the target, so detail.elt is the status, not the form.)
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target === status && event.detail.xhr.status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  window.addEventListener("online", function () { htmx.trigger(form, "samtal:save"); });

  form.addEventListener("submit", function () { store(); });

  // A conflict shown by the page itself (sent without autosave): wait for the choice.
  if (form.querySelector(".prep-conflict")) { form.dataset.conflict = "1"; }

  // Next to a field: text from this device that was not saved, while the server's text has
  // changed since. Neither is thrown away; the person can take this one over.
  function showLocal(field, text) {
    var box = document.createElement("div");
    box.className = "prep-local";
    var heading = document.createElement("p");
    heading.className = "prep-local__heading";
    heading.textContent = form.dataset.msgLocal;
    var body = document.createElement("p");
    body.className = "prep-local__text";
    body.textContent = text;
    var use = document.createElement("button");
    use.type = "button";
    use.className = "button button--quiet button--small";
    use.textContent = form.dataset.msgLocalUse;
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " – " + labelFor(field.name);
    use.appendChild(hidden);
    use.addEventListener("click", function () {
      field.value = text;
      box.remove();
      field.focus();
      field.dispatchEvent(new Event("input", { bubbles: true }));
    });
    box.appendChild(heading);
    box.appendChild(body);
    box.appendChild(use);
    field.insertAdjacentElement("afterend", box);
  }

  // Text typed before the tab was closed but not saved: put it back and save it, when the
  // server has not changed since it was typed; otherwise show it beside the server's text.
  var backup = stored();
  if (backup && backup.values) {
    if (same(backup.values, values())) {
      forget();
    } else if (backup.revision === revision()) {
      Object.keys(backup.values).forEach(function (name) {
        var field = fieldFor(name);
        if (field) { field.value = backup.values[name]; }
      });
      show("unsaved", form.dataset.msgRestored);
      if (window.htmx) {
        setTimeout(function () { htmx.trigger(form, "samtal:save"); }, 50);
      }
    } else {
      var shown = 0;
      Object.keys(backup.values).forEach(function (name) {
        var text = backup.values[name];
        var field = form.elements.namedItem(name);
        if (!text.trim() || (field && field.value === text)) { return; }
        field = fieldFor(name);
        if (field) { showLocal(field, text); shown += 1; }
      });
      if (shown) { show("unsaved", form.dataset.msgLocalHint); }
    }
  }

  // The first real visit (link scanners do not run scripts) is what "opened" records.
  if (form.dataset.openedUrl && window.fetch) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.elements.namedItem("csrfmiddlewaretoken").value);
    fetch(form.dataset.openedUrl, { method: "POST", body: body, credentials: "same-origin" })
      .catch(function () { /* the next save records it */ });
  }
})();
