/* The projector's key figures: Page Down / Page Up step through them, Esc goes back to the
   notes. The links work without this script; it only gives them keys. */
(function () {
  "use strict";
  if (window.samtalKeyfigures) return;
  window.samtalKeyfigures = true;
  var keys = { PageDown: "[data-keyfigure-next]", PageUp: "[data-keyfigure-prev]", Escape: "[data-keyfigure-close]" };
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
    if (event.target.closest("input, textarea, select")) return;
    var selector = keys[event.key];
    if (!selector) return;
    var link = document.querySelector(selector);
    if (!link) return;
    event.preventDefault();
    location.replace(link.href);
  });
})();
