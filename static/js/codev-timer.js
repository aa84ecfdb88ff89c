// The CODEV step timer: counts down to the end the server planned (data-ends-at), every
// second. Without JavaScript the page already says how many minutes are left.
(function () {
  "use strict";
  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }
  function tick(element, endsAt) {
    var left = Math.round((endsAt - Date.now()) / 1000);
    if (left >= 0) {
      element.textContent = Math.floor(left / 60) + ":" + pad(left % 60) + " restantes";
      element.classList.remove("text-danger");
    } else {
      left = -left;
      element.textContent = "Dépassé de " + Math.floor(left / 60) + ":" + pad(left % 60);
      element.classList.add("text-danger");
    }
  }
  document.querySelectorAll("[data-codev-timer]").forEach(function (element) {
    var endsAt = Date.parse(element.getAttribute("data-ends-at"));
    if (isNaN(endsAt)) return;
    tick(element, endsAt);
    window.setInterval(function () {
      tick(element, endsAt);
    }, 1000);
  });
})();
