// Voters pages: similar-petition suggestions while typing, the keyboard intake form, and
// selecting petitions on the list. No framework.
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  // --- Similar petitions ---------------------------------------------------------------
  var list = document.getElementById("similar-list");
  var box = document.querySelector("textarea.js-similar");
  var holder = box && box.closest("[data-similar-url]");
  if (box && list && holder) {
    var url = holder.getAttribute("data-similar-url");
    var exclude = holder.getAttribute("data-exclude") || "";
    var lookup = debounce(function () {
      var text = box.value.trim();
      if (text.split(/\s+/).length < 2) { list.innerHTML = ""; return; }
      fetch(url + "?text=" + encodeURIComponent(text) + "&exclude=" + exclude, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          if (!data.results.length) {
            list.innerHTML = '<li class="list-group-item text-muted">' + escapeHtml(list.dataset.none || "—") + "</li>";
            return;
          }
          // Each suggestion opens in a new tab, and "Save, then merge with #n" saves this
          // petition and goes to its merge page with #n ticked (views.PetitionSaveMixin).
          var formId = holder.id;
          list.innerHTML = data.results.map(function (p) {
            return '<li class="list-group-item"><a href="' + escapeHtml(p.url) + '" target="_blank" rel="noopener" title="' +
              escapeHtml(list.dataset.openLabel || "") + '">#' + p.id + "</a> " + escapeHtml(p.content) +
              '<div class="text-muted">' + escapeHtml(p.received_on) + " · " + escapeHtml(p.status) +
              (p.locality ? " · " + escapeHtml(p.locality) : "") + " · " + Math.round(p.score * 100) + "%</div>" +
              (formId ? '<button type="submit" class="btn btn-sm btn-outline-primary mt-1 js-then-merge" form="' + formId +
                '" name="then_merge" value="' + p.id + '">' +
                escapeHtml((list.dataset.mergeLabel || "#%s").replace("%s", p.id)) + "</button>" : "") + "</li>";
          }).join("");
        });
    }, 300);
    box.addEventListener("input", lookup);
  }

  // --- Keyboard intake -----------------------------------------------------------------
  var form = document.getElementById("intake-form");
  if (form) {
    var content = document.getElementById("id_content");
    var status = document.getElementById("intake-status");
    var tbody = document.querySelector("#intake-table tbody");
    var count = document.getElementById("intake-count");
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      form.querySelectorAll("[data-error-for]").forEach(function (el) { el.textContent = ""; });
      form.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
      fetch(form.action || window.location.href, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (r) { return r.json(); }).then(function (data) {
        if (data.ok) {
          tbody.insertAdjacentHTML("beforeend", data.row);
          count.textContent = String(parseInt(count.textContent, 10) + 1);
          status.textContent = form.dataset.saved ? form.dataset.saved.replace("%s", data.id) : "#" + data.id + " ✓";
          content.value = "";
          form.querySelector("[name=locality]").value = "";
          form.querySelector("[name=is_urgent]").checked = false;
          if (list) list.innerHTML = "";
        } else {
          Object.keys(data.errors || {}).forEach(function (name) {
            var slot = form.querySelector('[data-error-for="' + name + '"]') ||
              form.querySelector('[data-error-for="content"]');
            slot.textContent = data.errors[name].join(" ");
            var input = form.querySelector('[name="' + name + '"]');
            if (input) input.classList.add("is-invalid");
          });
          status.textContent = "";
        }
        content.focus();
      });
    });
  }

  // --- Selecting petitions on the list -----------------------------------------------------
  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input.js-pick").forEach(function (cb) { cb.checked = all.checked; });
    });
  }
})();
