import { existsSync } from "node:fs";
import { afterEach, beforeAll } from "vitest";
import type { startAppProcess } from "../../scripts/app-process.js";
import type { startGitHubStandIn } from "../../scripts/github-standin.js";

/**
 * What the tests that drive the built app (dist/app/server.js, what `npm start`
 * runs) against the loopback GitHub stand-in share: the build must be there
 * (`npm test` builds first), and every app process and stand-in a test
 * started is stopped after it, whatever happened.
 */
export type AppProcess = Awaited<ReturnType<typeof startAppProcess>>;
export type StandIn = Awaited<ReturnType<typeof startGitHubStandIn>>;

export function useBuiltApp(): { running: AppProcess[]; standIns: StandIn[] } {
  const running: AppProcess[] = [];
  const standIns: StandIn[] = [];
  beforeAll(() => {
    if (!existsSync(new URL("../../dist/app/server.js", import.meta.url))) throw new Error("dist/app/server.js is missing: run `npm run build` first");
  });
  afterEach(async () => {
    for (const app of running.splice(0)) if (app.child.exitCode === null && app.child.signalCode === null) await app.kill("SIGKILL");
    for (const gh of standIns.splice(0)) await gh.close();
  });
  return { running, standIns };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `done()`, polling; past `timeoutMs` fails with `diagnose()` (the app's output, what GitHub saw). */
export async function until(what: string, done: () => boolean, timeoutMs: number, diagnose: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}\n${diagnose()}`);
    await sleep(50);
  }
}
