/* The note-taker's page: fields that grow with the text, Enter saves (Shift+Enter: new line),
   "Ta in och ändra" fills the step's row with a prepared answer, and a refusal shows at the
   row it concerns rather than at the top of the page. Saving itself is live.js's. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root) return;
  var grows = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");

  function grow(field) {
    if (grows || !field || field.tagName !== "TEXTAREA") return;
    field.style.height = "auto";
    field.style.height = field.scrollHeight + 2 + "px";
  }
  function growAll() { root.querySelectorAll("textarea[data-grow]").forEach(grow); }

  document.addEventListener("input", function (event) {
    if (event.target.matches("textarea[data-grow]")) grow(event.target);
  });

  // Enter saves, as in a one-line field; Shift+Enter starts a new line in the text.
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    if (!field.matches || !field.matches("textarea[data-grow]")) return;
    var form = field.closest("form[data-live-form]");
    if (!form) return;
    event.preventDefault();
    form.requestSubmit();
  });

  // "Ta in och ändra": live.js puts the text in the row; this says which answer it is and
  // whose, so that saving takes that answer in (once) under the right name.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-prefill]");
    if (!link) return;
    var form = document.querySelector('[data-live-item="' + CSS.escape(link.dataset.target) + '"]');
    if (!form) return;
    if (form.elements.prepared) {
      form.elements.prepared.value = link.dataset.answer || "";
      remember(form);
    }
    var who = form.elements.participation;
    if (who && link.dataset.who) { who.value = link.dataset.who; who.setAttribute("data-touched", "1"); }
    if (form.elements.text) grow(form.elements.text);
    if (form.elements.reason) grow(form.elements.reason);
  });

  // Which prepared answer a row's draft is, so that text kept as a draft (the step moved on
  // before it was saved) still takes that answer in when it is saved, and only once.
  function preparedKey(form) { return "samtal-forberett-" + form.dataset.draft; }
  function remember(form) {
    try { localStorage.setItem(preparedKey(form), form.elements.prepared.value); } catch (e) { /* off */ }
  }
  function restorePrepared() {
    root.querySelectorAll("form[data-draft]").forEach(function (form) {
      var field = form.elements.prepared;
      if (!field) return;
      var stored = localStorage.getItem(preparedKey(form));
      if (form.hasAttribute("data-dirty")) {
        if (field.value && field.value !== stored) remember(form);
        else if (!field.value && stored) field.value = stored;
      } else if (!field.value && stored) {
        localStorage.removeItem(preparedKey(form)); // saved, or emptied
      }
    });
  }

  // A refusal for a button in a row (or an editor that closed) shows beside that row.
  var lastForm = null;
  document.addEventListener("submit", function (event) {
    lastForm = event.target;
    restorePrepared(); // before live.js sends the row
  }, true);
  var pageError = document.querySelector("[data-live-error]");
  function rowOf(form) {
    return form && form.isConnected && (form.closest("li[data-live-item]") || form.closest("[data-live-item]"));
  }
  if (pageError && window.MutationObserver) {
    new MutationObserver(function () {
      var message = pageError.textContent.trim();
      var row = rowOf(lastForm);
      if (!message || !row) return;
      var alert = row.querySelector(":scope > .row-alert");
      if (!alert) {
        alert = document.createElement("p");
        alert.className = "row-alert";
        alert.setAttribute("role", "alert");
        alert.setAttribute("data-form-status", ""); // a live update leaves it in place
        row.appendChild(alert);
      }
      alert.textContent = message;
      pageError.textContent = "";
      setTimeout(function () { if (alert.textContent === message) alert.remove(); }, 20000);
    }).observe(pageError, { childList: true, characterData: true, subtree: true });
  }

  // Text put in by a live update, a restored draft or a save that emptied the row.
  document.body.addEventListener("htmx:sseMessage", function () { restorePrepared(); growAll(); });
  document.addEventListener("focusin", function (event) { grow(event.target); });
  if (!grows) setInterval(growAll, 1000);
  restorePrepared();
  growAll();
})();
