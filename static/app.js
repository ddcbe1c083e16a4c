// Enhancement only: warn a minute before a shared-computer session ends for inactivity.
(function () {
  "use strict";
  var note = document.getElementById("idle-note");
  if (!note) { return; }
  var idle = parseInt(note.getAttribute("data-idle"), 10);
  window.setTimeout(function () {
    window.location.assign(note.getAttribute("data-expired"));
  }, (idle + 5) * 1000);
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

// Enhancement only: title suggestions under the search box, an ARIA 1.2 combobox. The form
// works without it; requests are debounced, cancelled when stale, cached and paused on 429.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch || !window.AbortController) { return; }
  var list = document.createElement("ul");
  var status = document.createElement("span");
  var items = [], active = -1, timer = 0, pending = null, pausedUntil = 0, cache = {};
  list.id = input.id + "-suggestions";
  list.className = "suggestions";
  list.hidden = true;
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.getAttribute("data-suggest-label"));
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  input.parentNode.appendChild(list);
  input.parentNode.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  function close() {
    list.hidden = true;
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function choose(index) {
    active = index;
    Array.prototype.forEach.call(list.children, function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    input.setAttribute("aria-activedescendant", list.children[index].id);
    list.children[index].scrollIntoView({block: "nearest"});
  }

  function show(query, suggestions) {
    if (input.value.trim() !== query || document.activeElement !== input) { return; }
    items = suggestions;
    list.textContent = "";
    suggestions.forEach(function (suggestion, i) {
      var option = document.createElement("li"), kind = document.createElement("span");
      option.id = list.id + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = suggestion.title + " ";
      kind.className = "meta";
      kind.textContent = suggestion.type;
      option.appendChild(kind);
      option.addEventListener("mousedown", function (event) { event.preventDefault(); });
      option.addEventListener("click", function () { window.location.assign(suggestion.url); });
      list.appendChild(option);
    });
    close();
    if (suggestions.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    status.textContent = suggestions.length ?
      input.getAttribute("data-suggest-status").replace("#", suggestions.length) : "";
  }

  function lookup() {
    var query = input.value.trim();
    if (pending) { pending.abort(); pending = null; }
    if (query.length < 2 || Date.now() < pausedUntil) { close(); return; }
    if (cache.hasOwnProperty(query)) { show(query, cache[query]); return; }
    pending = new AbortController();
    fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(query), {
      credentials: "same-origin", headers: {Accept: "application/json"}, signal: pending.signal
    }).then(function (response) {
      if (response.status === 429 || response.status === 503) {
        pausedUntil = Date.now() + 1000 * (parseInt(response.headers.get("Retry-After"), 10) || 30);
      }
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("application/json") !== 0) { throw new Error(type); }
      return response.json();
    }).then(function (answer) {
      cache[query] = answer.suggestions;
      show(query, answer.suggestions);
    }).catch(function () { return null; });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookup, 200);
  });
  input.addEventListener("keydown", function (event) {
    var open = !list.hidden && items.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) { lookup(); return; }
      var step = event.key === "ArrowDown" ? 1 : items.length - 1;
      choose(active < 0 ? (step === 1 ? 0 : items.length - 1) : (active + step) % items.length);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      window.location.assign(items[active].url);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
}());
