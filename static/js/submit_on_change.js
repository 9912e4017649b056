// A filter that applies as soon as it is chosen (the form keeps a
// <noscript> button for browsers without scripts).
document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
