/** The chat page: a person's conversation with the bot, as a Telegram app shows it. */

export function chatPage(botUsername: string, startPayload?: string): string {
  const data = JSON.stringify({ bot: botUsername, start: startPayload ?? null }).replaceAll("<", "\\u003c");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>@${botUsername} · local Telegram</title></head><body>
<h1>@${botUsername}</h1><p>The chat page is being built.</p>
<script type="application/json" id="settings">${data}</script></body></html>`;
}
