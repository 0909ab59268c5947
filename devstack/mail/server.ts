import { z } from "zod";
import type { RunningService } from "../service.ts";
import { crossOriginRefusal, ownOrigins } from "../local-origin.ts";
import { createMailApp } from "./api.ts";
import { startSmtp } from "./smtp.ts";
import { MailStore } from "./store.ts";

export const MailOptions = z.object({
  hostname: z.string().default("127.0.0.1"),
  /** HTTP API and inbox page; 54324 like Mailpit under `supabase start`; 0 picks a free port. */
  port: z.number().int().min(0).max(65535).default(54324),
  /** SMTP port; 54325 like `supabase start`'s Mailpit; 0 picks a free port. */
  smtpPort: z.number().int().min(0).max(65535).default(54325),
  /** Oldest messages are dropped beyond this many. */
  maxMessages: z.number().int().positive().default(1000),
});
export type MailOptions = z.input<typeof MailOptions>;

export interface RunningMail extends RunningService {
  smtpHost: string;
  smtpPort: number;
  store: MailStore;
}

/** Starts the mail catcher (Mailpit's role): SMTP in, Mailpit's API and a small inbox page out. */
export async function startMail(options: MailOptions = {}): Promise<RunningMail> {
  const config = MailOptions.parse(options);
  const store = new MailStore(config.maxMessages);
  const smtp = await startSmtp(store, config.hostname, config.smtpPort);
  const app = createMailApp(store);
  let server: Deno.HttpServer<Deno.NetAddr>;
  let own: ReadonlySet<string> = new Set();
  try {
    server = Deno.serve(
      { hostname: config.hostname, port: config.port, onListen: () => {} },
      (request) => {
        const refusal = crossOriginRefusal(
          { method: request.method, header: (n) => request.headers.get(n) },
          own,
        );
        return refusal ? Response.json({ error: refusal }, { status: 403 }) : app.fetch(request);
      },
    );
  } catch (error) {
    await smtp.close();
    throw error;
  }
  own = ownOrigins(config.hostname, server.addr.port);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${config.hostname}:${server.addr.port}`,
    smtpHost: config.hostname,
    smtpPort: smtp.port,
    store,
    close() {
      closing ??= Promise.all([server.shutdown(), smtp.close()]).then(() => {});
      return closing;
    },
  };
}
