// A second click on «Подписать» must not send a second request; the server
// refuses it anyway («Приказ уже подписан»).
document.querySelectorAll("form.once").forEach(function (form) {
  form.addEventListener("submit", function () {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });
});
