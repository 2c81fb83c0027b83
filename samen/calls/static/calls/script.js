/* The call script's branches, as the caller answers: only the questions the answers so far lead
   to are shown (the server renders the same, a question at a time, without this file). */
(function () {
  "use strict";
  var box = document.querySelector("[data-script]");
  if (!box) { return; }
  var questions = {};
  var all = box.querySelectorAll("[data-question]");
  for (var i = 0; i < all.length; i++) { questions[all[i].getAttribute("data-question")] = all[i]; }

  function answer(question) {
    var checked = question.querySelector("input[type=radio]:checked");
    return checked ? checked.value : "";
  }

  function update() {
    var shown = {};
    var number = all.length ? "1" : "0";
    while (questions[number] && !shown[number]) {
      shown[number] = true;
      var given = answer(questions[number]);
      if (given !== "yes" && given !== "no") { break; }
      number = questions[number].getAttribute("data-" + given);
    }
    for (var key in questions) { questions[key].hidden = !shown[key]; }
  }

  var next = box.querySelector("[data-script-next]");
  if (next) { next.hidden = true; }
  box.addEventListener("change", update);
  update();
})();
