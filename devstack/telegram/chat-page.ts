/**
 * The chat page: pick or create a local Telegram user and talk to the bot as a Telegram app shows
 * it (HTML formatting from the message entities, inline keyboards, edits, callback answers as
 * toasts or alerts). Plain HTML and JavaScript over the stand-in's /api (chat-api.ts).
 * Opened as /<bot>?start=<payload> (where a deep link lands), it sends "/start <payload>".
 */

const STYLE = `
:root { color-scheme: light dark; --bg: #e7ebf0; --panel: #fff; --mine: #e1fec6; --theirs: #fff; --text: #0f1419;
  --muted: #5b6470; --accent: #2a7ab0; --border: #cfd6dd; }
@media (prefers-color-scheme: dark) { :root { --bg: #0e1621; --panel: #17212b; --mine: #2b5278; --theirs: #182533;
  --text: #f5f5f5; --muted: #9aa7b4; --accent: #6ab3f3; --border: #2b3845; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, sans-serif; background: var(--bg); color: var(--text); }
.layout { display: grid; grid-template-columns: 17rem 1fr; height: 100vh; }
aside { background: var(--panel); border-right: 1px solid var(--border); padding: 1rem; overflow: auto; }
aside h1 { font-size: 1.05rem; margin: 0 0 .25rem; } .muted { color: var(--muted); font-size: .85rem; }
aside ul { list-style: none; padding: 0; margin: .75rem 0; }
aside li button { width: 100%; text-align: left; padding: .5rem .6rem; border: 0; border-radius: .5rem; background: none;
  color: inherit; font: inherit; cursor: pointer; }
aside li button[aria-current="true"] { background: var(--accent); color: #fff; }
label { display: block; font-size: .85rem; margin-top: .5rem; }
input, textarea { width: 100%; font: inherit; padding: .45rem .55rem; border: 1px solid var(--border); border-radius: .4rem;
  background: var(--bg); color: inherit; }
button.primary, button.secondary { margin-top: .6rem; padding: .45rem .8rem; border-radius: .4rem; font: inherit; cursor: pointer;
  border: 1px solid var(--accent); }
button.primary { background: var(--accent); color: #fff; } button.secondary { background: none; color: var(--accent); }
main { display: flex; flex-direction: column; min-width: 0; }
header { background: var(--panel); border-bottom: 1px solid var(--border); padding: .6rem 1rem; display: flex; gap: 1rem;
  align-items: center; flex-wrap: wrap; }
header h2 { font-size: 1rem; margin: 0; flex: 1; }
#log { flex: 1; overflow-y: auto; padding: 1rem; display: flex; flex-direction: column; gap: .4rem; }
.msg { max-width: min(34rem, 85%); padding: .45rem .7rem .3rem; border-radius: .8rem; background: var(--theirs);
  box-shadow: 0 1px 1px rgb(0 0 0 / .12); white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.user { align-self: flex-end; background: var(--mine); }
.meta { display: block; text-align: right; font-size: .72rem; color: var(--muted); }
.keyboard { display: grid; gap: .25rem; margin-top: .35rem; }
.keyboard .row { display: flex; gap: .25rem; }
.keyboard button, .keyboard a { flex: 1; padding: .4rem; border: 0; border-radius: .5rem; background: rgb(42 122 176 / .15);
  color: var(--accent); font: inherit; font-weight: 600; cursor: pointer; text-align: center; text-decoration: none; }
.spoiler { background: var(--muted); color: transparent; border-radius: .2rem; cursor: pointer; }
.spoiler.revealed { background: none; color: inherit; }
.cmd { color: var(--accent); }
pre, code { font-family: ui-monospace, monospace; font-size: .9em; } pre { margin: .2rem 0; padding: .4rem; background: rgb(0 0 0 / .06); }
blockquote { margin: .2rem 0; padding-left: .6rem; border-left: 3px solid var(--accent); }
form.composer { display: flex; gap: .5rem; padding: .6rem 1rem; background: var(--panel); border-top: 1px solid var(--border); }
form.composer textarea { resize: none; height: 2.6rem; }
form.composer button { margin: 0; }
#toast { position: fixed; left: 50%; bottom: 5rem; transform: translateX(-50%); background: rgb(0 0 0 / .8); color: #fff;
  padding: .5rem 1rem; border-radius: .5rem; max-width: 80vw; }
#toast:empty { display: none; }
dialog { border: 1px solid var(--border); border-radius: .6rem; background: var(--panel); color: inherit; max-width: 24rem; }
.empty { margin: auto; color: var(--muted); text-align: center; }
.status { font-size: .85rem; color: var(--muted); }
@media (max-width: 40rem) { .layout { grid-template-columns: 1fr; grid-template-rows: auto 1fr; height: auto; min-height: 100vh; }
  aside { border-right: 0; border-bottom: 1px solid var(--border); } main { min-height: 80vh; } }
`;

const SCRIPT = String.raw`
const settings = JSON.parse(document.getElementById("settings").textContent);
const $ = (id) => document.getElementById(id);
let current = null, shownVersion = -1, seenAnswers = 0;

async function api(path, body) {
  const response = await fetch(path, body === undefined ? {} : {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const data = response.status === 204 ? null : await response.json();
  if (!response.ok) throw new Error(data && data.error || response.statusText);
  return data;
}

function escape(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

const TAGS = { bold: ["<b>", "</b>"], italic: ["<i>", "</i>"], underline: ["<u>", "</u>"],
  strikethrough: ["<s>", "</s>"], code: ["<code>", "</code>"], pre: ["<pre>", "</pre>"],
  blockquote: ["<blockquote>", "</blockquote>"], expandable_blockquote: ["<blockquote>", "</blockquote>"],
  spoiler: ['<span class="spoiler" tabindex="0" title="Spoiler: click to reveal">', "</span>"],
  bot_command: ['<span class="cmd">', "</span>"] };

// Entities (UTF-16 offsets, nested when contained) back to HTML, as a Telegram app renders them.
function render(text, entities, from = 0, to = text.length) {
  let html = "", at = from;
  const inside = entities.filter((e) => e.offset >= from && e.offset + e.length <= to)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  for (let i = 0; i < inside.length; i++) {
    const e = inside[i];
    if (e.offset < at) continue;
    html += escape(text.slice(at, e.offset));
    const nested = inside.filter((n) => n !== e && n.offset >= e.offset && n.offset + n.length <= e.offset + e.length);
    const content = render(text, nested, e.offset, e.offset + e.length);
    if (e.type === "text_link") html += '<a href="' + escape(e.url) + '" target="_blank" rel="noopener">' + content + "</a>";
    else if (TAGS[e.type]) html += TAGS[e.type][0] + content + TAGS[e.type][1];
    else html += content;
    at = e.offset + e.length;
  }
  return html + escape(text.slice(at, to));
}

// A message's time as a Telegram client writes it: the device's short form ("1:48 AM" in en-US,
// "01:48" in en-GB and ru). The messages' own times follow the person's setting (profiles.time_format).
function time(unix) {
  return new Date(unix * 1000).toLocaleTimeString([], { timeStyle: "short" });
}

function messageElement(message) {
  const item = document.createElement("div");
  item.className = "msg " + message.from;
  item.dataset.messageId = message.message_id;
  item.setAttribute("aria-label", (message.from === "bot" ? "@" + settings.bot : "You") + " at " + time(message.date));
  const body = document.createElement("div");
  body.className = "text";
  body.innerHTML = message.shown !== undefined ? escape(message.shown) : render(message.text, message.entities);
  item.append(body);
  const keyboard = message.reply_markup && message.reply_markup.inline_keyboard;
  if (keyboard && keyboard.length) {
    const grid = document.createElement("div");
    grid.className = "keyboard";
    grid.setAttribute("role", "group");
    grid.setAttribute("aria-label", "Buttons");
    for (const row of keyboard) {
      const line = document.createElement("div");
      line.className = "row";
      for (const button of row) {
        let element;
        if (button.url) {
          element = document.createElement("a");
          element.href = button.url; element.target = "_blank"; element.rel = "noopener";
        } else {
          element = document.createElement("button");
          element.type = "button";
          element.addEventListener("click", () => press(message.message_id, button.callback_data));
        }
        element.textContent = button.text;
        line.append(element);
      }
      grid.append(line);
    }
    item.append(grid);
  }
  const meta = document.createElement("span");
  meta.className = "meta";
  meta.textContent = (message.silent ? "🔕 " : "") + (message.protected ? "🔒 " : "") +
    (message.edit_date ? "edited " : "") + time(message.edit_date || message.date);
  if (message.silent) meta.title = "Sent silently (disable_notification)";
  item.append(meta);
  return item;
}

function showAnswer(answer) {
  if (!answer.text) return;
  if (answer.show_alert) {
    $("alert-text").textContent = answer.text;
    $("alert").showModal();
  } else {
    $("toast").textContent = answer.text;
    clearTimeout(showAnswer.timer);
    showAnswer.timer = setTimeout(() => ($("toast").textContent = ""), 3500);
  }
}

async function refresh() {
  if (!current) return;
  const chat = await api("/api/chats/" + current.id);
  if (chat.version === shownVersion) return;
  const log = $("log");
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  log.replaceChildren(...chat.messages.map(messageElement));
  if (chat.messages.length === 0) {
    const empty = document.createElement("p");
    empty.className = "empty";
    empty.textContent = "No messages yet. Send /start to begin.";
    log.append(empty);
  }
  if (atBottom || shownVersion === -1) log.scrollTop = log.scrollHeight;
  for (const answer of chat.answers.slice(shownVersion === -1 ? chat.answers.length : seenAnswers)) showAnswer(answer);
  seenAnswers = chat.answers.length;
  shownVersion = chat.version;
  $("blocked").textContent = chat.blocked ? "Unblock the bot" : "Block the bot";
  $("chat-status").textContent = chat.blocked ? "You blocked the bot." : "";
}

async function loadPeople() {
  const people = await api("/api/users");
  const list = $("people");
  list.replaceChildren(...people.map((person) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = person.first_name + (person.username ? " (@" + person.username + ")" : "") + " · " + person.id;
    button.setAttribute("aria-current", String(current && current.id === person.id));
    button.addEventListener("click", () => select(person));
    item.append(button);
    return item;
  }));
  $("no-people").hidden = people.length > 0;
  return people;
}

async function select(person) {
  current = person;
  shownVersion = -1;
  $("remind-choices").replaceChildren();
  localStorage.setItem("telegram-stand-in-person", String(person.id));
  $("chat-title").textContent = "Chat with @" + settings.bot + " as " + person.first_name;
  $("composer-fieldset").disabled = false;
  await loadPeople();
  await refresh();
  $("text").focus();
}

async function send(text, shown) {
  await api("/api/chats/" + current.id + "/messages", shown === undefined ? { text } : { text, shown });
  await refresh();
}

async function press(messageId, data) {
  try {
    await api("/api/chats/" + current.id + "/press", { message_id: messageId, data });
  } catch (error) {
    $("chat-status").textContent = error.message;
  }
}

$("new-person").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const person = await api("/api/users", { first_name: form.get("first_name"), username: form.get("username") });
    event.target.reset();
    $("person-error").textContent = "";
    await select(person);
  } catch (error) {
    $("person-error").textContent = error.message;
  }
});

$("composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("text").value;
  if (!text.trim() || !current) return;
  $("text").value = "";
  try {
    await send(text);
  } catch (error) {
    $("chat-status").textContent = error.message;
  }
});
$("text").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    $("composer").requestSubmit();
  }
});
$("blocked").addEventListener("click", async () => {
  const chat = await api("/api/chats/" + current.id);
  await api("/api/chats/" + current.id + "/blocked", { blocked: !chat.blocked });
  await refresh();
});
$("remind-now").hidden = !settings.remindNow;
async function remindNow(habit) {
  const status = $("chat-status");
  const choices = $("remind-choices");
  choices.replaceChildren();
  try {
    const answer = await api("/api/chats/" + current.id + "/remind-now", habit ? { habit } : {});
    status.textContent = answer.message;
    for (const choice of answer.habits ?? []) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = choice.time + " " + choice.action;
      button.addEventListener("click", () => remindNow(choice.id));
      choices.append(button, " ");
    }
  } catch (error) {
    status.textContent = error.message;
  }
}
$("remind-now").addEventListener("click", () => remindNow());
document.addEventListener("click", (event) => {
  if (event.target.classList && event.target.classList.contains("spoiler")) event.target.classList.add("revealed");
});

(async () => {
  const people = await loadPeople();
  const saved = people.find((p) => String(p.id) === localStorage.getItem("telegram-stand-in-person"));
  if (saved) await select(saved);
  else if (settings.start !== null) await select(await api("/api/users", { first_name: "You" }));
  if (settings.start !== null) {
    // A deep link: Telegram shows "/start" and sends the payload along.
    history.replaceState(null, "", "/");
    await send("/start " + settings.start, "/start");
  }
  setInterval(() => refresh().catch(() => {}), 700);
  setInterval(() => loadPeople().catch(() => {}), 5000);
})();
`;

export function chatPage(botUsername: string, options: { start?: string; remindNow?: boolean } = {}): string {
  const settings = JSON.stringify({
    bot: botUsername,
    start: options.start ?? null,
    remindNow: !!options.remindNow,
  })
    .replaceAll("<", "\\u003c");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>@${botUsername} · Telegram (local)</title><style>${STYLE}</style></head><body>
<div class="layout">
<aside aria-label="People">
  <h1>Telegram (local)</h1>
  <p class="muted">A stand-in for Telegram: pick who you are, then talk to @${botUsername}.</p>
  <h2 class="muted">People</h2>
  <ul id="people"></ul>
  <p id="no-people" class="muted">Nobody yet: create a person below.</p>
  <form id="new-person">
    <h2 class="muted">New person</h2>
    <label for="first_name">First name</label><input id="first_name" name="first_name" required maxlength="64" autocomplete="off">
    <label for="username">Username (optional)</label><input id="username" name="username" maxlength="32" autocomplete="off">
    <button class="primary" type="submit">Create and open chat</button>
    <p id="person-error" role="alert" class="muted"></p>
  </form>
</aside>
<main>
  <header>
    <h2 id="chat-title">Choose or create a person</h2>
    <button id="remind-now" class="secondary" type="button" title="Development only: one reminder of a habit, now; the habit does not change">Remind me now</button>
    <button id="blocked" class="secondary" type="button">Block the bot</button>
  </header>
  <div id="log" role="log" aria-live="polite" aria-label="Messages" tabindex="0"></div>
  <p id="chat-status" class="status" role="status" aria-live="polite"></p>
  <p id="remind-choices" class="status" aria-label="Habits to remind"></p>
  <form id="composer" class="composer"><fieldset id="composer-fieldset" disabled style="display:contents">
    <label for="text" class="visually-hidden" style="position:absolute;left:-999px">Message</label>
    <textarea id="text" placeholder="Message or /command" maxlength="4096"></textarea>
    <button class="primary" type="submit">Send</button>
  </fieldset></form>
</main>
</div>
<div id="toast" role="status" aria-live="assertive"></div>
<dialog id="alert" aria-labelledby="alert-text"><p id="alert-text"></p><form method="dialog"><button class="primary">OK</button></form></dialog>
<script type="application/json" id="settings">${settings}</script>
<script>${SCRIPT}</script>
</body></html>`;
}
