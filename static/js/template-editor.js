// The template editor: the minutes add up as they are typed, and steps move up and down
// (the "Ordning" fields follow, so the form works the same without this script).
(function () {
  "use strict";
  var form = document.querySelector("[data-template-editor]");
  if (!form) return;
  var list = form.querySelector("[data-steps]");
  var total = form.querySelector("[data-total-minutes]");

  function steps() {
    return Array.prototype.slice.call(list.querySelectorAll("[data-step]"));
  }

  function sum() {
    var minutes = 0;
    steps().forEach(function (step) {
      var deleted = step.querySelector("input[name$='-DELETE']");
      var input = step.querySelector("[data-minutes]");
      var value = parseInt(input && input.value, 10);
      if (!(deleted && deleted.checked) && value > 0) minutes += value;
    });
    total.textContent = String(minutes);
  }

  function renumber() {
    steps().forEach(function (step, index) {
      var order = step.querySelector("input[name$='-ORDER']");
      if (order) order.value = String(index + 1);
      var number = step.querySelector("[data-step-number]");
      if (number) number.textContent = String(index + 1);
    });
  }

  steps().forEach(function (step) {
    step.querySelectorAll("[data-move]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var up = button.getAttribute("data-move") === "up";
        var other = up ? step.previousElementSibling : step.nextElementSibling;
        if (!other) return;
        list.insertBefore(step, up ? other : other.nextElementSibling);
        renumber();
        button.focus();
      });
    });
  });
  form.addEventListener("input", sum);
  form.addEventListener("change", sum);
  sum();
})();
