/* Shuniu's page behaviour, loaded with defer on every page (base.html). The Content-Security-Policy
   allows no inline script or style attribute, so what a template would have written inline is
   declared as data and applied here: on the first page load and on every htmx swap. */
(function () {
  "use strict";

  function setUp(root) {
    // Bootstrap tooltips are opt-in: show each badge's derivation on hover and focus.
    if (window.bootstrap) {
      root.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (element) {
        window.bootstrap.Tooltip.getOrCreateInstance(element);
      });
    }
    // Progress bars carry their width as data-progress (a percentage), set through the CSSOM,
    // which the policy allows, instead of a style attribute, which it does not.
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      var value = Math.min(100, Math.max(0, parseFloat(bar.dataset.progress) || 0));
      bar.style.width = value + "%";
    });
    // 常用语: the menu beside an opinion box is shown only where this script runs.
    root.querySelectorAll("[data-phrase-picker]").forEach(function (picker) {
      picker.hidden = false;
    });
  }

  // An irreversible step asks first: a form (or its approving button) carrying data-confirm shows
  // a dialog repeating what will happen; 确认办理 posts it with "confirmed". Without this script
  // the server shows the same question as a page (office/workflow/confirm.py).
  function confirmDialog(source, onConfirm) {
    var modal = document.createElement("div");
    modal.className = "modal fade";
    modal.tabIndex = -1;
    modal.setAttribute("data-testid", "confirm-dialog");
    var dialog = document.createElement("div");
    dialog.className = "modal-dialog modal-dialog-centered";
    var content = document.createElement("div");
    content.className = "modal-content";
    var header = document.createElement("div");
    header.className = "modal-header";
    var title = document.createElement("h2");
    title.className = "modal-title fs-5";
    title.textContent = source.dataset.confirmTitle || "";
    header.appendChild(title);
    var body = document.createElement("div");
    body.className = "modal-body";
    body.setAttribute("data-testid", "confirm-message");
    body.textContent = source.dataset.confirm;
    var footer = document.createElement("div");
    footer.className = "modal-footer";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "btn btn-outline-secondary";
    cancel.setAttribute("data-bs-dismiss", "modal");
    cancel.textContent = source.dataset.confirmCancel || "";
    var ok = document.createElement("button");
    ok.type = "button";
    ok.className = "btn btn-primary";
    ok.setAttribute("data-testid", "confirm-ok");
    ok.textContent = source.dataset.confirmOk || "";
    footer.appendChild(cancel);
    footer.appendChild(ok);
    content.appendChild(header);
    content.appendChild(body);
    content.appendChild(footer);
    dialog.appendChild(content);
    modal.appendChild(dialog);
    document.body.appendChild(modal);
    var instance = window.bootstrap.Modal.getOrCreateInstance(modal);
    ok.addEventListener("click", function () {
      instance.hide();
      onConfirm();
    });
    modal.addEventListener("hidden.bs.modal", function () {
      instance.dispose();
      modal.remove();
    });
    instance.show();
  }

  // A chosen 常用语 goes into its opinion box at the cursor (or replaces a selection).
  document.addEventListener("click", function (event) {
    var choice = event.target.closest && event.target.closest("[data-phrase]");
    var picker = choice && choice.closest("[data-phrase-picker]");
    var box = picker && document.getElementById(picker.dataset.phrasePicker);
    if (!box) {
      return;
    }
    event.preventDefault();
    var text = choice.dataset.phrase;
    var start = typeof box.selectionStart === "number" ? box.selectionStart : box.value.length;
    var end = typeof box.selectionEnd === "number" ? box.selectionEnd : box.value.length;
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    box.focus();
    box.selectionStart = box.selectionEnd = start + text.length;
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!window.bootstrap || !form || form.querySelector('input[name="confirmed"]')) {
      return;
    }
    var submitter = event.submitter || null;
    var source = submitter && submitter.dataset.confirm ? submitter : null;
    if (!source && !(submitter && submitter.hasAttribute("data-no-confirm")) && form.dataset.confirm) {
      source = form;
    }
    if (!source) {
      return;
    }
    event.preventDefault();
    confirmDialog(source, function () {
      var confirmed = document.createElement("input");
      confirmed.type = "hidden";
      confirmed.name = "confirmed";
      confirmed.value = "1";
      form.appendChild(confirmed);
      if (submitter && submitter.name) {
        var chosen = document.createElement("input");
        chosen.type = "hidden";
        chosen.name = submitter.name;
        chosen.value = submitter.value;
        form.appendChild(chosen);
      }
      form.submit();
    });
  });

  // Deferred scripts run after parsing, in order (bootstrap and htmx are already loaded).
  setUp(document);
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    if (target && target.querySelectorAll) {
      setUp(target.parentElement || target);
    }
  });
})();
