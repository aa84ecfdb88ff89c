// Answering a questionnaire: show a question only when its trigger has one of the
// answers it depends on (data-condition-on = the trigger's field name,
// data-condition-values = the input values that show it). The server applies the same
// rule on every render; without JavaScript the page still works through saving.
(function () {
  "use strict";
  var form = document.querySelector("form.answer-form");
  if (!form) {
    return;
  }


  function picked(name) {
    var values = [];
    form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value) {
        values.push(input.value);
      }
    });
    return values;
  }

  function refresh() {
    form.querySelectorAll("[data-condition-on]").forEach(function (question) {
      var trigger = form.querySelector("#" + question.dataset.conditionOn + "-question");
      var wanted = question.dataset.conditionValues.split(" ");
      var shown = (!trigger || !trigger.hidden) && picked(question.dataset.conditionOn).some(function (value) {
        return wanted.indexOf(value) !== -1;
      });
      question.hidden = !shown;
    });
  }

  form.addEventListener("change", refresh);

  // After a refused sending, take keyboard and screen reader users to the summary.
  var summary = document.getElementById("erreurs");
  if (summary) {
    summary.focus();
  }
})();
