/* A conversation page, live: new messages arrive over the WebSocket and the composer sends
   without reloading. Without JavaScript, or with the socket down, the page works by plain form
   posts. Message bodies are always inserted as text (textContent), never as HTML. */
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

  function csrf() {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function scrollDown() { window.scrollTo(0, document.body.scrollHeight); }

  function dayKey(d) {
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function add(message) {
    if (!message || document.getElementById("m" + message.id)) return;
    var empty = document.getElementById("chat-empty");
    if (empty) empty.remove();
    var sent = new Date(message.sent_at);
    var days = list.querySelectorAll(".chat__day");
    var last = days.length ? days[days.length - 1].dataset.day : null;
    if (last !== dayKey(sent)) {
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
    body.textContent = message.body;
    var meta = document.createElement("span");
    meta.className = "bubble__meta";
    var time = document.createElement("time");
    time.dateTime = message.sent_at;
    time.textContent = sent.toLocaleTimeString(lang ? [lang] : [], { hour: "numeric", minute: "2-digit" });
    meta.appendChild(time);
    li.appendChild(who);
    li.appendChild(body);
    li.appendChild(meta);
    list.appendChild(li);
    scrollDown();
  }

  function markRead() {
    fetch("/api/v1/conversations/" + conversation + "/read/", {
      method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf() }
    }).catch(function () { /* the next page load marks it read */ });
  }

  function connect() {
    if (!("WebSocket" in window)) return;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + chat.dataset.socket);
    socket.onopen = function () { retry = 1000; if (live) live.hidden = false; chat.dataset.live = "1"; };
    socket.onmessage = function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (data.type === "message") {
        add(data.message);
        if (!data.message.sender || data.message.sender.id !== me) markRead();
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
