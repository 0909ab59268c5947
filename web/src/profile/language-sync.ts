import { useEffect, useRef } from "react";
import { currentLanguage, isLanguage, type Language, setLanguage } from "../i18n/i18n.ts";
import { isTimeFormat, type TimeFormat } from "../i18n/clock.ts";
import { setTimeFormat } from "../i18n/time-format.ts";
import { supabase } from "../lib/supabase.ts";
import { fetchProfile, updateProfile } from "./profile-api.ts";

/**
 * Keeps the interface language and the profile's in step for a signed-in person: a language saved
 * in the profile wins at sign-in, and so does its time format; a profile without one gets the language in use (so the bot can
 * speak it). Failures are harmless: the next change tries again.
 */
export function useProfileLanguageSync(userId: string | undefined): void {
  const synced = useRef<string>(undefined);
  useEffect(() => {
    if (!userId || synced.current === userId) return;
    synced.current = userId;
    fetchProfile(userId).then((profile) => {
      if (isTimeFormat(profile.time_format)) setTimeFormat(profile.time_format);
      if (isLanguage(profile.language)) setLanguage(profile.language);
      else return updateProfile(userId, { language: currentLanguage() });
    }).catch(() => {
      synced.current = undefined;
    });
  }, [userId]);
}

/** Switches the interface and, when signed in, saves the choice in the profile. */
export async function chooseLanguage(language: Language): Promise<void> {
  setLanguage(language);
  const { data } = await supabase.auth.getSession();
  const userId = data.session?.user.id;
  if (userId) await updateProfile(userId, { language });
}

/** Writes times this way from now on and, when signed in, saves the choice in the profile. */
export async function chooseTimeFormat(format: TimeFormat): Promise<void> {
  setTimeFormat(format);
  const { data } = await supabase.auth.getSession();
  const userId = data.session?.user.id;
  if (userId) await updateProfile(userId, { time_format: format });
}
