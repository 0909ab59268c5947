import type { Bot } from "grammy";
import { digestCommand } from "./commands/digest.ts";
import { habitsCommand } from "./commands/habits.ts";
import { helpCommand } from "./commands/help.ts";
import { newHabitFlow } from "./commands/new-habit.ts";
import { pickerCommands } from "./commands/pickers.ts";
import { reminderButtons } from "./commands/reminder-buttons.ts";
import { startCommand } from "./commands/start.ts";
import { statsCommand } from "./commands/stats.ts";
import { stopCommand } from "./commands/stop.ts";
import { todayCommand } from "./commands/today.ts";
import { unknownMessage } from "./commands/unknown-message.ts";
import { type BotContext, type BotDeps, loadProfile } from "./context.ts";
import { privateChatsOnly } from "./private-chats.ts";
import { answerUnknownZone } from "./zone-unknown.ts";

/**
 * Registers the bot's commands and buttons on `bot`: one composer per command or flow, in
 * `commands/`. A new command is a new file there and one line here.
 */
export function registerHandlers(bot: Bot<BotContext>, deps: BotDeps): void {
  // Before anything else: groups, supergroups and channels reach no handler.
  bot.use(privateChatsOnly(deps.messagesFor));
  // The profile, and so the update's language, is read once here for every handler.
  bot.use(loadProfile(deps.store, deps.messagesFor));
  // A zone that no longer resolves is answered with its sentence, not a 500.
  bot.use(answerUnknownZone);
  bot.use(
    startCommand(deps),
    helpCommand(),
    habitsCommand(deps),
    todayCommand(deps),
    pickerCommands(deps),
    newHabitFlow(deps),
    digestCommand(deps),
    statsCommand(deps),
    stopCommand(deps),
    // Last: any button left is a reminder's (or stale), any message left is not understood.
    reminderButtons(deps),
    unknownMessage(),
  );
}
