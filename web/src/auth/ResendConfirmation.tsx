import { useTranslation } from "react-i18next";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { useAction } from "../ui/use-action.ts";
import { authData } from "./auth-errors.ts";
import { confirmationRedirectUrl } from "./redirects.ts";

/** Sends the sign-up confirmation e-mail again. */
export function ResendConfirmation({ email }: { email: string }) {
  const { t } = useTranslation();
  const { busy, message: result, run } = useAction();

  const resend = () =>
    run(async () => {
      authData(
        await supabase.auth.resend({
          type: "signup",
          email,
          options: { emailRedirectTo: confirmationRedirectUrl() },
        }),
      );
      return t("We sent the link to {{email}} again.", { email });
    });

  return (
    <div className="resend">
      <button type="button" onClick={resend} disabled={busy || email === ""}>
        {busy ? t("Sending…") : t("Send the e-mail again")}
      </button>
      {result && <Alert kind={result.kind}>{result.text}</Alert>}
    </div>
  );
}
