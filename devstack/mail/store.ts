import type { AddressObject, ParsedMail } from "mailparser";

/** An address in Mailpit's shape. */
export interface MailAddress {
  Name: string;
  Address: string;
}

/** One caught message, stored with everything the API and the inbox page show. */
export interface StoredMessage {
  ID: string;
  MessageID: string;
  From: MailAddress;
  To: MailAddress[];
  Cc: MailAddress[];
  Bcc: MailAddress[];
  ReplyTo: MailAddress[];
  Subject: string;
  /** When the catcher received it (ISO 8601). */
  Created: string;
  /** The Date header, else the reception time (ISO 8601). */
  Date: string;
  Text: string;
  HTML: string;
  Size: number;
  Read: boolean;
  /** Envelope recipients (RCPT TO), which include Bcc. */
  envelopeTo: string[];
  raw: Uint8Array;
}

/** Mailpit's list entry for a message. */
export function summaryOf(message: StoredMessage) {
  return {
    ID: message.ID,
    MessageID: message.MessageID,
    Read: message.Read,
    From: message.From,
    To: message.To,
    Cc: message.Cc,
    Bcc: message.Bcc,
    ReplyTo: message.ReplyTo,
    Subject: message.Subject,
    Created: message.Created,
    Tags: [] as string[],
    Size: message.Size,
    Attachments: 0,
    Snippet: snippetOf(message),
  };
}

/** Mailpit's full view of a message. */
export function detailOf(message: StoredMessage) {
  return {
    ID: message.ID,
    MessageID: message.MessageID,
    From: message.From,
    To: message.To,
    Cc: message.Cc,
    Bcc: message.Bcc,
    ReplyTo: message.ReplyTo,
    ReturnPath: message.From.Address,
    Subject: message.Subject,
    ListUnsubscribe: { Header: "", Links: [], Errors: "", HeaderPost: "" },
    Date: message.Date,
    Tags: [] as string[],
    Text: message.Text,
    HTML: message.HTML,
    Size: message.Size,
    Inline: [],
    Attachments: [],
  };
}

function snippetOf(message: StoredMessage): string {
  const text = message.Text || message.HTML.replace(/<style[\s\S]*?<\/style>/gi, "").replace(/<[^>]+>/g, " ");
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 250 ? `${flat.slice(0, 250)}...` : flat;
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value).map((a) => ({
    Name: a.name ?? "",
    Address: a.address ?? "",
  }));
}

const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A random 22-character id, like Mailpit's. */
function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(22));
  return Array.from(bytes, (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join("");
}

/** Keeps caught messages in memory, newest first, up to a limit. */
export class MailStore {
  #messages: StoredMessage[] = [];
  constructor(private readonly maxMessages = 1000) {}

  add(parsed: ParsedMail, raw: Uint8Array, envelopeTo: string[]): StoredMessage {
    const now = new Date();
    const message: StoredMessage = {
      ID: newId(),
      MessageID: (parsed.messageId ?? "").replace(/^<|>$/g, ""),
      From: addressesOf(parsed.from)[0] ?? { Name: "", Address: "" },
      To: addressesOf(parsed.to),
      Cc: addressesOf(parsed.cc),
      Bcc: addressesOf(parsed.bcc),
      ReplyTo: addressesOf(parsed.replyTo),
      Subject: parsed.subject ?? "",
      Created: now.toISOString(),
      Date: (parsed.date ?? now).toISOString(),
      Text: parsed.text ?? "",
      HTML: typeof parsed.html === "string" ? parsed.html : "",
      Size: raw.byteLength,
      Read: false,
      envelopeTo,
      raw,
    };
    this.#messages.unshift(message);
    this.#messages.length = Math.min(this.#messages.length, this.maxMessages);
    return message;
  }

  /** All messages, newest first. */
  list(): StoredMessage[] {
    return [...this.#messages];
  }

  /** One message by id; "latest" is the newest, as in Mailpit. */
  get(id: string): StoredMessage | undefined {
    return id === "latest" ? this.#messages[0] : this.#messages.find((m) => m.ID === id);
  }

  /** Deletes the given messages, or all of them. Returns how many were deleted. */
  delete(ids?: readonly string[]): number {
    const before = this.#messages.length;
    if (ids === undefined) {
      this.#messages = [];
    } else {
      const doomed = new Set(ids);
      this.#messages = this.#messages.filter((m) => !doomed.has(m.ID));
    }
    return before - this.#messages.length;
  }

  /**
   * Mailpit-style search: space-separated terms, each `to:`, `from:`, `subject:` or free text
   * (matched against subject and body), all of which must match. Quotes group words.
   */
  search(query: string): StoredMessage[] {
    const terms = [...query.matchAll(/(\w+:)?(?:"([^"]*)"|(\S+))/g)].map((m) => ({
      field: m[1]?.slice(0, -1).toLowerCase(),
      value: (m[2] ?? m[3] ?? "").toLowerCase(),
    }));
    const has = (addresses: MailAddress[], value: string) =>
      addresses.some((a) => a.Address.toLowerCase().includes(value) || a.Name.toLowerCase().includes(value));
    return this.#messages.filter((m) =>
      terms.every(({ field, value }) => {
        switch (field) {
          case "to":
            return has([...m.To, ...m.Cc, ...m.Bcc], value) ||
              m.envelopeTo.some((a) => a.toLowerCase().includes(value));
          case "from":
            return has([m.From], value);
          case "subject":
            return m.Subject.toLowerCase().includes(value);
          default:
            return `${m.Subject}\n${m.Text}\n${m.HTML}`.toLowerCase().includes(value);
        }
      })
    );
  }
}
