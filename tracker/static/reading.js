// Readings typed for you: while a name is typed with a Japanese input method, the kana of
// each composition (before it is converted to kanji) is added to the name's reading field,
// in that field's script. The reading stays editable; once it holds anything the user typed
// (or the page came with), it is left alone. Without this script the fields are plain.
(function () {
  "use strict";
  var KANA = /^[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe\s\u3000]+$/;
  var ROMAJI_TAIL = /[A-Za-z']+$/;

  function hiragana(text) {
    return text.replace(/[\u30a1-\u30f6\u30fd\u30fe]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0x60);
    });
  }

  function katakana(text) {
    return text.replace(/[\u3041-\u3096\u309d\u309e]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) + 0x60);
    });
  }

  function setUp(name) {
    var reading = document.getElementById(name.dataset.readingField);
    if (!reading) { return; }
    var convert = reading.dataset.kana === "katakana" ? katakana : hiragana;
    // What this script put in the reading; null once the reading is the user's own.
    var filled = reading.value ? null : "";
    var kana = "";

    function ours() { return filled !== null && reading.value === filled; }

    function put(value) {
      reading.value = filled = value;
      reading.dispatchEvent(new Event("input", { bubbles: true }));
    }

    name.addEventListener("compositionstart", function () { kana = ""; });
    name.addEventListener("compositionupdate", function (event) {
      // Romaji input shows the letters of the next kana until it is complete (さとu).
      var text = (event.data || "").replace(ROMAJI_TAIL, "");
      if (text && KANA.test(text)) { kana = text; }
    });
    name.addEventListener("compositionend", function (event) {
      var committed = event.data || "";
      var add = KANA.test(committed) ? committed : kana;
      kana = "";
      if (!committed || !add || !ours()) { return; }
      put(reading.value + convert(add.replace(/[\s\u3000]+/g, "")));
    });
    name.addEventListener("input", function (event) {
      if (!name.value && ours() && !event.isComposing) { put(""); }
    });
    reading.addEventListener("input", function () {
      if (reading.value !== filled) { filled = reading.value ? null : ""; }
    });
  }

  document.querySelectorAll("[data-reading-field]").forEach(setUp);
})();
