// Staged import page: while the batch runs, poll its progress once a second and move the bar and the counts;
// when it ends, reload the page to show the report. Undo asks for confirmation first.
(function () {
  "use strict";
  var panel = document.querySelector("[data-batch-progress]");
  if (panel && panel.getAttribute("data-active") === "1") {
    var url = panel.getAttribute("data-batch-progress");
    var bar = panel.querySelector("[data-progress-bar]");
    var percent = panel.querySelector("[data-progress-percent]");
    var status = document.querySelector("[data-batch-status]");
    var format = new Intl.NumberFormat(document.documentElement.lang || undefined);
    var poll = function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { window.setTimeout(poll, 3000); return; }
          bar.value = data.percent;
          bar.textContent = data.percent + "%";
          percent.textContent = data.percent + "%";
          if (status) { status.textContent = data.status_label; }
          ["added", "updated", "skipped", "rejected"].forEach(function (name) {
            var cell = panel.querySelector('[data-count="' + name + '"]');
            if (cell) { cell.textContent = format.format(data[name]); }
          });
          if (data.active) { window.setTimeout(poll, 1000); } else { window.location.reload(); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 500);
  }
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
