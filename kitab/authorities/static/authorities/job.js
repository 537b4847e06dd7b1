// Heading update progress: poll the job's JSON every second while it runs; reload once it ends so the page
// shows the final state and the list of records that could not be changed.
(function () {
  "use strict";
  var box = document.querySelector(".job-progress");
  if (!box || box.dataset.active !== "1") return;
  var bar = document.getElementById("job-bar");
  function show(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
    box.querySelectorAll("[data-field]").forEach(function (el) {
      var value = data[el.dataset.field];
      if (value !== undefined) el.textContent = value;
    });
  }
  function poll() {
    fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        show(data);
        if (data.active) setTimeout(poll, 1000);
        else window.location.reload();
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
