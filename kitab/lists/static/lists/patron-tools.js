// Progressive enhancements for the cart, lists and saved searches; every form works without this file.
(function () {
  // The name box of a new list only matters while "New list…" is chosen.
  function syncNewListName(select) {
    var form = select.form;
    if (!form) return;
    var input = form.querySelector(".new-list-name, .new-list-row input");
    var row = form.querySelector(".new-list-row") || input;
    if (!input) return;
    row.hidden = select.value !== "new";
    input.required = select.value === "new";
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".add-to-list select[name=list]").forEach(syncNewListName);
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.closest(".add-to-list")) syncNewListName(target);
  });
})();
