// Small helpers for the portal's pages; no framework.
(function () {
  "use strict";
  // dd/mm/yyyy fields: type digits, the slashes come by themselves.
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (!el.classList || !el.classList.contains("js-date") || event.inputType === "deleteContentBackward") return;
    var digits = el.value.replace(/\D/g, "").slice(0, 8);
    var out = digits.slice(0, 2);
    if (digits.length > 2) out += "/" + digits.slice(2, 4);
    if (digits.length > 4) out += "/" + digits.slice(4);
    el.value = out;
  });
  // A form sends once: its submit buttons are disabled right after the first click (the
  // server's one-time token catches what gets through, e.g. the back button).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.method || form.method.toLowerCase() !== "post" || event.defaultPrevented || form.target) return;
    setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
  // File pickers labelled in Vietnamese: show the chosen file's name beside the button.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el.classList || !el.classList.contains("portal-file-input")) return;
    var label = el.parentNode.querySelector(".portal-file-name");
    if (label) label.textContent = el.files && el.files.length ? el.files[0].name : label.dataset.empty || label.textContent;
  });
})();
// Behaviour that used to sit in inline attributes (the Content-Security-Policy forbids those):
// <select data-autosubmit> submits its form on change; <a data-history-back> goes back.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-history-back]");
    if (!link) return;
    event.preventDefault();
    if (window.history.length > 1) window.history.back();
    else window.location.href = "/";
  });
})();
// Searchable multi-select: <select multiple data-searchable> (core.widgets.SearchableSelectMultiple)
// becomes a type-to-filter list of checkboxes with chips of the chosen items. The select stays
// in the form (hidden) and holds the value, so the form posts exactly what it did before; without
// JavaScript the plain select is shown. Filtering ignores accents and case ("nguyen van" finds
// "Nguyễn Văn"); every word typed must start a word of the name, in any order.
(function () {
  "use strict";
  function fold(text) {
    return String(text || "").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  }
  function matches(haystack, words) {
    var padded = " " + haystack;
    return words.every(function (w) { return padded.indexOf(" " + w) !== -1; });
  }
  var serial = 0;

  function enhance(select) {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    serial += 1;
    var base = (select.id || "ms" + serial) + "-ms";
    var d = select.dataset;
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    var labelText = label ? label.textContent.replace(/\*\s*$/, "").trim() : "";

    var box = document.createElement("div");
    box.className = "portal-ms" + (select.classList.contains("is-invalid") ? " is-invalid" : "");
    var chips = document.createElement("div");
    chips.className = "portal-ms-chips";
    chips.setAttribute("aria-live", "polite");
    var search = document.createElement("input");
    search.type = "search";
    search.id = base + "-q";
    search.className = "form-control form-control-sm portal-ms-search";
    search.placeholder = d.searchPlaceholder || "";
    search.autocomplete = "off";
    search.setAttribute("aria-controls", base + "-list");
    search.setAttribute("aria-describedby", base + "-count");
    if (!label) search.setAttribute("aria-label", d.searchLabel || "");
    var list = document.createElement("div");
    list.className = "portal-ms-list";
    list.id = base + "-list";
    list.setAttribute("role", "group");
    if (labelText) list.setAttribute("aria-label", labelText);
    var none = document.createElement("div");
    none.className = "portal-ms-none small text-muted px-2 py-1";
    none.textContent = d.noneLabel || "";
    none.hidden = true;
    var foot = document.createElement("div");
    foot.className = "portal-ms-foot small d-flex flex-wrap align-items-center gap-2";
    var count = document.createElement("span");
    count.id = base + "-count";
    count.className = "text-muted me-auto";
    var allButton = document.createElement("button");
    allButton.type = "button";
    allButton.className = "btn btn-link btn-sm p-0";
    allButton.textContent = d.allLabel || "";
    var clearButton = document.createElement("button");
    clearButton.type = "button";
    clearButton.className = "btn btn-link btn-sm p-0";
    clearButton.textContent = d.clearLabel || "";
    foot.append(count, allButton, clearButton);

    var rows = [];
    Array.prototype.forEach.call(select.options, function (option, index) {
      if (!option.value) return;
      var row = document.createElement("div");
      row.className = "form-check portal-ms-option";
      var cb = document.createElement("input");
      cb.type = "checkbox";
      cb.className = "form-check-input";
      cb.id = base + "-" + index;
      cb.checked = option.selected;
      cb.disabled = option.disabled || select.disabled;
      var text = document.createElement("label");
      text.className = "form-check-label";
      text.htmlFor = cb.id;
      text.textContent = option.textContent;
      row.append(cb, text);
      list.appendChild(row);
      rows.push({ option: option, checkbox: cb, row: row, folded: fold(option.textContent) });
      cb.addEventListener("change", function () {
        option.selected = cb.checked;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        render();
      });
    });
    list.appendChild(none);

    function visible() { return rows.filter(function (r) { return !r.row.hidden; }); }
    function render() {
      chips.textContent = "";
      var chosen = rows.filter(function (r) { return r.option.selected; });
      chosen.forEach(function (r) {
        var chip = document.createElement("span");
        chip.className = "badge portal-ms-chip";
        chip.appendChild(document.createTextNode(r.option.textContent));
        var x = document.createElement("button");
        x.type = "button";
        x.className = "btn-close btn-close-white ms-1";
        x.setAttribute("aria-label", (d.removeLabel || "×") + ": " + r.option.textContent);
        x.addEventListener("click", function () {
          r.option.selected = false;
          r.checkbox.checked = false;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          render();
          search.focus();
        });
        chip.appendChild(x);
        chips.appendChild(chip);
      });
      count.textContent = (d.chosenLabel || "%(n)s / %(total)s").replace("%(n)s", chosen.length)
        .replace("%(total)s", rows.length);
    }
    function filter() {
      var words = fold(search.value).split(" ").filter(Boolean);
      var shown = 0;
      rows.forEach(function (r) {
        r.row.hidden = words.length > 0 && !matches(r.folded, words);
        if (!r.row.hidden) shown += 1;
      });
      none.hidden = shown > 0;
      rove(null);
    }
    // One tab stop for the whole list (the focused or first shown box); arrows move inside it.
    function rove(current) {
      var shown = visible();
      var keep = current || (shown.length ? shown[0].checkbox : null);
      rows.forEach(function (r) { r.checkbox.tabIndex = r.checkbox === keep ? 0 : -1; });
    }
    function setAll(on) {
      (on ? visible() : rows).forEach(function (r) {
        if (r.checkbox.disabled) return;
        r.option.selected = on;
        r.checkbox.checked = on;
      });
      select.dispatchEvent(new Event("change", { bubbles: true }));
      render();
    }
    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
      var shown = visible();
      if (event.key === "ArrowDown" && shown.length) {
        event.preventDefault();
        rove(shown[0].checkbox);
        shown[0].checkbox.focus();
      } else if (event.key === "Enter") {
        // Enter picks the first match instead of sending the form.
        event.preventDefault();
        if (shown.length && search.value.trim()) {
          if (!shown[0].checkbox.checked) shown[0].checkbox.click();
          search.value = "";
          filter();
        }
      } else if (event.key === "Escape" && search.value) {
        event.preventDefault();
        search.value = "";
        filter();
      }
    });
    list.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Escape") return;
      var shown = visible();
      var at = shown.findIndex(function (r) { return r.checkbox === document.activeElement; });
      event.preventDefault();
      if (event.key === "Escape" || (event.key === "ArrowUp" && at <= 0)) { search.focus(); return; }
      var next = shown[Math.min(shown.length - 1, at + (event.key === "ArrowDown" ? 1 : -1))];
      if (next) { rove(next.checkbox); next.checkbox.focus(); }
    });
    allButton.addEventListener("click", function () { setAll(true); });
    clearButton.addEventListener("click", function () { setAll(false); });

    box.append(chips, search, list, foot);
    select.hidden = true;
    // A hidden control cannot show the browser's "required" bubble; the server says it instead.
    if (select.required) { select.required = false; search.setAttribute("aria-required", "true"); }
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.parentNode.insertBefore(box, select.nextSibling);
    if (label) label.htmlFor = search.id;
    render();
    rove(null);
  }
  function enhanceAll(root) {
    (root || document).querySelectorAll("select[multiple][data-searchable]").forEach(enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { enhanceAll(); });
  else enhanceAll();
  window.portalEnhanceSelects = enhanceAll;
})();
// Confirmation before an action that cannot be taken back (sending, forwarding, merging,
// deleting): data-confirm="…" on a <form> or on one of its submit buttons opens the page's
// <dialog id="portal-confirm"> (templates/base.html) with that text. {name} in the text is
// replaced by the chosen option (or value) of the form's field `name`, {count:name} by how many
// values of `name` the form sends. OK sends the form with confirmed=1 added — views that must
// not act on an unconfirmed post (deleting) show their own confirmation page without it.
(function () {
  "use strict";
  var dialog = document.getElementById("portal-confirm");

  function fieldsNamed(form, name) {
    return Array.prototype.filter.call(form.elements, function (el) { return el.name === name && !el.disabled; });
  }
  function countOf(form, name) {
    return fieldsNamed(form, name).reduce(function (n, el) {
      if (el.tagName === "SELECT") return n + Array.prototype.filter.call(el.options, function (o) { return o.selected && o.value; }).length;
      if (el.type === "checkbox" || el.type === "radio") return n + (el.checked ? 1 : 0);
      return n + (el.value ? 1 : 0);
    }, 0);
  }
  function valueOf(form, name) {
    var out = [];
    fieldsNamed(form, name).forEach(function (el) {
      if (el.tagName === "SELECT") {
        Array.prototype.forEach.call(el.options, function (o) { if (o.selected && o.value) out.push(o.textContent.trim()); });
      } else if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) out.push(el.dataset.confirmName || el.value);
      } else if (el.value) out.push(el.value);
    });
    return out.join(", ");
  }
  function messageFor(form, text) {
    return text.replace(/\{count:([\w-]+)\}/g, function (_m, name) { return String(countOf(form, name)); })
      .replace(/\{([\w-]+)\}/g, function (_m, name) { return valueOf(form, name) || "—"; });
  }
  function ask(options, onOk, returnFocus) {
    if (!dialog || typeof dialog.showModal !== "function") {
      if (window.confirm(options.text)) onOk();
      return;
    }
    var title = dialog.querySelector("[data-confirm-title]");
    var body = dialog.querySelector("[data-confirm-text]");
    var ok = dialog.querySelector("[data-confirm-ok]");
    title.textContent = options.title || title.dataset.default;
    body.textContent = options.text;
    ok.textContent = options.ok || ok.dataset.default;
    ok.className = "btn " + (options.danger ? "btn-danger" : "btn-primary");
    dialog.returnValue = "";
    dialog.onclose = function () {
      dialog.onclose = null;
      if (dialog.returnValue === "ok") onOk();
      else if (returnFocus) returnFocus.focus();
    };
    dialog.showModal();
    dialog.querySelector("[data-confirm-cancel]").focus();
  }
  if (dialog) {
    dialog.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-confirm-ok], button[data-confirm-cancel]");
      if (button) dialog.close(button.hasAttribute("data-confirm-ok") ? "ok" : "cancel");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    var source = submitter && submitter.hasAttribute("data-confirm") ? submitter : form;
    if (!source.hasAttribute || !source.hasAttribute("data-confirm") || form.dataset.confirmed === "1") return;
    event.preventDefault();
    event.stopImmediatePropagation();
    ask({
      text: messageFor(form, source.getAttribute("data-confirm")),
      title: source.getAttribute("data-confirm-title"),
      ok: source.getAttribute("data-confirm-ok"),
      danger: source.hasAttribute("data-confirm-danger")
    }, function () {
      if (!form.querySelector('input[name="confirmed"]')) {
        var flag = document.createElement("input");
        flag.type = "hidden";
        flag.name = "confirmed";
        flag.value = "1";
        form.appendChild(flag);
      }
      form.dataset.confirmed = "1";
      if (submitter && form.requestSubmit) form.requestSubmit(submitter);
      else if (form.requestSubmit) form.requestSubmit();
      else form.submit();
      delete form.dataset.confirmed;
    }, submitter);
  }, true);
})();
