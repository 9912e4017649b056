// Progress bars take their width from data-width (a percentage): the
// Content-Security-Policy forbids style="" attributes, while setting a style
// from a script file is allowed.
document.querySelectorAll(".progress-bar[data-width]").forEach(function (bar) {
  bar.style.width = bar.dataset.width + "%";
});
