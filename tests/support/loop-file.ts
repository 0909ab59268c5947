/**
 * A generated Loop Habit Tracker export (Habits.csv and Checkmarks.csv, as tests/fixtures/loop/
 * describes them): `habits` daily habits, one row per day for `days` days back from `lastDay`,
 * newest first, every line ending with a comma. Every `doneEvery`-th cell is checked (2), so
 * the import records about days × habits / doneEvery completions.
 */
export function generateLoopExport(options: {
  habits: number;
  days: number;
  lastDay: string;
  doneEvery: number;
}): { habits: string; checkmarks: string } {
  const names = Array.from({ length: options.habits }, (_, i) => `Habit ${i + 1}`);
  const habits = [
    "Position,Name,Type,Question,Description,NumRepetitions,Interval,Color,Unit,Target Type,Target Value,Archived?",
    ...names.map((name, i) => `${String(i + 1).padStart(3, "0")},${name},0,,,1,1,#FF8F00,,,,false`),
  ].join("\n") + "\n";
  const last = Date.parse(`${options.lastDay}T00:00:00Z`);
  const rows = [`Date,${names.join(",")},`];
  for (let d = 0; d < options.days; d++) {
    const day = new Date(last - d * 86_400_000).toISOString().slice(0, 10);
    const cells = names.map((_, i) => ((d * options.habits + i) % options.doneEvery === 0 ? "2" : "0"));
    rows.push(`${day},${cells.join(",")},`);
  }
  return { habits, checkmarks: rows.join("\n") + "\n" };
}
