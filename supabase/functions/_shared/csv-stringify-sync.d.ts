/**
 * The part of csv-stringify/sync (npm:csv-stringify@6.9.0) the export uses. The package's own
 * types reference Node's, which would change Web Crypto's types for every program `deno check`
 * builds; these describe the same function without them.
 */
export interface Options {
  record_delimiter?: string;
  quoted_match?: RegExp | RegExp[];
  cast?: {
    boolean?: (value: boolean) => string;
    string?: (value: string) => string;
  };
}

export function stringify(input: readonly (readonly unknown[])[], options?: Options): string;
