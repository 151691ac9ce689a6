/* The pickers of every page form, over the plain controls the server renders (each works without
   JavaScript; office/org/forms.py and office/widgets.py):
   - select[data-picker]: a searchable Tom Select; a multiple unit picker offers the 常用组 from
     data-unit-groups; a person picker with data-unit-field offers only the people of the unit
     chosen in that field of the same form (the options' data-units), and with
     data-clearance-field only those cleared for the level chosen there (data-clearance);
   - input[type=date]: a Chinese flatpickr calendar showing 2026年12月2日, the form still
     submitting ISO yyyy-mm-dd;
   - input[type=file]: "选择文件" / "未选择文件" instead of the browser's own words.
   Run on the first load and after every htmx swap, like shuniu.js. */
(function () {
  "use strict";

  var english = (document.documentElement.lang || "").toLowerCase().indexOf("en") === 0;
  var TEXT = english
    ? { search: "Type to search…", searchBox: "Search", choices: "Choices", none: "No match", remove: "Remove", group: "Saved groups",
        groupOf: function (name, n) { return "Group: " + name + " (" + n + " units)"; },
        manage: "Manage saved groups", choose: "Choose files", empty: "No file chosen", date: "Pick a date" }
    : { search: "输入名称检索…", searchBox: "检索", choices: "可选项", none: "没有匹配的选项", remove: "移除", group: "常用组",
        groupOf: function (name, n) { return "常用组：" + name + "（" + n + "个单位）"; },
        manage: "管理常用组", choose: "选择文件", empty: "未选择文件", date: "选择日期" };
  var GROUP_PREFIX = "group:";
  var groupRequests = {};

  function unitGroups(url) {
    if (!groupRequests[url]) {
      groupRequests[url] = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { groups: [] }; })
        .then(function (body) { return body.groups || []; })
        .catch(function () { return []; });
    }
    return groupRequests[url];
  }

  // --- Tom Select -------------------------------------------------------------------------------

  function offerGroups(select, ts) {
    unitGroups(select.dataset.unitGroups).then(function (groups) {
      var usable = groups.map(function (group) {
        return { group: group, units: group.units.map(String).filter(function (id) { return ts.options[id]; }) };
      }).filter(function (entry) { return entry.units.length > 0; });
      if (!usable.length) { return; }
      ts.addOptionGroup("__groups", { label: TEXT.group });
      usable.forEach(function (entry) {
        ts.addOption({ value: GROUP_PREFIX + entry.group.id, text: TEXT.groupOf(entry.group.name, entry.units.length),
                       optgroup: "__groups", units: entry.units });
      });
      ts.refreshOptions(false);
    });
    ts.on("item_add", function (value) {
      if (String(value).indexOf(GROUP_PREFIX) !== 0) { return; }
      var option = ts.options[value];
      ts.removeItem(value, true);
      (option && option.units || []).forEach(function (id) { ts.addItem(id, true); });
      ts.setTextboxValue("");
      ts.refreshOptions(false);
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    if (select.dataset.unitGroupsPage) {
      var link = document.createElement("a");
      link.href = select.dataset.unitGroupsPage;
      link.className = "small unit-groups-link";
      link.textContent = TEXT.manage;
      link.dataset.testid = "unit-groups-link";
      ts.wrapper.insertAdjacentElement("afterend", link);
    }
  }

  function enhanceSelect(select) {
    if (!window.TomSelect || select.tomselect || select.disabled) { return; }
    var multiple = select.multiple;
    var plugins = multiple ? { remove_button: { title: TEXT.remove } } : {};
    if (!multiple && !select.required && select.querySelector('option[value=""]')) {
      plugins.clear_button = { title: TEXT.remove };
    }
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    var ts = new window.TomSelect(select, {
      plugins: plugins,
      maxOptions: null,
      searchField: ["text", "search"],  // the label, and the full and short names (data-search)
      hidePlaceholder: true,
      placeholder: TEXT.search,
      closeAfterSelect: !multiple,
      lockOptgroupOrder: true,
      render: { no_results: function () { return '<div class="no-results">' + TEXT.none + "</div>"; } },
    });
    // Tom Select points the label at its own search box; the label names the form's field (what
    // is submitted, what assistive technology and tests look up), and the box keeps its
    // aria-labelledby.
    if (label) { label.htmlFor = select.id; }
    // The search box and its list are described by the label rather than named by it, so that
    // the label names one control only (the field), as without JavaScript.
    var labelId = select.id + "-ts-label";
    if (ts.control_input) {
      ts.control_input.removeAttribute("aria-labelledby");
      ts.control_input.setAttribute("aria-label", TEXT.searchBox);
      if (document.getElementById(labelId)) { ts.control_input.setAttribute("aria-describedby", labelId); }
    }
    if (ts.dropdown_content) {
      ts.dropdown_content.removeAttribute("aria-labelledby");
      ts.dropdown_content.setAttribute("aria-label", TEXT.choices);
    }
    // A change made to the plain select itself (a script, a test) shows in the picker too.
    select.addEventListener("change", function () {
      var current = multiple ? Array.prototype.map.call(select.selectedOptions, function (o) { return o.value; })
        : select.value;
      if (String(current) !== String(ts.getValue())) { ts.sync(); }
    });
    if (multiple && select.dataset.unitGroups) { offerGroups(select, ts); }
  }

  // --- People of the chosen unit ----------------------------------------------------------------

  function chosenUnits(control) {
    if (!control) { return []; }
    if (control.tagName === "SELECT") {
      return Array.prototype.map.call(control.selectedOptions, function (o) { return o.value; })
        .filter(function (value) { return value; });
    }
    return control.value ? [control.value] : [];
  }

  // A person picker narrowed by other fields of its form: the unit chosen (data-unit-field, the
  // options' data-units) and the level chosen (data-clearance-field, the options' data-clearance).
  function linkPeople(select) {
    if (select.dataset.peopleLinked) { return; }
    var form = select.form;
    var unitControl = form && select.dataset.unitField ? form.elements.namedItem(select.dataset.unitField) : null;
    var levelControl = form && select.dataset.clearanceField ? form.elements.namedItem(select.dataset.clearanceField) : null;
    if (unitControl && unitControl.tagName !== "SELECT") { unitControl = null; }
    if (!unitControl && !levelControl) { return; }
    select.dataset.peopleLinked = "1";
    var all = Array.prototype.map.call(select.options, function (option) { return option.cloneNode(true); });

    function apply() {
      var units = chosenUnits(unitControl);
      var level = levelControl ? Number(levelControl.value || 0) : 0;
      var selected = Array.prototype.map.call(select.selectedOptions, function (o) { return o.value; });
      var keep = all.filter(function (option) {
        if (!option.value) { return true; }
        if (level && Number(option.dataset.clearance || 0) < level) { return false; }
        if (!units.length) { return true; }
        var own = (option.dataset.units || "").split(" ");
        return units.some(function (id) { return own.indexOf(id) >= 0; });
      });
      while (select.options.length) { select.remove(0); }
      keep.forEach(function (option) {
        var copy = option.cloneNode(true);
        copy.selected = selected.indexOf(copy.value) >= 0;
        select.add(copy);
      });
      if (select.tomselect) {
        select.tomselect.clearOptions(function () { return false; });
        select.tomselect.sync();
      }
    }
    [unitControl, levelControl].forEach(function (control) {
      if (control) { control.addEventListener("change", apply); }
    });
    if (chosenUnits(unitControl).length || (levelControl && levelControl.value)) { apply(); }
  }

  // --- Dates ------------------------------------------------------------------------------------

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // Typed dates are read in either form: 2026-12-02 or 2026年12月2日.
  function parseDay(text) {
    var match = /^\s*(\d{4})\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})\D?\s*$/.exec(text || "");
    if (!match) { return null; }
    var day = new Date(+match[1], +match[2] - 1, +match[3]);
    return day.getMonth() === +match[2] - 1 ? day : null;
  }

  function enhanceDate(input) {
    if (!window.flatpickr || input._flatpickr || input.disabled || input.readOnly) { return; }
    var id = input.id;
    var label = id ? document.querySelector('label[for="' + id + '"]') : null;
    var picker = window.flatpickr(input, {
      locale: (window.flatpickr.l10ns && window.flatpickr.l10ns.zh) || "default",
      dateFormat: "Y-m-d",
      altInput: true,
      altFormat: "Y年n月j日",
      altInputClass: input.className,
      allowInput: true,
      disableMobile: true,
      minDate: input.min || null,
      maxDate: input.max || null,
      parseDate: function (text) { return parseDay(text); },
      formatDate: function (day, format) {
        if (format === "Y-m-d") { return day.getFullYear() + "-" + pad(day.getMonth() + 1) + "-" + pad(day.getDate()); }
        return day.getFullYear() + "年" + (day.getMonth() + 1) + "月" + day.getDate() + "日";
      },
    });
    var shown = picker.altInput;
    if (!shown) { return; }
    shown.placeholder = input.placeholder || TEXT.date;
    shown.dataset.datepickerFor = input.name;
    if (id) {
      shown.id = id + "_picker";
      if (label) { label.htmlFor = shown.id; }
    }
    // The value submitted follows what is typed at once (without waiting for the box to blur).
    shown.addEventListener("input", function () {
      var day = parseDay(shown.value);
      input.value = day ? picker.formatDate(day, "Y-m-d") : shown.value ? input.value : "";
    });
  }

  // --- Files ------------------------------------------------------------------------------------

  function fileNames(input) {
    return Array.prototype.map.call(input.files || [], function (file) { return file.name; }).join("、");
  }

  function enhanceFile(input) {
    if (input.dataset.filePickerReady) { return; }
    input.dataset.filePickerReady = "1";
    var wrapper = input.closest("[data-file-picker]");
    if (!wrapper) {
      // A file box rendered without the shared widget: give it the same label and name list.
      wrapper = document.createElement("div");
      wrapper.className = "file-picker";
      wrapper.dataset.filePicker = "";
      input.parentNode.insertBefore(wrapper, input);
      wrapper.appendChild(input);
      if (!input.id) { input.id = "file-" + Math.random().toString(36).slice(2); }
      var button = document.createElement("label");
      button.className = "btn btn-outline-secondary btn-sm file-picker-button";
      button.htmlFor = input.id;
      button.textContent = TEXT.choose;
      var names = document.createElement("span");
      names.className = "file-picker-names small text-body-secondary";
      names.dataset.empty = TEXT.empty;
      names.textContent = TEXT.empty;
      wrapper.appendChild(button);
      wrapper.appendChild(names);
    }
    wrapper.classList.add("is-enhanced");
    var list = wrapper.querySelector(".file-picker-names");
    input.addEventListener("change", function () {
      if (list) { list.textContent = fileNames(input) || list.dataset.empty; }
    });
  }

  function setUp(root) {
    root.querySelectorAll("select[data-picker]").forEach(enhanceSelect);
    root.querySelectorAll("select[data-unit-field], select[data-clearance-field]").forEach(linkPeople);
    root.querySelectorAll('input[type="date"]').forEach(enhanceDate);
    root.querySelectorAll('input[type="file"]').forEach(enhanceFile);
  }

  setUp(document);
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    if (target && target.querySelectorAll) {
      setUp(target.parentElement || target);
    }
  });
})();
