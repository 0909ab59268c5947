/** Reads the stack's mail catcher through the Mailpit API (GET /api/v1/messages, /api/v1/message/{ID}). */
import { sleep } from "../../../supabase/functions/_shared/sleep.ts";

interface MessageSummary {
  ID: string;
  To: { Address: string }[];
  Subject: string;
  Created: string;
}

/** The confirmation link of the newest e-mail to `email`, waiting for it to arrive. */
export async function confirmationLinkFor(
  mailApiUrl: string,
  email: string,
  timeoutMs = 15_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const list = await (await fetch(`${mailApiUrl}/api/v1/messages`)).json() as {
      messages: MessageSummary[];
    };
    const message = list.messages.find((m) =>
      m.To.some((to) => to.Address.toLowerCase() === email.toLowerCase())
    );
    if (message) {
      const detail = await (await fetch(`${mailApiUrl}/api/v1/message/${message.ID}`)).json() as {
        Text: string;
        HTML: string;
      };
      const link = /https?:\/\/[^\s"'<>]+\/verify\?[^\s"'<>]+/.exec(`${detail.HTML}\n${detail.Text}`)?.[0];
      if (!link) throw new Error(`no confirmation link in the e-mail to ${email}`);
      return link.replaceAll("&amp;", "&");
    }
    await sleep(200);
  }
  throw new Error(`no e-mail to ${email} within ${timeoutMs} ms`);
}
