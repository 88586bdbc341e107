// Small enhancements; every page works without them.
// Contact pickers: show matches while typing, and pick them without reloading the page.
(function () {
  "use strict";

  function setUpPicker(picker) {
    var query = picker.querySelector("[data-picker-query]");
    var find = picker.querySelector("[data-picker-find]");
    var options = picker.querySelector("[data-picker-options]");
    var status = picker.querySelector("[data-picker-status]");
    var name = picker.dataset.name;
    var multiple = picker.dataset.multiple === "true";
    var timer = null;
    if (!query || !find || !options) { return; }

    function present(id) {
      return options.querySelector('input[value="' + String(id) + '"]') !== null;
    }

    function addOption(item) {
      if (present(item.id)) { return; }
      var empty = options.querySelector("[data-picker-empty]");
      if (empty) { empty.remove(); }
      var label = document.createElement("label");
      label.className = "check";
      var input = document.createElement("input");
      input.type = multiple ? "checkbox" : "radio";
      input.name = name;
      input.value = String(item.id);
      input.id = name + "-found-" + String(item.id);
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + item.label));
      options.appendChild(label);
    }

    function search() {
      var text = query.value.trim();
      if (!text) { return; }
      fetch(picker.dataset.lookup + "?q=" + encodeURIComponent(text), {
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : [];
      }).then(function (items) {
        items.forEach(addOption);
        if (status) {
          status.textContent = items.length ? picker.dataset.foundText : picker.dataset.noneText;
        }
      }).catch(function () { /* the Find button still works */ });
    }

    find.addEventListener("click", function (event) {
      event.preventDefault();
      search();
    });
    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        search();
      }
    });
    query.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250);
    });
    // On a slow connection the page can be typed into before this script arrives: what is
    // already in the box is looked up now, as if it had just been typed.
    if (query.value.trim()) { search(); }
  }

  document.querySelectorAll("[data-picker]").forEach(setUpPicker);
})();

// The event form: suggest the series from the name as it is typed (the name without its
// dates and numbers), until the series is edited by hand; a series the event already had is
// the user's own and is never replaced.
(function () {
  "use strict";
  var block = document.querySelector("[data-series]");
  var form = block && block.closest("form");
  var name = form && form.querySelector("input[name=name]");
  var series = block && block.querySelector("input[name=series]");
  if (!name || !series) { return; }
  var suggested = block.hasAttribute("data-series-own") ? null : series.value;
  var timer = null;
  series.addEventListener("input", function () { suggested = null; });
  name.addEventListener("input", function () {
    if (suggested === null || series.value !== suggested) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      fetch(block.dataset.suggest + "?name=" + encodeURIComponent(name.value), {
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (found) {
        if (found && suggested !== null && series.value === suggested) {
          series.value = found.series;
          suggested = found.series;
        }
      }).catch(function () { /* the field can still be filled by hand */ });
    }, 250);
  });
})();

// A contact method's value gets the keyboard of its kind (email, phone, web) when the kind
// changes; the page already renders each row's value with its kind's type.
(function () {
  "use strict";
  var TYPES = { email: ["email", "email"], phone: ["tel", "tel"], url: ["url", "url"] };
  document.querySelectorAll("[data-method-row]").forEach(function (row) {
    var kind = row.querySelector("select");
    var value = row.querySelector("input[name$='-value']");
    if (!kind || !value) { return; }
    kind.addEventListener("change", function () {
      var type = TYPES[kind.value] || ["text", "text"];
      value.type = type[0];
      value.inputMode = type[1];
    });
  });
})();
