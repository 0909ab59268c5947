import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";
import { Buffer } from "node:buffer";
import type { AddressInfo } from "node:net";
import type { MailStore } from "./store.ts";

export interface RunningSmtp {
  port: number;
  close(): Promise<void>;
}

/** Accepts every message over plain SMTP (any or no credentials) and puts it in the store. */
export function startSmtp(store: MailStore, hostname: string, port: number): Promise<RunningSmtp> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    banner: "devstack mail catcher",
    logger: false,
    closeTimeout: 1000,
    onAuth(_auth, _session, callback) {
      callback(null, { user: "devstack" });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw, { skipHtmlToText: true }).then((parsed) => {
          store.add(parsed, new Uint8Array(raw), session.envelope.rcptTo.map((r) => r.address));
          callback();
        }, callback);
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => {
      server.off("error", reject);
      server.on("error", (error) => console.error("[mail] smtp:", error.message));
      const address = server.server.address() as AddressInfo;
      let closing: Promise<void> | undefined;
      resolve({
        port: address.port,
        close() {
          closing ??= new Promise((done) => server.close(() => done()));
          return closing;
        },
      });
    });
  });
}
