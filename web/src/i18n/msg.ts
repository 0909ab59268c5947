/**
 * Marks a string as a message key where it is not passed to t() directly, so that
 * tests/e2e/i18n_catalogue_test.ts finds it. No imports: Deno tests load modules that use it.
 */
export function msg<K extends string>(key: K): K {
  return key;
}
