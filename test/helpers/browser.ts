import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type ConsoleMessage, type Page } from "playwright-core";

/** Where Debian puts its chromium package's browser; CHROMIUM_PATH names another. */
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** The Chromium to drive: CHROMIUM_PATH, else the first Debian path that exists. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  return CANDIDATES.find((p) => existsSync(p));
}

/**
 * Launches the system's Chromium headless. Never skipped: `.ci/run` installs
 * Debian's chromium when it is missing, so a missing browser fails with how to
 * get one. Chromium refuses its sandbox as root (CI's containers run as root);
 * any other user keeps it.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath || !existsSync(executablePath)) {
    throw new Error(`no Chromium found (${process.env.CHROMIUM_PATH ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist` : `looked for ${CANDIDATES.join(", ")}`}): install it with \`apt-get install chromium\` or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath, headless: true, chromiumSandbox: process.getuid?.() !== 0 });
}

/**
 * A browser context that can reach only the loopback servers the test
 * started: any other request (a CDN, GitHub, the public URL's host) is
 * aborted and recorded, so a test never touches the real network and can
 * assert that a page asked for nothing outside.
 */
export async function loopbackContext(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; outside: string[] }> {
  const context = await browser.newContext(options);
  const outside: string[] = [];
  await context.route(
    (url) => !/^(127\.0\.0\.1|localhost)$/.test(url.hostname),
    (route) => {
      outside.push(route.request().url());
      return route.abort("blockedbyclient");
    },
  );
  return { context, outside };
}

/** What went wrong in a page: console errors (CSP violations are logged as errors), uncaught exceptions and dialogs opened. */
export interface PageProblems {
  errors: string[];
  dialogs: string[];
}

/** Records a page's console errors, uncaught exceptions and dialogs (dismissed) from now on. */
export function watchPage(page: Page): PageProblems {
  const problems: PageProblems = { errors: [], dialogs: [] };
  page.on("console", (msg: ConsoleMessage) => {
    if (msg.type() === "error") problems.errors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on("pageerror", (err) => problems.errors.push(`uncaught: ${err.message}`));
  page.on("dialog", (dialog) => {
    problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return problems;
}
