import { type FormEvent, useEffect, useState } from "react";
import { useUserId } from "../auth/session.tsx";
import { unwrap } from "../lib/data-error.ts";
import { supabase } from "../lib/supabase.ts";
import { useProfile } from "../profile/use-profile.ts";
import { Alert } from "../ui/Alert.tsx";
import { useAction } from "../ui/use-action.ts";
import { useDataTransferStrings } from "./strings.ts";

/** The weekly digest's opt-in, day and time (the same profile columns /digest on|off sets). */
export function WeeklyDigest() {
  const STRINGS = useDataTransferStrings();
  const userId = useUserId();
  const profile = useProfile();
  const [enabled, setEnabled] = useState(false);
  const [weekday, setWeekday] = useState(0);
  const [time, setTime] = useState("19:00");
  const { message: result, run, fail } = useAction();
  const loaded = profile.data;
  useEffect(() => {
    if (!loaded) return;
    setEnabled(loaded.weekly_digest);
    setWeekday(loaded.digest_weekday);
    setTime(loaded.digest_time.slice(0, 5));
  }, [loaded]);
  if (!loaded) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // A cleared time field sends "", which the time column cannot read.
    if (!/^\d{2}:\d{2}/.test(time)) return fail(STRINGS.digestTimeMissing);
    await run(async () => {
      unwrap(
        await supabase.from("profiles").update({
          weekly_digest: enabled,
          digest_weekday: weekday,
          digest_time: time,
        })
          .eq("id", userId).select().single(),
      );
      profile.reload();
      return STRINGS.saved;
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="weekly-digest-title">
      <h2 id="weekly-digest-title">{STRINGS.digestTitle}</h2>
      {result && <Alert kind={result.kind}>{result.text}</Alert>}
      <label>
        <input
          type="checkbox"
          checked={enabled}
          onChange={(event) => setEnabled(event.target.checked)}
        />{" "}
        {STRINGS.digestOptIn}
      </label>
      <label>
        {STRINGS.digestDay}{" "}
        <select
          value={weekday}
          onChange={(event) => setWeekday(Number(event.target.value))}
        >
          {STRINGS.weekdays.map((day, index) => <option key={day} value={index}>{day}</option>)}
        </select>
      </label>
      <label>
        {STRINGS.digestTime}{" "}
        <input
          type="time"
          required
          value={time}
          onChange={(event) => setTime(event.target.value)}
        />
      </label>
      <button type="submit">{STRINGS.save}</button>
    </form>
  );
}
