import { FunctionsHttpError } from "@supabase/supabase-js";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";

const CONFIRMATION = "DELETE";

/** "Delete my account": typed confirmation, then the delete-account function. */
export function DeleteAccount() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (typed.trim() !== CONFIRMATION) {
      setError(t("Type {{word}} to confirm.", { word: CONFIRMATION }));
      return;
    }
    setBusy(true);
    setError(undefined);
    const { error: callError } = await supabase.functions.invoke(
      "delete-account",
      { method: "POST" },
    );
    if (callError) {
      setBusy(false);
      const status = callError instanceof FunctionsHttpError ? callError.context.status : 0;
      setError(
        status === 401
          ? t("Your session has ended. Sign in again, then delete your account.")
          : t("Your account could not be deleted. Nothing was removed; try again in a moment."),
      );
      return;
    }
    await supabase.auth.signOut({ scope: "local" });
    navigate("/sign-in", {
      replace: true,
      state: { notice: t("Your account and all its data are deleted.") },
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
      {error && <Alert kind="error">{error}</Alert>}
      <Field
        id="delete-confirmation"
        label={t("Type {{word}} to confirm", { word: CONFIRMATION })}
        autoComplete="off"
        value={typed}
        onChange={(event) => setTyped(event.target.value)}
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
