// A matching run computes in the background: while it is going, the page
// reloads itself every few seconds until the results (or the failure) show.
// Without scripts the «Обновить» link does the same by hand.
(function () {
  var status = document.querySelector("[data-refresh-seconds]");
  if (status) {
    setTimeout(function () {
      window.location.reload();
    }, Number(status.dataset.refreshSeconds) * 1000);
  }
})();
