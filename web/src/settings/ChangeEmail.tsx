import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { AuthFailure } from "../auth/auth-errors.ts";
import { CodeEntry } from "../auth/CodeEntry.tsx";
import { confirmationRedirectUrl } from "../auth/redirects.ts";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";
import { useAction } from "../ui/use-action.ts";

type Step =
  | { kind: "idle" }
  | { kind: "sent"; from: string; to: string; confirmed: string[] }
  | { kind: "done"; email: string };

/**
 * Changes the e-mail address. Auth mails the new address, and (double_confirm_changes) the current
 * one too; the change happens when both are confirmed, by link or by code.
 */
export function ChangeEmail({ current }: { current: string }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const { busy, message, run, fail } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next = email.trim().toLowerCase();
    if (!next.includes("@")) return fail(t("Enter the new e-mail address."));
    if (next === current.toLowerCase()) return fail(t("This is already your e-mail address."));
    await run(async () => {
      const { error } = await supabase.auth.updateUser(
        { email: next },
        { emailRedirectTo: confirmationRedirectUrl() },
      );
      if (error?.code === "email_exists") {
        throw new Error(t("Another account already uses this e-mail address."));
      }
      if (error) throw new AuthFailure(error);
      setStep({ kind: "sent", from: current, to: next, confirmed: [] });
    });
  };

  const confirmed = (address: string) => (signedIn: boolean) => {
    if (step.kind !== "sent") return;
    if (signedIn) setStep({ kind: "done", email: step.to });
    else setStep({ ...step, confirmed: [...step.confirmed, address] });
  };

  return (
    <section aria-labelledby="change-email-title">
      <h2 id="change-email-title">{t("E-mail address")}</h2>
      <p>
        {t("Now:")} <strong>{current}</strong>
      </p>
      {step.kind === "done" && (
        <Alert kind="success">{t("Your e-mail address is now {{email}}.", { email: step.email })}</Alert>
      )}
      {step.kind === "sent"
        ? (
          <>
            <Alert kind="info">
              {step.confirmed.length === 0
                ? t(
                  "Check both inboxes: we sent a confirmation to {{from}} and to {{to}}. Your address changes once both are confirmed (open each link, or enter each code below).",
                  { from: step.from, to: step.to },
                )
                : t("{{email}} is confirmed. Now confirm the other address.", { email: step.confirmed[0] })}
            </Alert>
            {[step.from, step.to].filter((address) => !step.confirmed.includes(address)).map((address) => (
              <CodeEntry
                key={address}
                id={`code-${address === step.from ? "current" : "new"}`}
                email={address}
                type="email_change"
                label={t("Code sent to {{email}}", { email: address })}
                onVerified={confirmed(address)}
              />
            ))}
          </>
        )
        : (
          <form onSubmit={submit} noValidate>
            {message && <Alert kind={message.kind}>{message.text}</Alert>}
            <Field
              id="new-email"
              label={t("New e-mail address")}
              type="email"
              autoComplete="email"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
            <button type="submit" disabled={busy}>
              {busy ? t("Sending…") : t("Change e-mail")}
            </button>
          </form>
        )}
    </section>
  );
}
