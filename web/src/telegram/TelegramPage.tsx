import { QRCodeSVG } from "qrcode.react";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { formatInstant } from "../habits/habit-text.ts";
import { telegramStatusOf } from "../profile/profile-api.ts";
import { useProfile } from "../profile/use-profile.ts";
import { Alert } from "../ui/Alert.tsx";
import { ConfirmDialog } from "../ui/ConfirmDialog.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { loadLinkCode, type PendingLinkCode, saveLinkCode } from "./link-code-storage.ts";
import { createLinkCode, disconnectTelegram, type LinkCode } from "./telegram-api.ts";

const POLL_MS = 3000;

function LinkInstructions({ linkCode }: { linkCode: LinkCode }) {
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
                Open Telegram and connect
              </a>
            </p>
            <figure className="qr">
              <QRCodeSVG
                value={linkCode.deepLink}
                size={176}
                marginSize={2}
                title="QR code of the Telegram link"
              />
              <figcaption>
                On your phone? Scan this code with the camera.
              </figcaption>
            </figure>
            <p className="hint">Or send this message to the bot yourself:</p>
          </>
        )
        : <p>Send this message to the bot in Telegram:</p>}
      <p>
        <code className="link-code" data-testid="link-command">{command}</code>{" "}
        <button
          type="button"
          onClick={() => navigator.clipboard?.writeText(command)}
        >
          Copy
        </button>
      </p>
      <p className="hint">
        The code works once and until{" "}
        {formatInstant(linkCode.expiresAt)}. This page updates by itself when you are connected.
      </p>
    </div>
  );
}

export function TelegramPage() {
  usePageTitle("Telegram");
  const [linkCode, setLinkCode] = useState<PendingLinkCode | undefined>(
    loadLinkCode,
  );
  // Poll the profile while a code is out, so the page notices the link made in Telegram.
  const profile = useProfile(linkCode ? POLL_MS : undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
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

  const requestCode = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const code = {
        ...await createLinkCode(),
        requestedAt: new Date().toISOString(),
      };
      setLinkCode(code);
      saveLinkCode(code);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  const disconnect = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await disconnectTelegram();
      setConfirmingDisconnect(false);
      profile.reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  if (!profile.data) {
    return profile.error ? <Alert kind="error">{profile.error}</Alert> : <Loading />;
  }
  const linked = status === "linked";

  return (
    <section className="narrow">
      <h1>Telegram</h1>
      <p>
        Reminders for your habits arrive in Telegram, with a Done button to record them.
      </p>
      <div className="card" aria-live="polite" data-testid="telegram-status">
        {linked && (
          <p>
            <strong>Connected</strong>
            {profile.data.telegram_username &&
              ` as @${profile.data.telegram_username}`}
            {profile.data.telegram_linked_at &&
              ` since ${formatInstant(profile.data.telegram_linked_at)}`}.
          </p>
        )}
        {status === "blocked" && (
          <p>
            <strong>Disconnected:</strong> Telegram told us you blocked the bot on{" "}
            {formatInstant(profile.data.telegram_blocked_at)}. Unblock it and connect again below.
          </p>
        )}
        {status === "not_linked" && (
          <p>
            <strong>Not connected.</strong> Connect a chat to create habits and get reminders.
          </p>
        )}
      </div>
      {error && <Alert kind="error">{error}</Alert>}
      {linked
        ? (
          <>
            <p>
              You are all set. <Link to="/habits/new">Create a habit</Link>.
            </p>
            <h2>Disconnect</h2>
            <p>
              Disconnecting stops all reminders until you connect a chat again (sending <code>/stop</code>
              {" "}
              to the bot does the same). To move reminders to another chat, get a new code and send it from
              that chat.
            </p>
            <button
              type="button"
              className="danger"
              onClick={() => setConfirmingDisconnect(true)}
              disabled={busy}
            >
              Disconnect Telegram
            </button>{" "}
            <ConfirmDialog
              open={confirmingDisconnect}
              title="Disconnect Telegram?"
              message="You will get no reminders until you connect a chat again."
              confirmLabel="Disconnect"
              onConfirm={disconnect}
              onCancel={() => setConfirmingDisconnect(false)}
              busy={busy}
            />
            {!linkCode && (
              <button type="button" onClick={requestCode} disabled={busy}>
                {busy ? "Getting a code…" : "Connect another chat instead"}
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
            {busy ? "Getting a code…" : "Connect Telegram"}
          </button>
        )}
      {linkCode && <LinkInstructions linkCode={linkCode} />}
      {linkCode && !linked && <Loading label="Waiting for your message in Telegram…" />}
    </section>
  );
}
