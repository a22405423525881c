/* A conversation page, live: new messages arrive over the WebSocket and the composer sends
   without reloading; "Seen" appears under one's messages when the others read them. Each time
   the socket opens (first, or again after a drop) the newest page of messages is fetched, so
   nothing sent meanwhile is missed. Without JavaScript, or with the socket down, the page works
   by plain form posts. Message bodies are always inserted as text (textContent), never as HTML. */
(function () {
  "use strict";

  var chat = document.getElementById("chat");
  if (!chat) return;
  // Django's JavaScript catalogue (/jsi18n/) gives gettext; without it, English.
  var _ = window.gettext || function (text) { return text; };
  var lang = document.documentElement.lang || undefined;
  var list = document.getElementById("chat-messages");
  var form = document.getElementById("chat-form");
  var live = document.getElementById("chat-live");
  var me = parseInt(chat.dataset.me, 10);
  var conversation = chat.dataset.conversation;
  var retry = 1000;
  // A page of older messages (?before=) is not filled with the newest ones on reconnect.
  var latest = !/[?&]before=/.test(window.location.search);

  function csrf() {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function scrollDown() { window.scrollTo(0, document.body.scrollHeight); }

  function dayKey(d) {
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function idOf(li) { return parseInt(li.dataset.id, 10); }

  function newestId() {
    var bubbles = list.querySelectorAll(".bubble");
    return bubbles.length ? idOf(bubbles[bubbles.length - 1]) : 0;
  }

  // "Seen" under my messages up to `upto` (someone else has read them).
  function markSeen(upto) {
    list.querySelectorAll(".bubble--mine").forEach(function (li) {
      if (idOf(li) > upto || li.querySelector(".bubble__seen")) return;
      var seen = document.createElement("span");
      seen.className = "bubble__seen";
      seen.textContent = " · " + _("Seen");
      li.querySelector(".bubble__meta").appendChild(seen);
    });
  }

  // The body as text, its line breaks kept (as the page's own |linebreaksbr does).
  function fillBody(element, text) {
    String(text).split(/\r\n|\r|\n/).forEach(function (line, i) {
      if (i) element.appendChild(document.createElement("br"));
      element.appendChild(document.createTextNode(line));
    });
  }

  function add(message) {
    if (!message || document.getElementById("m" + message.id)) return;
    var empty = document.getElementById("chat-empty");
    if (empty) empty.remove();
    var sent = new Date(message.sent_at);
    // In id order: a message fetched after a reconnect may be older than one pushed meanwhile.
    var later = null;
    var bubbles = list.querySelectorAll(".bubble");
    for (var i = bubbles.length - 1; i >= 0 && idOf(bubbles[i]) > message.id; i--) later = bubbles[i];
    var days = list.querySelectorAll(".chat__day");
    var last = days.length ? days[days.length - 1].dataset.day : null;
    if (!later && last !== dayKey(sent)) {
      var sep = document.createElement("li");
      sep.className = "chat__day";
      sep.dataset.day = dayKey(sent);
      var label = document.createElement("span");
      label.textContent = _("Today");
      sep.appendChild(label);
      list.appendChild(sep);
    }
    var mine = message.sender && message.sender.id === me;
    var li = document.createElement("li");
    li.className = "bubble" + (mine ? " bubble--mine" : "");
    li.id = "m" + message.id;
    li.dataset.id = message.id;
    var who = document.createElement("span");
    who.className = "bubble__who";
    who.textContent = mine ? _("You") : (message.sender ? message.sender.display_name : _("A former member"));
    var body = document.createElement("p");
    body.className = "bubble__body";
    fillBody(body, message.body);
    var meta = document.createElement("span");
    meta.className = "bubble__meta";
    var time = document.createElement("time");
    time.dateTime = message.sent_at;
    time.textContent = sent.toLocaleTimeString(lang ? [lang] : [], { hour: "numeric", minute: "2-digit" });
    meta.appendChild(time);
    li.appendChild(who);
    li.appendChild(body);
    li.appendChild(meta);
    if (!mine) addReport(li, message.id);
    if (later) { list.insertBefore(li, later); } else { list.appendChild(li); scrollDown(); }
    if (mine && message.read_by && message.read_by.length) markSeen(message.id);
  }

  // Someone else's message can be reported, as on a page load: the form from the page's template.
  var reportTemplate = document.getElementById("report-template");
  function addReport(li, id) {
    if (!reportTemplate || !reportTemplate.content) return;
    var part = reportTemplate.content.cloneNode(true);
    var reportForm = part.querySelector("form");
    reportForm.action = reportForm.dataset.action.replace(/\/0\/$/, "/" + id + "/");
    var label = part.querySelector("label");
    var input = part.querySelector("input[name=reason]");
    label.htmlFor = input.id = "reason-" + id;
    li.appendChild(part);
  }

  function markRead() {
    fetch("/api/v1/conversations/" + conversation + "/read/", {
      method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf() }
    }).catch(function () { /* the next page load marks it read */ });
  }

  // What was sent (or read) while the socket was not open: the newest page, oldest first.
  function catchUp(since) {
    if (!window.fetch) return;
    fetch("/api/v1/conversations/" + conversation + "/messages/", {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (page) {
      if (!page || !page.results) return;
      var fresh = false;
      page.results.slice().reverse().forEach(function (message) {
        var mine = message.sender && message.sender.id === me;
        if (latest && message.id > since && !document.getElementById("m" + message.id)) {
          add(message);
          if (!mine) fresh = true;
        } else if (mine && message.read_by && message.read_by.length) {
          markSeen(message.id);
        }
      });
      if (fresh) markRead();
    }).catch(function () { /* the next page load shows them */ });
  }

  function connect() {
    if (!("WebSocket" in window)) return;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + chat.dataset.socket);
    socket.onopen = function () {
      retry = 1000;
      if (live) live.hidden = false;
      chat.dataset.live = "1";
      catchUp(newestId());
    };
    socket.onmessage = function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (data.type === "message") {
        add(data.message);
        if (!data.message.sender || data.message.sender.id !== me) markRead();
      } else if (data.type === "read" && data.user !== me) {
        markSeen(data.last_read_id);
      }
    };
    socket.onclose = function (event) {
      if (live) live.hidden = true;
      chat.dataset.live = "0";
      if (event.code === 4404 || event.code === 1006 && retry > 30000) return; // refused: not a participant
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 60000);
    };
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      var box = form.querySelector("textarea");
      if (!window.fetch || !box || !box.value.trim()) return; // the plain post shows the error
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      fetch("/api/v1/conversations/" + conversation + "/messages/", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ body: box.value })
      }).then(function (response) {
        if (response.status !== 201) { form.submit(); return null; } // the page explains the error
        return response.json();
      }).then(function (message) {
        if (!message) return;
        if (message.crisis_resources) { window.location.reload(); return; }
        add(message);
        box.value = "";
      }).catch(function () { form.submit(); })
        .finally(function () { if (button) button.disabled = false; });
    });
  }

  scrollDown();
  connect();
})();
