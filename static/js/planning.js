// Planning forms: a form marked data-once is sent once (a double click sends nothing more);
// a form with data-confirm asks first.
(function () {
  "use strict";
  // A file larger than allowed is refused before it is sent (the server checks again).
  function tooLarge(input) {
    var limit = parseInt(input.dataset.maxBytes, 10);
    return Array.prototype.some.call(input.files || [], function (file) { return file.size > limit; });
  }
  function showFileError(input) {
    var id = input.id + "_storlek";
    var error = document.getElementById(id);
    if (!tooLarge(input)) {
      if (error) { error.remove(); }
      input.removeAttribute("aria-invalid");
      return;
    }
    if (!error) {
      error = document.createElement("p");
      error.id = id;
      error.className = "field-error";
      error.setAttribute("role", "alert");
      input.insertAdjacentElement("beforebegin", error);
      input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + id).trim());
    }
    error.textContent = input.dataset.tooLarge;
    input.setAttribute("aria-invalid", "true");
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[type=file][data-max-bytes]")) {
      showFileError(event.target);
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var big = Array.prototype.filter.call(form.querySelectorAll("input[type=file][data-max-bytes]"), tooLarge);
    if (big.length) {
      event.preventDefault();
      showFileError(big[0]);
      big[0].focus();
      return;
    }
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute("data-once")) {
      if (form.dataset.sending) {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.setAttribute("aria-disabled", "true");
      });
    }
  });
  // Back from the next page (the browser's page cache): the forms can be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      delete form.dataset.sending;
      form.querySelectorAll("button[aria-disabled]").forEach(function (button) {
        button.removeAttribute("aria-disabled");
      });
    });
  });
  // A form sent back with errors: focus its error summary. The form's action ends in the
  // form's own anchor, and the browser's move to that anchor (after loading) takes focus
  // back to the page, so focus again once the page has loaded.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
    window.addEventListener("load", function () {
      setTimeout(function () {
        if (document.activeElement === document.body) { summary.focus(); }
      }, 0);
    });
  }
})();
