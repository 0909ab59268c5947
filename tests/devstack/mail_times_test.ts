/**
 * "The e-mails write no times" (README, The web app; issue 23 asks for one time format per person
 * in the web app, the bot and the e-mails). The mails are Auth's: config.toml's templates where it
 * sets them, GoTrue's defaults otherwise (internal/mailer/templatemailer/templatemailer.go, which
 * devstack/auth/mailer.ts copies), and GoTrue gives a template no time to write
 * (ConfirmationURL, Token, TokenHash, SiteURL, Email, NewEmail, RedirectTo, Data). The weekly
 * digest goes to Telegram, not by mail. So there is no time in a mail to follow the person's
 * format; this fails when a template starts writing one.
 */
import assert from "node:assert/strict";
import { parse as parseToml } from "smol-toml";
import { type AuthMail, DEFAULTS, type MailKind, renderTemplate } from "../../devstack/auth/mailer.ts";
import { authOptionsFromToml } from "../../devstack/auth/toml.ts";

const root = new URL("../../", import.meta.url).pathname;
// A clock time in either language's form (7:05, 19:05, 7 PM, 7 p.m.) or a date-and-time stamp.
const CLOCK = /\b\d{1,2}:\d{2}\b|\b\d{1,2}\s?(am|pm|a\.m\.|p\.m\.)|\d{4}-\d{2}-\d{2}T\d{2}/i;

async function mailsAsConfigured(): Promise<Record<MailKind, { subject: string; body: string }>> {
  const config = parseToml(await Deno.readTextFile(`${root}supabase/config.toml`));
  const options = await authOptionsFromToml(config.auth as Record<string, unknown>, root);
  const mails = {} as Record<MailKind, { subject: string; body: string }>;
  for (const kind of Object.keys(DEFAULTS) as MailKind[]) {
    mails[kind] = {
      subject: options.mailerSubjects?.[kind] ?? DEFAULTS[kind].subject,
      body: options.mailerTemplates?.[kind] ?? DEFAULTS[kind].body,
    };
  }
  return mails;
}

Deno.test("no mail Auth sends writes a time of day, as configured in config.toml", async () => {
  const mails = await mailsAsConfigured();
  assert.equal(Object.keys(mails).length, 6);
  for (const [kind, { subject, body }] of Object.entries(mails)) {
    const mail: AuthMail = {
      kind: kind as MailKind,
      to: "olga@example.com",
      confirmationUrl: "http://127.0.0.1:54321/auth/v1/verify?token=pkce_abc&type=signup",
      otp: "123456",
      tokenHash: "pkce_abc",
      email: "olga@example.com",
      newEmail: "olga.new@example.com",
      redirectTo: "http://127.0.0.1:5173/auth/confirm",
      data: { display_name: "Olga" },
    };
    for (const text of [subject, body]) {
      const rendered = renderTemplate(text, mail, "http://127.0.0.1:5173", true);
      assert.doesNotMatch(rendered, CLOCK, `the ${kind} mail writes a time`);
    }
  }
});

Deno.test("the check finds a time written in a template", () => {
  const mail = { kind: "recovery", otp: "123456" } as AuthMail;
  const rendered = renderTemplate("<p>Valid until 7:05 PM: {{ .Token }}</p>", mail, "", true);
  assert.match(rendered, CLOCK);
  assert.match("до 19:05", CLOCK);
});
