/**
 * Escapes text for HTML: `&`, `<`, `>`, `"` and `'`. The one escapeHtml of the project: Telegram's
 * HTML parse mode decodes each of these (the named &lt; &gt; &amp; &quot; and numeric references,
 * core.telegram.org/bots/api#html-style), and the devstack's pages and mails need the quotes
 * escaped inside attributes as well.
 */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}
