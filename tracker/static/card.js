// The card form names a person you may have already, while you type: it asks the app
// (/cards/duplicates) once the name, company, email or phone stop changing, and offers to
// log the card exchange with them instead. Without this script the app asks on save.
(function () {
  "use strict";
  var form = document.querySelector("form[data-duplicates]");
  if (!form) { return; }
  document.documentElement.classList.add("js");

  // Choosing a photo reads it at once (the Read button is for pages without this script).
  var read = form.querySelector("button[name=read]");
  var status = form.querySelector("[data-photo-status]");
  form.querySelectorAll("input[data-auto-read]").forEach(function (input) {
    input.addEventListener("change", function () {
      if (!input.files || !input.files.length || !read) { return; }
      if (status) { status.textContent = status.closest("[data-reading-text]").dataset.readingText; }
      if (form.requestSubmit) { form.requestSubmit(read); } else { read.click(); }
    });
  });

  if (!window.fetch) { return; }
  var box = form.querySelector("[data-duplicate-box]");
  var seen = form.querySelector("[data-seen-duplicate]");
  var NAMES = ["family_name", "given_name", "family_reading", "given_reading", "company",
               "email", "phone", "mobile"];
  var timer = null;
  var asked = "";

  function query() {
    var params = new URLSearchParams();
    NAMES.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && field.value.trim()) { params.append(name, field.value.trim()); }
    });
    return params.toString();
  }

  function show(found) {
    if (box.hasAttribute("data-from-server")) { return; }
    box.replaceChildren();
    seen.value = "";
    if (!found.length) { return; }
    var person = found[0];
    var line = document.createElement("p");
    var heading = document.createElement("strong");
    heading.textContent = box.dataset.heading;
    var link = document.createElement("a");
    link.href = person.url;
    link.textContent = person.text;
    line.append(heading, " ", link);
    var actions = document.createElement("div");
    actions.className = "actions";
    var touch = document.createElement("button");
    touch.type = "submit";
    touch.name = "touch_existing";
    touch.value = String(person.id);
    touch.className = "button button-primary";
    touch.textContent = box.dataset.touch;
    var other = document.createElement("span");
    other.className = "hint";
    other.textContent = box.dataset.new;
    actions.append(touch, other);
    box.append(line, actions);
    seen.value = String(person.id);
  }

  function check() {
    var wanted = query();
    if (wanted === asked) { return; }
    asked = wanted;
    if (!wanted) { show([]); return; }
    fetch(form.dataset.duplicates + "?" + wanted, {
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data && asked === wanted) { show(data.duplicates || []); }
    }).catch(function () { /* the app still asks on save */ });
  }

  form.addEventListener("input", function (event) {
    if (NAMES.indexOf(event.target.name) < 0) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 350);
  });
  check();
})();
