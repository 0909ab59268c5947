import { QrCode as QRCodeSVG } from "../ui/QrCode.tsx";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatInstant } from "../i18n/format.ts";
import { telegramStatusOf } from "../profile/profile-api.ts";
import { useProfile } from "../profile/use-profile.ts";
import { Alert } from "../ui/Alert.tsx";
import { ConfirmDialog } from "../ui/ConfirmDialog.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { useAction } from "../ui/use-action.ts";
import { loadLinkCode, type PendingLinkCode, saveLinkCode } from "./link-code-storage.ts";
import { createLinkCode, disconnectTelegram, type LinkCode } from "./telegram-api.ts";

function LinkInstructions({ linkCode }: { linkCode: LinkCode }) {
  const { t } = useTranslation();
  const command = `/start ${linkCode.code}`;
  return (
    <div className="link-instructions">
      {linkCode.deepLink
        ? (
          <>
            <p>
              <a
                className="button primary"
                href={linkCode.deepLink}
                target="_blank"
                rel="noopener noreferrer"
              >
                {t("Open Telegram and connect")}
              </a>
            </p>
            <figure className="qr">
              <QRCodeSVG
                value={linkCode.deepLink}
                size={176}
                marginSize={2}
                title={t("QR code of the Telegram link")}
              />
              <figcaption>
                {t("On your phone? Scan this code with the camera.")}
              </figcaption>
            </figure>
            <p className="hint">{t("Or send this message to the bot yourself:")}</p>
          </>
        )
        : <p>{t("Send this message to the bot in Telegram:")}</p>}
      <p>
        <code className="link-code" data-testid="link-command">{command}</code>{" "}
        <button
          type="button"
          onClick={() => navigator.clipboard?.writeText(command)}
        >
          {t("Copy")}
        </button>
      </p>
      <p className="hint">
        {t("The code works once and until {{when}}. This page updates by itself when you are connected.", {
          when: formatInstant(linkCode.expiresAt),
        })}
      </p>
    </div>
  );
}

export function TelegramPage() {
  const { t } = useTranslation();
  usePageTitle(t("Telegram"));
  const [linkCode, setLinkCode] = useState<PendingLinkCode | undefined>(
    loadLinkCode,
  );
  // Live: the link made in Telegram reaches this page through Realtime (useProfile).
  const profile = useProfile();
  const { busy, message, run } = useAction();
  const [confirmingDisconnect, setConfirmingDisconnect] = useState(false);
  const status = profile.data ? telegramStatusOf(profile.data) : undefined;

  // A link made after the code was requested means the code was used: put it away.
  const linkedAt = profile.data?.telegram_linked_at;
  useEffect(() => {
    if (
      linkCode && linkedAt &&
      new Date(linkedAt).getTime() >=
        new Date(linkCode.requestedAt).getTime() - 60_000
    ) {
      setLinkCode(undefined);
      saveLinkCode(undefined);
    }
  }, [linkedAt, linkCode]);

  const requestCode = () =>
    run(async () => {
      const code = { ...await createLinkCode(), requestedAt: new Date().toISOString() };
      setLinkCode(code);
      saveLinkCode(code);
    });

  const disconnect = () =>
    run(async () => {
      await disconnectTelegram();
      setConfirmingDisconnect(false);
      profile.reload();
    });

  if (!profile.data) {
    return profile.error ? <Alert kind="error">{profile.error}</Alert> : <Loading />;
  }
  const linked = status === "linked";

  return (
    <section className="narrow">
      <h1>{t("Telegram")}</h1>
      <p>
        {t("Reminders for your habits arrive in Telegram, with a Done button to record them.")}
      </p>
      <div className="card" aria-live="polite" data-testid="telegram-status">
        {linked && (
          <p>
            <strong>{t("Connected")}</strong>
            {profile.data.telegram_username &&
              ` ${t("as @{{username}}", { username: profile.data.telegram_username })}`}
            {profile.data.telegram_linked_at &&
              ` ${t("since {{when}}", { when: formatInstant(profile.data.telegram_linked_at) })}`}.
          </p>
        )}
        {status === "blocked" && (
          <p>
            <strong>{t("Disconnected:")}</strong>{" "}
            {t("Telegram told us you blocked the bot on {{when}}. Unblock it and connect again below.", {
              when: formatInstant(profile.data.telegram_blocked_at),
            })}
          </p>
        )}
        {status === "not_linked" && (
          <p>
            <strong>{t("Not connected.")}</strong> {t("Connect a chat to create habits and get reminders.")}
          </p>
        )}
      </div>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {linked
        ? (
          <>
            <p>
              {t("You are all set.")} <Link to="/habits/new">{t("Create a habit")}</Link>
            </p>
            <h2>{t("Disconnect")}</h2>
            <p>
              {t(
                "Disconnecting stops all reminders until you connect a chat again (sending /stop to the bot does the same). To move reminders to another chat, get a new code and send it from that chat.",
              )}
            </p>
            <button
              type="button"
              className="danger"
              onClick={() => setConfirmingDisconnect(true)}
              disabled={busy}
            >
              {t("Disconnect Telegram")}
            </button>{" "}
            <ConfirmDialog
              open={confirmingDisconnect}
              title={t("Disconnect Telegram?")}
              message={t("You will get no reminders until you connect a chat again.")}
              confirmLabel={t("Disconnect")}
              onConfirm={disconnect}
              onCancel={() => setConfirmingDisconnect(false)}
              busy={busy}
            />
            {!linkCode && (
              <button type="button" onClick={requestCode} disabled={busy}>
                {busy ? t("Getting a code…") : t("Connect another chat instead")}
              </button>
            )}
          </>
        )
        : !linkCode && (
          <button
            type="button"
            className="primary"
            onClick={requestCode}
            disabled={busy}
          >
            {busy ? t("Getting a code…") : t("Connect Telegram")}
          </button>
        )}
      {linkCode && <LinkInstructions linkCode={linkCode} />}
      {linkCode && !linked && <Loading label={t("Waiting for your message in Telegram…")} />}
    </section>
  );
}
