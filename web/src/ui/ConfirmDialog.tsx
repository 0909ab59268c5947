import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

/** A modal question (native <dialog>: focus stays inside, Escape cancels). */
export function ConfirmDialog(
  { open, title, message, confirmLabel, onConfirm, onCancel, busy = false }: {
    open: boolean;
    title: string;
    message: string;
    confirmLabel: string;
    onConfirm: () => void;
    onCancel: () => void;
    busy?: boolean;
  },
) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="confirm-dialog-title"
      aria-describedby="confirm-dialog-message"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id="confirm-dialog-title">{title}</h2>
      <p id="confirm-dialog-message">{message}</p>
      <div className="actions">
        <button type="button" onClick={onCancel} autoFocus>{t("Cancel")}</button>
        <button
          type="button"
          className="danger"
          onClick={onConfirm}
          disabled={busy}
        >
          {busy ? t("Working…") : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
