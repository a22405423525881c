/* Kinship's small page behaviours, in one file so the Content-Security-Policy can forbid inline
   scripts. Every page works without it; each behaviour starts only where its elements exist. */
(function () {
  "use strict";
  // Django's JavaScript catalogue (/jsi18n/) gives gettext and interpolate; without it, English.
  var _ = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\((\w+)\)s/g, function (m, k) { return obj[k]; });
  };

  // Sign-up: start from the browser's own time zone when it is one we know (the member can change it).
  function timezoneGuess() {
    var select = document.getElementById("id_timezone");
    if (!select || select.dataset.guessZone !== "1") return;
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone && select.querySelector('option[value="' + zone + '"]')) select.value = zone;
    } catch (e) { /* an old browser: keep the program's zone */ }
  }

  // Check-in: show the crisis resources the moment someone asks for support, before they submit.
  function crisisToggle() {
    var box = document.getElementById("crisis"), toggle = document.getElementById("id_need_support");
    if (!box || !toggle) return;
    function sync() { box.hidden = !toggle.checked; }
    // On a phone the box sits far above the box she ticked: bring it into view.
    function reveal() { if (toggle.checked) box.scrollIntoView({block: "start"}); }
    toggle.addEventListener("change", function () { sync(); reveal(); });
    sync();
    // Ticked while the page was still loading (before this script ran): show her the box too.
    if (toggle.checked && !toggle.defaultChecked) reveal();
  }

  // Attendance: a running count, and "everyone else was present".
  function attendanceSheet() {
    var form = document.getElementById("attendance-form");
    if (!form) return;
    var count = document.getElementById("recorded-count");
    var rows = form.querySelectorAll(".attendance-row");
    function update() {
      var done = Array.prototype.filter.call(rows, function (r) { return r.querySelector("input:checked"); }).length;
      if (count) count.textContent = interpolate(_("%(done)s of %(total)s recorded"), {done: done, total: rows.length}, true);
    }
    form.addEventListener("change", update);
    var rest = document.getElementById("rest-present");
    if (rest) rest.addEventListener("click", function () {
      rows.forEach(function (r) {
        if (!r.querySelector("input:checked")) { var p = r.querySelector("input[value=present]"); if (p) p.checked = true; }
      });
      update();
    });
  }

  // Copy buttons (the calendar feed link).
  function copyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var input = document.getElementById(button.dataset.copy);
        if (!input) return;
        input.select();
        if (navigator.clipboard) { navigator.clipboard.writeText(input.value); }
        button.textContent = button.dataset.copied || _("Copied");
      });
    });
  }

  // Group form: "every Tuesday and Thursday at 6:30 pm" as the schedule is picked.
  function schedulePreview() {
    var out = document.getElementById("schedule-preview");
    if (!out) return;
    var form = out.closest("form");
    var names = (out.dataset.days || [_("Sunday"), _("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"),
      _("Friday"), _("Saturday")].join(",")).split(",");
    var lang = document.documentElement.lang || "en";
    function fmt(t) {  // as the server writes it: "6:30 pm" in English, "18:30" in Spanish
      if (!t) return "";
      var p = t.split(":"), h = +p[0], m = p[1];
      if (lang.indexOf("es") === 0) return h + ":" + m;
      return (h % 12 || 12) + (m !== "00" ? ":" + m : "") + (h < 12 ? " am" : " pm");
    }
    function update() {
      var custom = form.querySelector("[name=custom_rrule]");
      if (custom && custom.value.trim()) { out.textContent = _("custom rule"); return; }
      var days = Array.prototype.filter.call(form.querySelectorAll("[name=days]"), function (c) { return c.checked; })
        .map(function (c) { return names[+c.value]; });
      var at = fmt(form.querySelector("[name=at]").value);
      if (!days.length || !at) { out.textContent = _("pick days and a time"); return; }
      var list = days.length === 1 ? days[0] : interpolate(_("%(days)s and %(last)s"),
        {days: days.slice(0, -1).join(", "), last: days[days.length - 1]}, true);
      var repeat = form.querySelector("[name=repeat]").value;
      var rule = {"1": _("Every %(days)s at %(time)s"), "2": _("Every other %(days)s at %(time)s")}[repeat] ||
        _("Every %(weeks)s weeks on %(days)s at %(time)s");
      out.textContent = interpolate(rule, {days: list, time: at, weeks: repeat}, true);
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  // Phones: the header shows the brand and "Menu"; the navigation opens under it.
  function siteMenu() {
    var header = document.querySelector(".site-header"), button = document.querySelector(".menu-toggle");
    if (!header || !button) return;
    button.hidden = false;
    header.classList.add("has-menu");
    button.addEventListener("click", function () {
      var open = header.classList.toggle("menu-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && header.classList.contains("menu-open")) {
        header.classList.remove("menu-open"); button.setAttribute("aria-expanded", "false"); button.focus();
      }
    });
  }

  // Wide tables scroll sideways inside .table-wrap: such a box must take keyboard focus to be
  // scrolled without a mouse (WCAG 2.1.1), and a region needs a name (its table's caption or the
  // heading before it).
  function scrollableTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.hasAttribute("tabindex")) return;
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      var caption = wrap.querySelector("caption"), heading = null, el = wrap;
      while (!heading && (el = el.previousElementSibling || (el.parentElement !== document.body && el.parentElement))) {
        if (/^H[1-6]$/.test(el.tagName)) heading = el;
        else if (el.querySelector) heading = el.querySelector("h1, h2, h3");
      }
      var name = (caption || heading || {}).textContent || _("Table");
      wrap.setAttribute("aria-label", name.trim());
    });
  }

  function start() {
    siteMenu(); scrollableTables(); timezoneGuess(); crisisToggle(); attendanceSheet(); copyButtons(); schedulePreview();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
