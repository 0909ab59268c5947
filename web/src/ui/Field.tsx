import type { InputHTMLAttributes, ReactNode } from "react";

/** A labelled input with its hint and error wired up for screen readers. */
export function Field(
  { id, label, error, hint, children, ...input }:
    & {
      id: string;
      label: ReactNode;
      error?: string;
      hint?: ReactNode;
      children?: ReactNode;
    }
    & InputHTMLAttributes<HTMLInputElement>,
) {
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""]
    .filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {hint && <div id={`${id}-hint`} className="hint">{hint}</div>}
      {error && <p id={`${id}-error`} className="field-error">{error}</p>}
      {children}
    </div>
  );
}
