// The generated database types live with the edge functions; the SPA shares them.
import type { Database, Tables, TablesInsert } from "../../../supabase/functions/_shared/database.types.ts";

export type { Database, TablesInsert };
export type Habit = Tables<"habits">;
export type Profile = Tables<"profiles">;
export type HabitCompletion = Tables<"habit_completions">;
export type Notification = Tables<"notifications">;
export type PublicHabit = Tables<"public_habits">;
