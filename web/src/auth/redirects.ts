/** Where confirmation e-mails lead back to: this app's landing page. */
export function confirmationRedirectUrl(): string {
  return `${globalThis.location.origin}/auth/confirm`;
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** Where the password-reset e-mail leads: the "choose a new password" page. */
export function resetPasswordRedirectUrl(): string {
  return `${globalThis.location.origin}/auth/reset-password`;
}
