import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { Field } from "../ui/Field.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { CodeEntry } from "./CodeEntry.tsx";
import { ResendConfirmation } from "./ResendConfirmation.tsx";

export function CheckEmailPage() {
  usePageTitle("Check your e-mail");
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState(search.get("email") ?? "");
  const knownEmail = search.get("email");

  return (
    <section className="narrow">
      <h1>Check your e-mail</h1>
      {knownEmail
        ? (
          <p>
            We sent a confirmation link to{" "}
            <strong>{knownEmail}</strong>. Open it on this device to finish signing up.
          </p>
        )
        : (
          <p>
            We sent you a confirmation link. Open it on this device to finish signing up.
          </p>
        )}
      <p className="hint">
        No e-mail after a few minutes? Look in your spam folder, or send it again.
      </p>
      {!knownEmail && (
        <Field
          id="resend-email"
          label="Your e-mail"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
      )}
      {knownEmail && (
        <CodeEntry
          email={knownEmail}
          type="email"
          onVerified={() => navigate("/habits", { replace: true, state: { welcome: true } })}
        />
      )}
      <ResendConfirmation email={email.trim()} />
      <p>
        Already confirmed? <Link to="/sign-in">Sign in</Link>.
      </p>
    </section>
  );
}
