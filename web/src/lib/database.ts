// The generated database types (scripts/gen-types.sh); the web app is their only user.
import type { Database, Tables, TablesInsert } from "./database.types.ts";

export type { Database, TablesInsert };
export type Habit = Tables<"habits">;
export type Profile = Tables<"profiles">;
export type HabitCompletion = Tables<"habit_completions">;
export type Notification = Tables<"notifications">;
export type PublicHabit = Tables<"public_habits">;
