/**
 * What every browser test starts with: a devstack on free ports whose Auth knows the web app's
 * address, the production build of web/ served on a free port, Chromium, and a service-role
 * client. `close()` stops all of it, in reverse order, and removes the build.
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import type { Browser } from "playwright-core";
import { type RunningStack, type StackOptions, startStack } from "../../../devstack/stack.ts";
import { testDatabaseUrl } from "../../support/database.ts";
import { launchChromium } from "./browser.ts";
import { buildSpa, freePort, serveSpa } from "./spa.ts";

export interface SpaStack {
  stack: RunningStack;
  spaUrl: string;
  browser: Browser;
  admin: SupabaseClient;
  close(): Promise<void>;
}

/** `options` adds to (or overrides) the stack's options; the web app's address is filled in. */
export async function startSpaStack(
  name: string,
  options: (spaUrl: string) => Partial<StackOptions> = () => ({}),
): Promise<SpaStack> {
  const spaPort = freePort();
  const spaUrl = `http://127.0.0.1:${spaPort}`;
  const buildDir = await Deno.makeTempDir({ prefix: `habits-spa-${name}-` });
  const cleanups: (() => Promise<unknown>)[] = [() => Deno.remove(buildDir, { recursive: true })];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error) => console.error("[e2e] cleanup failed:", error));
    }
  };
  try {
    const stack = await startStack({
      databaseUrl: testDatabaseUrl(),
      siteUrl: spaUrl,
      uriAllowList: [`${spaUrl}/**`],
      ...options(spaUrl),
    });
    cleanups.push(() => stack.stop());
    await buildSpa({ supabaseUrl: stack.urls.api, anonKey: stack.keys.anon, outDir: buildDir });
    const spa = serveSpa(buildDir, spaPort);
    cleanups.push(() => spa.close());
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const admin = createClient(stack.urls.api, stack.keys.serviceRole, { auth: { persistSession: false } });
    return { stack, spaUrl, browser, admin, close };
  } catch (error) {
    await close();
    throw error;
  }
}
