/* Kinship's small page behaviours, in one file so the Content-Security-Policy can forbid inline
   scripts. Every page works without it; each behaviour starts only where its elements exist. */
(function () {
  "use strict";

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
    toggle.addEventListener("change", sync);
    sync();
  }

  // Attendance: a running count, and "everyone else was present".
  function attendanceSheet() {
    var form = document.getElementById("attendance-form");
    if (!form) return;
    var count = document.getElementById("recorded-count");
    var rows = form.querySelectorAll(".attendance-row");
    var template = (count && count.dataset.template) || "{done} of {total} recorded";
    function update() {
      var done = Array.prototype.filter.call(rows, function (r) { return r.querySelector("input:checked"); }).length;
      if (count) count.textContent = template.replace("{done}", done).replace("{total}", rows.length);
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
        button.textContent = button.dataset.copied || "Copied";
      });
    });
  }

  // Group form: "every Tuesday and Thursday at 6:30 pm" as the schedule is picked.
  function schedulePreview() {
    var out = document.getElementById("schedule-preview");
    if (!out) return;
    var form = out.closest("form");
    var names = (out.dataset.days || "Sunday,Monday,Tuesday,Wednesday,Thursday,Friday,Saturday").split(",");
    function fmt(t) {
      if (!t) return "";
      var p = t.split(":"), h = +p[0], m = p[1];
      return (h % 12 || 12) + (m !== "00" ? ":" + m : "") + (h < 12 ? " am" : " pm");
    }
    function update() {
      var custom = form.querySelector("[name=custom_rrule]");
      if (custom && custom.value.trim()) { out.textContent = "custom rule"; return; }
      var days = Array.prototype.filter.call(form.querySelectorAll("[name=days]"), function (c) { return c.checked; })
        .map(function (c) { return names[+c.value]; });
      var at = fmt(form.querySelector("[name=at]").value);
      if (!days.length || !at) { out.textContent = "pick days and a time"; return; }
      var list = days.length === 1 ? days[0] : days.slice(0, -1).join(", ") + " and " + days[days.length - 1];
      var repeat = form.querySelector("[name=repeat]").value;
      var every = {"1": "Every", "2": "Every other"}[repeat] || ("Every " + repeat + " weeks on");
      out.textContent = every + " " + list + " at " + at;
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  function start() {
    timezoneGuess(); crisisToggle(); attendanceSheet(); copyButtons(); schedulePreview();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
