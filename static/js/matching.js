// The matching form: each weight slider shows its value beside it, «7,5» as
// Russians write it.
document.querySelectorAll("input.weight").forEach(function (input) {
  var out = document.querySelector('output[for="' + input.id + '"]');
  var show = function () { out.textContent = input.value.replace(".", ","); };
  input.addEventListener("input", show);
  show();
});
