// Search box of the attendance sheet (templates/presences/sheet.html): filters the
// people as one types, on their name, e-mail, structure, fonction and collectif
// (« data-search », written by the server in lower case without accents), hides the cards left empty,
// and says in a live region how many people are shown. Without it, the form is sent
// and the server hides the same rows (« ?q= »).
(function () {
  "use strict";

  var DELAY = 250;

  function words(text) {
    return text
      .toLocaleLowerCase("fr")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .split(/\s+/)
      .filter(Boolean);
  }

  function announce(status, count) {
    status.textContent =
      count === 1 ? "1 personne affichée" : count + " personnes affichées";
  }

  function filter(form) {
    var input = form.querySelector("[data-sheet-search-input]");
    var status = form.querySelector("[data-sheet-search-status]");
    var wanted = words(input.value);
    var shown = 0;
    document.querySelectorAll("[data-sheet-people] [data-search]").forEach(function (row) {
      var text = row.getAttribute("data-search");
      var match = wanted.every(function (word) {
        return text.indexOf(word) !== -1;
      });
      row.hidden = !match;
      if (match) {
        shown += 1;
      }
    });
    document.querySelectorAll("[data-sheet-group]").forEach(function (group) {
      group.hidden = !group.querySelector("[data-search]:not([hidden])");
    });
    var empty = document.getElementById("recherche-vide");
    if (empty) {
      empty.hidden = true;
    }
    if (wanted.length) {
      announce(status, shown);
    } else {
      status.textContent = "";
    }
  }

  function start() {
    document.querySelectorAll("[data-sheet-search]").forEach(function (form) {
      var input = form.querySelector("[data-sheet-search-input]");
      var timer = null;
      input.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          filter(form);
        }, DELAY);
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        window.clearTimeout(timer);
        filter(form);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
