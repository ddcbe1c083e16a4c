// Enhancement only: warn a minute before a shared-computer session ends for inactivity.
(function () {
  "use strict";
  var note = document.getElementById("idle-note");
  if (!note) { return; }
  var idle = parseInt(note.getAttribute("data-idle"), 10);
  if (!(idle > 90)) { return; }
  window.setTimeout(function () {
    var warning = document.createElement("p");
    warning.className = "note warning";
    warning.setAttribute("role", "alert");
    warning.textContent = note.getAttribute("data-warning") + " ";
    var stay = document.createElement("button");
    stay.type = "button";
    stay.textContent = note.getAttribute("data-stay");
    stay.addEventListener("click", function () { window.location.reload(); });
    warning.appendChild(stay);
    note.parentNode.insertBefore(warning, note.nextSibling);
  }, (idle - 60) * 1000);
}());
