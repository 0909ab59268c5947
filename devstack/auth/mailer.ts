import nodemailer from "nodemailer";
import type { AuthConfig } from "./config.ts";

export interface ConfirmationMail {
  to: string;
  /** `{{ .ConfirmationURL }}`: the verify link under the gateway. */
  confirmationUrl: string;
  /** `{{ .Token }}`: the 6-digit code. */
  otp: string;
  /** `{{ .TokenHash }}`: the hash as stored, PKCE prefix included. */
  tokenHash: string;
}

export interface Mailer {
  sendConfirmation(mail: ConfirmationMail): Promise<void>;
  close(): void;
}

/** The link GoTrue's `{{ .ConfirmationURL }}` expands to. */
export function confirmationUrl(config: AuthConfig, tokenHash: string, redirectTo: string): string {
  const query = new URLSearchParams({ token: tokenHash, type: "signup", redirect_to: redirectTo });
  return `${config.apiExternalUrl}/auth/v1/verify?${query}`;
}

export function createSmtpMailer(config: AuthConfig): Mailer {
  const transport = nodemailer.createTransport({
    host: config.smtpHost,
    port: config.smtpPort,
    secure: config.smtpPort === 465,
    ignoreTLS: config.smtpPort !== 465 && config.smtpPort !== 587,
    auth: config.smtpUser ? { user: config.smtpUser, pass: config.smtpPass ?? "" } : undefined,
  });
  const from = config.smtpSenderName
    ? { name: config.smtpSenderName, address: config.smtpAdminEmail }
    : config.smtpAdminEmail;
  return {
    async sendConfirmation(mail) {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: "Confirm Your Signup",
        text: [
          "Confirm your signup",
          "",
          "Follow this link to confirm your user:",
          mail.confirmationUrl,
          "",
          `Alternatively, enter the code: ${mail.otp}`,
          "",
        ].join("\n"),
        html: [
          "<h2>Confirm your signup</h2>",
          "<p>Follow this link to confirm your user:</p>",
          `<p><a href="${escapeHtml(mail.confirmationUrl)}">Confirm your email address</a></p>`,
          `<p>Alternatively, enter the code: ${escapeHtml(mail.otp)}</p>`,
        ].join("\n"),
      });
    },
    close() {
      transport.close();
    },
  };
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll(
    '"',
    "&quot;",
  );
}
