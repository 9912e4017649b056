// A page whose work runs in the background (a batch of documents) reloads
// itself every data-refresh seconds until the work is over; the server stops
// sending data-refresh then. A file, not an inline script: the CSP says so.
(function () {
  var holder = document.querySelector("[data-refresh]");
  if (!holder) {
    return;
  }
  var seconds = parseInt(holder.dataset.refresh, 10) || 3;
  window.setTimeout(function () {
    window.location.reload();
  }, seconds * 1000);
})();
