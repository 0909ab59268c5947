import { type FormEvent, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { browserTimeZone } from "../auth/redirects.ts";
import { useSession, useUserId } from "../auth/session.tsx";
import { updateProfile } from "../profile/profile-api.ts";
import { useProfile } from "../profile/use-profile.ts";
import { Alert } from "../ui/Alert.tsx";
import { Field } from "../ui/Field.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { useAction } from "../ui/use-action.ts";
import { ChangeEmail } from "./ChangeEmail.tsx";
import { ChangePassword } from "./ChangePassword.tsx";
import { DeleteAccount } from "./DeleteAccount.tsx";
import { LanguageSelect } from "./LanguageSelect.tsx";
import { TimeFormatSelect } from "./TimeFormatSelect.tsx";
import { knownTimeZones } from "./time-zones.ts";
import { TwoFactorSettings } from "./TwoFactorSettings.tsx";
import { WeeklyDigest } from "../data-transfer/WeeklyDigest.tsx";
import { YourData } from "../data-transfer/YourData.tsx";
import { displayNameError } from "../errors/display-name.ts";

export function SettingsPage() {
  const { t } = useTranslation();
  usePageTitle(t("Settings"));
  const userId = useUserId();
  const { session } = useSession();
  const profile = useProfile();
  const zones = useMemo(knownTimeZones, []);
  const [displayName, setDisplayName] = useState("");
  const [timeZone, setTimeZone] = useState("");
  const { busy, message: result, run } = useAction();
  const [languageError, setLanguageError] = useState<string>();
  const [timeFormatError, setTimeFormatError] = useState<string>();

  const loaded = profile.data;
  useEffect(() => {
    if (!loaded) return;
    setDisplayName(loaded.display_name ?? "");
    setTimeZone(loaded.timezone);
  }, [loaded]);

  if (!loaded) {
    return profile.error ? <Alert kind="error">{profile.error}</Alert> : <Loading />;
  }

  const zoneError = zones.includes(timeZone.trim())
    ? undefined
    : t("Choose a time zone from the list, e.g. Europe/Berlin.");
  const nameError = displayNameError(displayName);
  const browserZone = browserTimeZone();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (zoneError || nameError) return;
    await run(async () => {
      await updateProfile(userId, {
        display_name: displayName.trim() || null,
        timezone: timeZone.trim(),
      });
      profile.reload();
      return t("Saved. Reminders now follow this time zone.");
    });
  };

  return (
    <section className="narrow">
      <h1>{t("Settings")}</h1>
      <div className="field">
        <label htmlFor="language">{t("Language")}</label>
        <LanguageSelect id="language" onError={setLanguageError} />
        <div className="hint">{t("The web app and the Telegram bot speak this language.")}</div>
        {languageError && <p className="field-error">{languageError}</p>}
      </div>
      <div className="field">
        <label htmlFor="time_format">{t("Time format")}</label>
        <TimeFormatSelect id="time_format" onError={setTimeFormatError} />
        <div className="hint">
          {t("Times are written this way here and in Telegram.")}
        </div>
        {timeFormatError && <p className="field-error">{timeFormatError}</p>}
      </div>
      <form onSubmit={save} noValidate>
        {result && <Alert kind={result.kind}>{result.text}</Alert>}
        <Field
          id="display_name"
          label={t("Display name")}
          autoComplete="nickname"
          value={displayName}
          onChange={(event) => setDisplayName(event.target.value)}
          error={nameError}
          hint={t("Only you see it.")}
        />
        <Field
          id="timezone"
          label={t("Time zone")}
          list="time-zone-options"
          autoComplete="off"
          spellCheck={false}
          value={timeZone}
          onChange={(event) => setTimeZone(event.target.value)}
          error={zoneError}
          hint={t("Type to search, e.g. “Berlin”. Habit times are read in this time zone.")}
        >
          <datalist id="time-zone-options">
            {zones.map((zone) => <option key={zone} value={zone} />)}
          </datalist>
        </Field>
        {timeZone !== browserZone && (
          <p>
            <button type="button" onClick={() => setTimeZone(browserZone)}>
              {t("Use this device's time zone ({{zone}})", { zone: browserZone })}
            </button>
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("Saving…") : t("Save settings")}
        </button>
      </form>
      <ChangeEmail current={session?.user.email ?? ""} />
      <ChangePassword />
      <TwoFactorSettings />
      <WeeklyDigest />
      <YourData />
      <DeleteAccount />
    </section>
  );
}
