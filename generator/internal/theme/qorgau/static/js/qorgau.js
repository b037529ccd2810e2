// Quick exit: the button and Shift pressed three times leave the page at
// once. location.replace keeps this page out of the Back button's path.
(function () {
  "use strict";
  var box = document.querySelector(".quick-exit");
  var link = document.querySelector(".quick-exit-button");
  if (!box || !link) return;
  var status = box.querySelector("[data-exit-status]");
  function leave(e) {
    if (e) e.preventDefault();
    document.documentElement.classList.add("exiting");
    document.title = "";
    if (status) status.textContent = box.getAttribute("data-exiting");
    window.location.replace(link.href);
  }
  document.querySelectorAll("[data-quick-exit]").forEach(function (a) {
    a.addEventListener("click", leave);
  });
  var presses = 0, last = 0;
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Shift" || e.repeat) { if (e.key !== "Shift") presses = 0; return; }
    var now = Date.now();
    presses = now - last > 5000 ? 1 : presses + 1;
    last = now;
    if (presses >= 3) { leave(); return; }
    if (status) status.textContent = box.getAttribute("data-shift-" + (3 - presses));
  });
})();
