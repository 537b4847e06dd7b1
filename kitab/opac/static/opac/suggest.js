/* Search-as-you-type for inputs with data-suggest-url: an ARIA 1.2 combobox (input + listbox).
   Up/Down move through the suggestions (aria-activedescendant), Enter opens the chosen one, Escape closes the
   list, and typing goes on as usual; without JavaScript the search box works as a plain form. */
(function () {
  "use strict";
  var DELAY = 150;

  function setup(input) {
    var form = input.form;
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var listId = input.id + "-suggestions";
    var timer = null, active = -1, items = [], lastQuery = "", request = 0;

    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.dataset.suggestLabel || "");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.classList.add("has-suggestions");
    form.appendChild(list);
    form.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(suggestions) {
      list.textContent = "";
      items = suggestions.map(function (s, i) {
        var li = document.createElement("li");
        var kind = document.createElement("span");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.url = s.url;
        li.dir = "auto";
        kind.className = "suggestion-kind";
        kind.textContent = s.kind_label + ": ";
        li.appendChild(kind);
        li.appendChild(document.createTextNode(s.text));
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { window.location.href = s.url; });
        list.appendChild(li);
        return li;
      });
      active = -1;
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = input.dataset.suggestStatus || "";
      } else {
        close();
        status.textContent = "";
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) { return; }
      lastQuery = query;
      if (query.length < 2) { show([]); return; }
      var mine = ++request;
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (mine === request) { show(data.suggestions || []); } })
        .catch(function () { if (mine === request) { show([]); } });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden && event.key === "ArrowDown" && items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        highlight(0);
        event.preventDefault();
        return;
      }
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") {
        highlight(active + 1 < items.length ? active + 1 : 0);
        event.preventDefault();
      } else if (event.key === "ArrowUp") {
        highlight(active > 0 ? active - 1 : items.length - 1);
        event.preventDefault();
      } else if (event.key === "Enter" && active >= 0) {
        window.location.href = items[active].dataset.url;
        event.preventDefault();
      } else if (event.key === "Escape") {
        close();
        event.preventDefault();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest-url]"), setup);
  });
})();
