import { FunctionsHttpError } from "@supabase/supabase-js";
import { type FormEvent, useState } from "react";
import { supabase } from "../lib/supabase.ts";
import { Alert } from "../ui/Alert.tsx";
import { useAction } from "../ui/use-action.ts";
import { importErrorSentence } from "./import-messages.ts";
import { useDataTransferStrings } from "./strings.ts";

const TABLES = ["habits", "completions", "deliveries"] as const;
type Format = "ours" | "loop";

function save(name: string, content: string, type: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = Object.assign(document.createElement("a"), {
    href: url,
    download: name,
  });
  link.click();
  // Revoked later: the browser starts the download after this click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The function's own message (it names the file and line), or a general one. */
async function messageOf(error: unknown, fallback: string): Promise<string> {
  if (error instanceof FunctionsHttpError) {
    const body = await error.context.json().catch(() => null);
    const sentence = body && typeof body === "object" ? importErrorSentence(body) : undefined;
    if (sentence) return sentence;
  }
  return fallback;
}

/** "Download my data" and "Import", through the export and import functions (as the signed-in user). */
export function YourData() {
  const STRINGS = useDataTransferStrings();
  const [format, setFormat] = useState<Format>("ours");
  const [files, setFiles] = useState<{ first?: File; second?: File }>({});
  const { busy, message: result, run, fail } = useAction();

  const download = async (table?: (typeof TABLES)[number]) => {
    const { data, error } = await supabase.functions.invoke(
      table ? `export?table=${table}` : "export",
      {
        method: "GET",
      },
    );
    if (error) return fail(STRINGS.downloadFailed);
    const day = new Date().toISOString().slice(0, 10);
    if (table) save(`habits-${table}-${day}.csv`, String(data), "text/csv");
    else {save(
        `habits-export-${day}.json`,
        JSON.stringify(data, null, 2),
        "application/json",
      );}
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { first: firstFile, second: secondFile } = files;
    if (!firstFile || !secondFile) return fail(STRINGS.chooseFiles);
    await run(async () => {
      const [first, second] = [await firstFile.text(), await secondFile.text()];
      const body = format === "ours"
        ? { format: "habits-csv", habits: first, completions: second }
        : { format: "loop", habits: first, checkmarks: second };
      const { data, error } = await supabase.functions.invoke("import", {
        method: "POST",
        body,
      });
      if (error) throw new Error(await messageOf(error, STRINGS.importFailed));
      return {
        kind: "success",
        text: STRINGS.imported(data.imported.habits, data.imported.completions),
        details: data.report,
      };
    });
  };

  return (
    <section aria-labelledby="your-data-title">
      <h2 id="your-data-title">{STRINGS.dataTitle}</h2>
      <p>{STRINGS.dataIntro}</p>
      <p>
        <button type="button" onClick={() => download()}>
          {STRINGS.downloadJson}
        </button>{" "}
        {TABLES.map((table) => (
          <button
            key={table}
            type="button"
            onClick={() => download(table)}
          >
            {STRINGS.downloadCsv(table)}
          </button>
        ))}
      </p>
      <h3>{STRINGS.importTitle}</h3>
      <p>{STRINGS.importIntro}</p>
      <form onSubmit={submit} noValidate>
        {result && (
          <Alert kind={result.kind}>
            {result.text}
            {result.details && result.details.length > 0 && (
              <ul>{result.details.map((line) => <li key={line}>{line}</li>)}</ul>
            )}
          </Alert>
        )}
        <p>
          <select
            aria-label={STRINGS.importTitle}
            value={format}
            onChange={(event) => setFormat(event.target.value as Format)}
          >
            <option value="ours">{STRINGS.formatOurs}</option>
            <option value="loop">{STRINGS.formatLoop}</option>
          </select>
        </p>
        <label>
          {STRINGS.firstFile[format]}{" "}
          <input
            type="file"
            accept=".csv"
            onChange={(e) => setFiles({ ...files, first: e.target.files?.[0] })}
          />
        </label>
        <label>
          {STRINGS.secondFile[format]}{" "}
          <input
            type="file"
            accept=".csv"
            onChange={(e) => setFiles({ ...files, second: e.target.files?.[0] })}
          />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? STRINGS.importing : STRINGS.importButton}
        </button>
      </form>
    </section>
  );
}
