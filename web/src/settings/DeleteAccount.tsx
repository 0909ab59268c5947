import { FunctionsHttpError } from "@supabase/supabase-js";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { translate } from "../i18n/i18n.ts";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";
import { useAction } from "../ui/use-action.ts";

const CONFIRMATION = "DELETE";

/** Why the button stays disabled for what was typed, when it is nearly the word. */
function confirmationHint(typed: string): string | undefined {
  const word = typed.trim();
  if (word === CONFIRMATION || word.toUpperCase() !== CONFIRMATION) return undefined;
  return translate("Type it in capital letters: {{word}}.", { word: CONFIRMATION });
}

/** "Delete my account": typed confirmation, then the delete-account function. */
export function DeleteAccount() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [typed, setTyped] = useState("");
  const { busy, message, run, fail } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (typed.trim() !== CONFIRMATION) return fail(t("Type {{word}} to confirm.", { word: CONFIRMATION }));
    await run(async () => {
      const { error } = await supabase.functions.invoke("delete-account", { method: "POST" });
      if (error) {
        const status = error instanceof FunctionsHttpError ? error.context.status : 0;
        throw new Error(
          status === 401
            ? t("Your session has ended. Sign in again, then delete your account.")
            : t("Your account could not be deleted. Nothing was removed; try again in a moment."),
        );
      }
      await supabase.auth.signOut({ scope: "local" });
      navigate("/sign-in", {
        replace: true,
        state: { notice: t("Your account and all its data are deleted.") },
      });
    });
  };

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-labelledby="delete-account-title"
      className="danger-zone"
    >
      <h2 id="delete-account-title">{t("Delete my account")}</h2>
      <p>
        {t(
          "This deletes your account, your habits, their history and reminders, for good. A linked Telegram chat gets a goodbye message.",
        )}
      </p>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <Field
        id="delete-confirmation"
        label={t("Type {{word}} to confirm", { word: CONFIRMATION })}
        autoComplete="off"
        value={typed}
        onChange={(event) => setTyped(event.target.value)}
        hint={confirmationHint(typed)}
      />
      <button
        type="submit"
        className="danger"
        disabled={busy || typed.trim() !== CONFIRMATION}
      >
        {busy ? t("Deleting…") : t("Delete my account")}
      </button>
    </form>
  );
}
