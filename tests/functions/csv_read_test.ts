/**
 * The import reads CSV with csv-parse, and every record and every malformed file still names the
 * line an editor shows: quoted fields spanning lines, "\r\n" files (as spreadsheets on Windows
 * write them), mixed line ends, empty lines, a BOM and text beyond ASCII. And what the export
 * writes with csv-stringify, the import reads back.
 */
import fc from "fast-check";
import assert from "node:assert/strict";
import { CsvError, parseCsv } from "../../supabase/functions/_shared/csv-read.ts";
import { stringifyCsv } from "../../supabase/functions/_shared/csv-write.ts";
import { restoreFormulaCell } from "../../supabase/functions/_shared/formula-cells.ts";

const lines = (text: string) => parseCsv(text).map((record) => [record.line, record.fields]);

function failure(text: string): [number, string] {
  try {
    parseCsv(text);
  } catch (error) {
    assert.ok(error instanceof CsvError, String(error));
    return [error.line, error.problem];
  }
  assert.fail("parsed a malformed file");
}

Deno.test("each record comes with the line it starts on", () => {
  assert.deepEqual(lines('a,b\n"x\ny\nz",2\n3,4\n'), [[1, ["a", "b"]], [2, ["x\ny\nz", "2"]], [5, [
    "3",
    "4",
  ]]]);
  assert.deepEqual(lines('a,b\r\n"x\r\ny",2\r\n3,4\r\n'), [[1, ["a", "b"]], [2, ["x\r\ny", "2"]], [4, [
    "3",
    "4",
  ]]]);
  assert.deepEqual(lines("a,b\n\n1,2\r\n\r\n\n3,4"), [[1, ["a", "b"]], [3, ["1", "2"]], [6, ["3", "4"]]]);
  assert.deepEqual(lines('\uFEFFпривет,b\n"ёж, ""да""",2\n'), [[1, ["привет", "b"]], [2, ['ёж, "да"', "2"]]]);
  assert.deepEqual(lines('a,\n"",\n""\n\n1,\n'), [[1, ["a", ""]], [2, ["", ""]], [5, ["1", ""]]]);
  assert.deepEqual(lines(""), []);
});

Deno.test("a malformed file names its line and what is wrong", () => {
  assert.deepEqual(failure('a,b\n1,2\n"3,4\n5,6\n'), [3, "a quoted field is never closed"]);
  assert.deepEqual(failure('a,b\r\n"x\r\ny",2\r\n"3,4\r\n'), [4, "a quoted field is never closed"]);
  assert.deepEqual(failure('a,b\n\n1,2\n"3"x,4\n'), [4, "text after a closing quote"]);
  assert.deepEqual(failure('a,b\r\n"x\r\ny",2\r\n\r\n"3"x,4\r\n'), [5, "text after a closing quote"]);
  assert.deepEqual(failure('a,b\nпривет,2\n3,4"5\n'), [3, "a quote inside an unquoted field"]);
  assert.deepEqual(failure('a,b\n"x\ny",2\n3,"4\n5"x\n'), [5, "text after a closing quote"]);
});

Deno.test("what the export writes, the import reads back cell for cell, on the line it starts", () => {
  const cell = fc.string({
    unit: fc.constantFrom("a", "é", ",", '"', "\n", "\r", "\r\n", "=", "+", "'", " "),
  });
  fc.assert(
    fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { maxLength: 8 }), (rows) => {
      const csv = stringifyCsv(["a", "b"], rows);
      const read = parseCsv(csv);
      assert.deepEqual(
        read.slice(1).map((record) => record.fields.map(restoreFormulaCell)),
        rows.filter((row) => !(row.length === 1 && row[0] === "")),
      );
      let line = 1;
      for (const [index, row] of [["a", "b"], ...rows].entries()) {
        assert.equal(read[index]!.line, line);
        line += row.join(",").split(/\r\n|\n|\r/).length;
      }
    }),
    { seed: 20261208, numRuns: 500 },
  );
});
