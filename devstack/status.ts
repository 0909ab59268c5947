/**
 * What the start command prints when it is up: the six steps of the whole loop, with this run's
 * addresses. The README's quick start quotes them for the default ports, word for word
 * (tests/devstack/start_test.ts compares the two).
 */
export interface LoopAddresses {
  web: string;
  mail: string;
  /** The local Telegram chat page, or undefined when a real bot from .env is used. */
  chat?: string;
}

export function loopSteps(at: LoopAddresses): string[] {
  const telegram = at.chat
    ? `the link opens the local Telegram chat page (${at.chat}) as a new person, and the bot answers ` +
      `"✅ Connected!".`
    : `the link opens your bot in Telegram, and the bot answers "✅ Connected!".`;
  return [
    `1. Open the web app on ${at.web} and sign up.`,
    `2. Open the mail catcher on ${at.mail}, open the confirmation mail and click its link; ` +
    `the web app then asks you to choose your password.`,
    `3. In the web app, go to Telegram, press "Connect Telegram", then "Open Telegram and connect": ${telegram}`,
    `4. Create a habit: "🆕 New habit" appears in the chat within seconds.`,
    `5. Press "Remind me now" in the chat page (or run: scripts/deno task remind-now): ` +
    `"⏰ Time for your habit" arrives once, now, with Done and Snooze; the habit keeps its time.`,
    `6. Press Done in the chat ("✅ Recorded"), then open the habit's History in the web app: ` +
    `the completion is there.`,
  ];
}

/** The database shell, for the status block and `scripts/deno task psql`. */
export function psqlCommand(databaseUrl: string): string {
  return `psql '${databaseUrl}'`;
}
