import nodemailer from "nodemailer";
import type { AuthConfig } from "./config.ts";
import { escapeHtml } from "../../supabase/functions/_shared/html.ts";

/** The mails GoTrue sends, by the name config.toml's [auth.email.template.<kind>] uses. */
export type MailKind =
  | "confirmation"
  | "invite"
  | "recovery"
  | "magic_link"
  | "email_change"
  | "reauthentication";

/** What a template can use: GoTrue's template variables. */
export interface AuthMail {
  kind: MailKind;
  to: string;
  /** `{{ .ConfirmationURL }}`: the verify link under the gateway ("" for reauthentication). */
  confirmationUrl: string;
  /** `{{ .Token }}`: the one-time code. */
  otp: string;
  /** `{{ .TokenHash }}`: the hash as stored, PKCE prefix included. */
  tokenHash: string;
  /** `{{ .Email }}`: the user's (current) address. */
  email: string;
  /** `{{ .NewEmail }}` for e-mail changes. */
  newEmail?: string;
  /** `{{ .RedirectTo }}` */
  redirectTo: string;
  /** `{{ .Data }}`: the user metadata. */
  data?: Record<string, unknown>;
}

export interface Mailer {
  send(mail: AuthMail): Promise<void>;
  close(): void;
}

/**
 * GoTrue's default subjects and bodies (internal/mailer/templatemailer/templatemailer.go), used
 * when config.toml sets none.
 */
export const DEFAULTS: Record<MailKind, { subject: string; body: string }> = {
  confirmation: {
    subject: "Confirm Your Email",
    body: `<h2>Confirm Your Email</h2>

<p>Follow this link to confirm your email:</p>
<p><a href="{{ .ConfirmationURL }}">Confirm your email address</a></p>
<p>Alternatively, enter the code: {{ .Token }}</p>
`,
  },
  invite: {
    subject: "You have been invited",
    body: `<h2>You have been invited</h2>

<p>You have been invited to create a user on {{ .SiteURL }}. Follow this link to accept the invite:</p>
<p><a href="{{ .ConfirmationURL }}">Accept the invite</a></p>
<p>Alternatively, enter the code: {{ .Token }}</p>`,
  },
  recovery: {
    subject: "Reset Your Password",
    body: `<h2>Reset password</h2>

<p>Follow this link to reset the password for your user:</p>
<p><a href="{{ .ConfirmationURL }}">Reset password</a></p>
<p>Alternatively, enter the code: {{ .Token }}</p>`,
  },
  magic_link: {
    subject: "Your Magic Link",
    body: `<h2>Magic Link</h2>

<p>Follow this link to login:</p>
<p><a href="{{ .ConfirmationURL }}">Log In</a></p>
<p>Alternatively, enter the code: {{ .Token }}</p>`,
  },
  email_change: {
    subject: "Confirm Email Change",
    body: `<h2>Confirm email address change</h2>

<p>Follow this link to confirm the update of your email address from {{ .Email }} to {{ .NewEmail }}:</p>
<p><a href="{{ .ConfirmationURL }}">Change email address</a></p>
<p>Alternatively, enter the code: {{ .Token }}</p>`,
  },
  reauthentication: {
    subject: "Confirm reauthentication",
    body: `<h2>Confirm reauthentication</h2>

<p>Enter the code: {{ .Token }}</p>`,
  },
};

const VARIABLE = /\{\{\s*\.(\w+)\s*\}\}/g;
const ANY_ACTION = /\{\{[\s\S]*?\}\}/g;
const VARIABLES = new Set([
  "ConfirmationURL",
  "Token",
  "TokenHash",
  "SiteURL",
  "Email",
  "NewEmail",
  "RedirectTo",
  "Data",
]);

/**
 * Checks a template at startup: only `{{ .Variable }}` substitutions of GoTrue's variables are
 * supported (no `if`, `range` or pipelines), so anything else refuses to start rather than render wrong.
 */
export function checkTemplate(kind: string, template: string): void {
  for (const [action] of template.matchAll(ANY_ACTION)) {
    const match = /^\{\{\s*\.(\w+)\s*\}\}$/.exec(action);
    if (!match || !VARIABLES.has(match[1])) {
      throw new Error(`mail template "${kind}": ${action} is not supported by the devstack Auth server`);
    }
  }
}

export function renderTemplate(template: string, mail: AuthMail, siteUrl: string, html: boolean): string {
  const values: Record<string, string> = {
    ConfirmationURL: mail.confirmationUrl,
    Token: mail.otp,
    TokenHash: mail.tokenHash,
    SiteURL: siteUrl,
    Email: mail.email,
    NewEmail: mail.newEmail ?? "",
    RedirectTo: mail.redirectTo,
    Data: JSON.stringify(mail.data ?? {}),
  };
  return template.replace(
    VARIABLE,
    (_, name: string) => html ? escapeHtml(values[name] ?? "") : values[name] ?? "",
  );
}

/** A plain-text alternative: links written out after their text, tags dropped. */
function htmlToText(html: string): string {
  return html
    .replace(
      /<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi,
      (_, href, text) => `${text}:\n${unescapeHtml(href)}`,
    )
    .replace(/<\/(p|h\d|div|li)>/gi, "\n")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .split("\n").map((line) => unescapeHtml(line.trim())).join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim() + "\n";
}

/** The link GoTrue's `{{ .ConfirmationURL }}` expands to. */
export function confirmationUrl(
  config: AuthConfig,
  tokenHash: string,
  type: string,
  redirectTo: string,
): string {
  const query = new URLSearchParams({ token: tokenHash, type, redirect_to: redirectTo });
  return `${config.apiExternalUrl}/auth/v1/verify?${query}`;
}

export function createSmtpMailer(config: AuthConfig): Mailer {
  for (const [kind, template] of Object.entries(config.mailerTemplates)) checkTemplate(kind, template);
  const transport = nodemailer.createTransport({
    host: config.smtpHost,
    port: config.smtpPort,
    secure: config.smtpPort === 465,
    ignoreTLS: config.smtpPort !== 465 && config.smtpPort !== 587,
    auth: config.smtpUser ? { user: config.smtpUser, pass: config.smtpPass ?? "" } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 10_000,
  });
  const from = config.smtpSenderName
    ? { name: config.smtpSenderName, address: config.smtpAdminEmail }
    : config.smtpAdminEmail;
  return {
    async send(mail) {
      const template = config.mailerTemplates[mail.kind] ?? DEFAULTS[mail.kind].body;
      const html = renderTemplate(template, mail, config.siteUrl, true);
      await transport.sendMail({
        from,
        to: mail.to,
        subject: renderTemplate(
          config.mailerSubjects[mail.kind] ?? DEFAULTS[mail.kind].subject,
          mail,
          config.siteUrl,
          false,
        ),
        text: htmlToText(html),
        html,
      });
    },
    close() {
      transport.close();
    },
  };
}

function unescapeHtml(text: string): string {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll(
    "&#39;",
    "'",
  )
    .replaceAll("&amp;", "&");
}
