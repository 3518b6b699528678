// Running sum for the four-perspective split: shows whether the numbers reach 100 %.
(function () {
  "use strict";
  var total = document.getElementById("split-total");
  if (!total) return;
  var inputs = Array.prototype.slice.call(document.querySelectorAll("input[data-split]"));
  var out = total.querySelector("[data-total]");
  var hint = total.querySelector("[data-hint]");
  function update() {
    var sum = 0;
    inputs.forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (!isNaN(value)) sum += value;
    });
    out.textContent = String(sum);
    total.classList.toggle("is-right", sum === 100);
    total.classList.toggle("is-wrong", sum !== 100);
    hint.textContent = "(" + total.getAttribute(sum === 100 ? "data-right" : "data-wrong") + ")";
  }
  inputs.forEach(function (input) { input.addEventListener("input", update); });
})();
