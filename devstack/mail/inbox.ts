import type { StoredMessage } from "./store.ts";
import { escapeHtml } from "../../supabase/functions/_shared/html.ts";

/** The catcher's human pages: an inbox at / and one message at /view/{ID} with clickable links. */

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d1d1f; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; }
a { color: #0b57d0; } .muted { color: #666; } iframe { width: 100%; height: 32rem; border: 1px solid #ddd; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: 1rem; } ul.links li { margin: .3rem 0; word-break: break-all; }
@media (prefers-color-scheme: dark) { body { background: #111; color: #eee; } a { color: #8ab4f8; } pre { background: #222; } }
`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function addressList(message: StoredMessage): string {
  return message.To.map((a) => a.Address).join(", ");
}

export function inboxPage(messages: StoredMessage[]): string {
  const rows = messages.map((m) =>
    `<tr><td><a href="/view/${m.ID}">${escapeHtml(m.Subject || "(no subject)")}</a></td>` +
    `<td>${escapeHtml(addressList(m))}</td><td>${escapeHtml(m.From.Address)}</td>` +
    `<td class="muted">${escapeHtml(m.Created)}</td></tr>`
  ).join("");
  const table = messages.length === 0
    ? `<p class="muted">No messages yet. Mail sent to the SMTP port shows up here.</p>`
    : `<table><thead><tr><th>Subject</th><th>To</th><th>From</th><th>Received</th></tr></thead><tbody>${rows}</tbody></table>`;
  return page(
    "Inbox",
    `<h1>Inbox</h1><p><a href="/">Refresh</a> · <a href="/api/v1/messages">JSON</a></p>${table}`,
  );
}

/** Every http(s) link in the message: hrefs of the HTML part, then URLs in the text part. */
export function linksOf(message: StoredMessage): string[] {
  const decode = (href: string) => href.replace(/&amp;/g, "&");
  const hrefs = [...message.HTML.matchAll(/href\s*=\s*["']([^"']+)["']/gi)].map((m) => decode(m[1]));
  const urls = [...message.Text.matchAll(/https?:\/\/[^\s<>"')\]]+/g)].map((m) => m[0]);
  return [...new Set([...hrefs, ...urls])].filter((link) => /^https?:\/\//i.test(link));
}

export function messagePage(message: StoredMessage): string {
  const links = linksOf(message);
  const linkList = links.length === 0
    ? ""
    : `<h2>Links</h2><ul class="links">${
      links.map((l) => `<li><a href="${escapeHtml(l)}">${escapeHtml(l)}</a></li>`).join("")
    }</ul>`;
  // The HTML part is shown sandboxed (no scripts); its links open in a new tab.
  const html = message.HTML
    ? `<h2>HTML</h2><iframe title="HTML body" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${
      escapeHtml(`<base target="_blank">${message.HTML}`)
    }"></iframe>`
    : "";
  const text = message.Text ? `<h2>Text</h2><pre>${escapeHtml(message.Text)}</pre>` : "";
  return page(
    message.Subject || "(no subject)",
    `<p><a href="/">← Inbox</a></p><h1>${escapeHtml(message.Subject || "(no subject)")}</h1>` +
      `<p><b>From:</b> ${
        escapeHtml(
          message.From.Name ? `${message.From.Name} <${message.From.Address}>` : message.From.Address,
        )
      }<br>` +
      `<b>To:</b> ${escapeHtml(addressList(message))}<br><b>Date:</b> ${escapeHtml(message.Date)}</p>` +
      linkList + html + text,
  );
}

export function notFoundPage(): string {
  return page("Not found", `<p><a href="/">← Inbox</a></p><h1>Message not found</h1>`);
}
