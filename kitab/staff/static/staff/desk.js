// Circulation desk helpers; every form works without this file.
(function () {
  "use strict";
  // A barcode scanner types fast and presses Enter: disable the scan form once it is sent so a second Enter
  // (or a double click) does not post the same form twice. The idempotency key would make it harmless anyway.
  document.querySelectorAll("form[data-scan-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
    });
  });
  // Back on the page after a scan: the barcode field is ready for the next one.
  var scan = document.querySelector("form[data-scan-form] input[name=barcode]");
  if (scan) {
    scan.focus();
    scan.select();
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
