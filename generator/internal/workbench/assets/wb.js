// The workbench's small enhancements; every form works without them.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var L = document.documentElement.lang;
  var words = {
    en: ["Add a row", "Remove", "Move up", "Move down"],
    ru: ["Добавить строку", "Убрать", "Выше", "Ниже"],
    kk: ["Жол қосу", "Алып тастау", "Жоғары", "Төмен"]
  }[L] || ["Add a row", "Remove", "Move up", "Move down"];
  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");
  document.body.appendChild(live);

  function button(text, fn) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.addEventListener("click", fn);
    return b;
  }
  function controls(row) {
    var box = document.createElement("span");
    box.className = "row-controls";
    box.appendChild(button(words[2], function () {
      if (row.previousElementSibling && row.previousElementSibling.classList.contains("row")) {
        row.parentNode.insertBefore(row, row.previousElementSibling);
        live.textContent = words[2];
      }
    }));
    box.appendChild(button(words[3], function () {
      var next = row.nextElementSibling;
      if (next && next.classList.contains("row")) {
        row.parentNode.insertBefore(next, row);
        live.textContent = words[3];
      }
    }));
    box.appendChild(button(words[1], function () {
      var set = row.parentNode;
      row.remove();
      live.textContent = words[1];
      var first = set.querySelector("input, select");
      if (first) first.focus();
    }));
    row.appendChild(box);
  }
  document.querySelectorAll("[data-rows]").forEach(function (set) {
    var rows = set.querySelectorAll(".row");
    var template = rows[rows.length - 1].cloneNode(true);
    rows.forEach(controls);
    set.appendChild(button(words[0], function () {
      var row = template.cloneNode(true);
      row.querySelectorAll("input").forEach(function (i) { i.value = ""; });
      set.insertBefore(row, this);
      controls(row);
      row.querySelector("input").focus();
    }));
  });

  var body = document.querySelector("[data-markdown]");
  var tools = document.querySelector("[data-tools]");
  if (!body || !tools) return;
  tools.hidden = false;
  function wrap(before, after, placeholder) {
    var s = body.selectionStart, e = body.selectionEnd;
    var text = body.value.slice(s, e) || placeholder;
    body.setRangeText(before + text + after, s, e, "end");
    body.focus();
  }
  function lineStart(prefix) {
    var s = body.selectionStart;
    var at = body.value.lastIndexOf("\n", s - 1) + 1;
    body.setRangeText(prefix, at, at, "end");
    body.focus();
  }
  var actions = {
    heading: function () { lineStart("## "); },
    list: function () { lineStart("- "); },
    link: function () { wrap("[", "](https://)", "text"); },
    callout: function () { lineStart("> [!IMPORTANT]\n> "); }
  };
  tools.querySelectorAll("[data-md]").forEach(function (b) {
    b.addEventListener("click", function () { actions[b.dataset.md](); });
  });
  var pick = tools.querySelector("[data-insert-link]");
  pick.addEventListener("change", function () {
    if (!pick.value) return;
    var title = pick.options[pick.selectedIndex].text;
    wrap("[", "](" + pick.value + ")", title);
    pick.value = "";
  });
  body.addEventListener("keydown", function (ev) {
    if (!(ev.ctrlKey || ev.metaKey) || !ev.altKey) return;
    var key = { "2": "heading", "l": "list", "k": "link", "i": "callout" }[ev.key.toLowerCase()];
    if (key) { ev.preventDefault(); actions[key](); }
  });
});
