import { createRequire } from "node:module";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredAudit } from "../../../src/report/stored.js";
import { pushPayload } from "../../fixtures/app/events.js";
import { AppFake } from "../../fixtures/app/fakeGitHub.js";
import { testsUseRedis } from "../../fixtures/app/harness.js";
import { PORTFOLIO } from "../../fixtures/github/portfolio.js";
import { serveApp, type ServedApp } from "../../helpers/appServer.js";
import { launchChromium, loopbackContext, watchPage, type PageProblems } from "../../helpers/browser.js";
import { useNock } from "../../helpers/nock.js";
import { startRedis, type TestRedis } from "../../helpers/redis.js";

/**
 * The report pages in a real browser (the system's Chromium, headless), as a
 * recruiter opens them: a repository pushed to the app's own server, audited
 * by the real job, then its page, portfolio and 404 rendered under the
 * pages' CSP, checked for what a reader must see, for markup smuggled in
 * through file names, for accessibility (axe-core), at phone width and with
 * JavaScript off. Runs in file mode and (the Redis pass of `npm test`) with
 * the audits kept in Redis.
 */
const SECRET = "browser-test-secret";
const OWNER = "Codertocat";
const REPO = "Hello-World";
const PAGE = `/r/${OWNER}/${REPO}`;
const BADGE = `/badge/${OWNER}/${REPO}.svg`;
const PORTFOLIO_PAGE = `/u/${OWNER}`;
const MISSING_PAGE = `/r/${OWNER}/No-Such-Repo`;

/** File names a repository controls, shown on the page as evidence: text, never markup. */
const HOSTILE_DOC = `docs/"><img src=x onerror=alert(1)>.md`;
const HOSTILE_MANIFEST = `k8s/</code><script>alert(1)</script>.yml`;
/** A path and a snippet with no place to break but anywhere: a phone must wrap them, not scroll sideways. */
const LONG_PATH = `k8s/${"environment-production-europe-west-".repeat(5)}cluster/deployment.yml`;
const LONG_IMAGE = `registry.internal.example.com/platform/base-images/node-20-alpine-hardened@sha256:${"0123456789abcdef".repeat(3)}`;

const MANIFEST = [
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata:",
  "  name: api",
  "spec:",
  "  template:",
  "    spec:",
  "      containers:",
  "        - name: api",
  "          image: api",
  "          readinessProbe:",
  "            httpGet: { path: /healthz, port: 3000 }",
  "",
].join("\n");

const FILES: Record<string, string> = {
  ...PORTFOLIO,
  Dockerfile: PORTFOLIO.Dockerfile!.replace("FROM node:20-alpine AS build", `FROM ${LONG_IMAGE} AS build`),
  [HOSTILE_DOC]: "# Architecture\n\n```mermaid\ngraph TD; a-->b\n```\n",
  [HOSTILE_MANIFEST]: MANIFEST,
  [LONG_PATH]: MANIFEST,
};

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core");
const PHONE: BrowserContextOptions = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let browser: Browser | undefined;
let redis: TestRedis | undefined;
let served: ServedApp | undefined;
let base = "";
let audit: StoredAudit;

useNock({ allowLoopback: true });

beforeAll(async () => {
  browser = await launchChromium();
  if (testsUseRedis) redis = await startRedis();
  // The public address is where the browser reaches the app, as in production: the page's absolute badge URL is then 'self'.
  served = await serveApp({ secret: SECRET, ...(redis ? { redisUrl: redis.url } : {}), pages: (url) => ({ publicUrl: url }) });
  base = served.url;
  const app = served.app;

  // Two pushes to the default branch: two audits, two points of history. GitHub's answers are registered once (they persist).
  const gh = new AppFake();
  gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues();
  await push(gh, { ...FILES, "NOTES.md": "first\n" }, "2024-05-01T10:00:00Z");
  const latest = await push(gh, FILES, "2024-05-02T10:00:00Z");
  audit = (await app.reports!.latest(OWNER, REPO))!;
  expect(audit?.commit, "the second push's audit is the page's").toBe(latest);
  expect(await app.reports!.history(OWNER, REPO)).toHaveLength(2);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  await redis?.stop();
});

/** Pushes the files as a new commit of the default branch and waits for its audit; returns the commit. */
async function push(gh: AppFake, files: Record<string, string>, committedAt: string): Promise<string> {
  const commit = gh.commit(files);
  expect(await served!.deliver("push", pushPayload(commit.commitSha, committedAt))).toBe(200);
  await served!.app.queue!.onIdle();
  return commit.commitSha;
}

interface Opened {
  page: Page;
  problems: PageProblems;
  /** Requests the page made outside the loopback server (aborted). */
  outside: string[];
  close(): Promise<void>;
}

/** Opens a path of the app in a fresh context of the shared browser and checks the status it answered with. */
async function open(path: string, options: BrowserContextOptions = {}, status = 200): Promise<Opened> {
  const { context, outside } = await loopbackContext(browser!, options);
  const page = await context.newPage();
  const problems = watchPage(page);
  const res = await page.goto(`${base}${path}`, { waitUntil: "load" });
  expect(res?.status(), path).toBe(status);
  return { page, problems, outside, close: () => context.close() };
}

async function visible(page: Page, what: string, locator: ReturnType<Page["locator"]>): Promise<void> {
  expect(await locator.count(), `${what}: on the page`).toBeGreaterThan(0);
  expect(await locator.first().isVisible(), `${what}: visible`).toBe(true);
}

/** The width of an image as the browser decoded it (0: broken, or blocked). */
function naturalWidth(page: Page, src: string): Promise<number> {
  return page.evaluate(async (url) => {
    const img = new Image();
    img.src = url;
    try {
      await img.decode();
    } catch {
      return 0;
    }
    return img.naturalWidth;
  }, src);
}

/** axe-core's serious and critical findings, one line each with the elements they point at. */
async function seriousAxeViolations(path: string, status = 200): Promise<string[]> {
  // The pages' CSP forbids every script, axe's included: this context alone bypasses it.
  const opened = await open(path, { bypassCSP: true }, status);
  try {
    await opened.page.addScriptTag({ path: AXE });
    const { passes, violations } = await opened.page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run(): Promise<{ passes: unknown[]; violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> }> } }).axe.run();
      return {
        passes: result.passes.length,
        violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${JSON.stringify(n.target)}: ${n.failureSummary ?? ""}`) })),
      };
    });
    // axe checked something (an empty result from a run that never looked would pass too).
    expect(passes, `${path}: axe's passed checks`).toBeGreaterThan(10);
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id} (${v.help}) at ${v.nodes.slice(0, 5).join(" | ")}${v.nodes.length > 5 ? ` and ${v.nodes.length - 5} more` : ""}`);
  } finally {
    await opened.close();
  }
}

describe("the report page in Chromium", () => {
  it("shows the score, every skill, evidence linked at the audited commit and a failed rule's fix", async () => {
    const { page, problems, outside, close } = await open(PAGE);
    try {
      const { report } = audit;
      await visible(page, "the score", page.locator(".headline").getByText(`${report.score}/100`, { exact: true }));
      for (const skill of report.skills) await visible(page, `skill row ${skill.id}`, page.getByRole("rowheader", { name: skill.title, exact: true }));

      const evidence = page.locator(`a[href^="https://github.com/${OWNER}/${REPO}/blob/${audit.commit}/"]`);
      await visible(page, "an evidence permalink", evidence);

      // A fix as plain text (codeText turns backticks into code, which getByText would not see as one string).
      const failed = report.rules.find((r) => r.status === "fail" && !r.fixFor && !r.fix.includes("`") && r.fix.length < 200);
      expect(failed, "a failed rule with a plain fix in the audit").toBeDefined();
      await visible(page, `the fix of ${failed!.id}`, page.getByText(failed!.fix));

      expect(problems.errors.join("\n"), "console errors (a CSP violation is one)").toBe("");
      expect(outside.join("\n"), "requests outside the app").toBe("");
    } finally {
      await close();
    }
  });

  it("shows hostile file names as text: no element, script, dialog or global comes from them", async () => {
    const { page, problems, close } = await open(PAGE);
    try {
      await visible(page, "the hostile document's name", page.getByText(HOSTILE_DOC));
      await visible(page, "the hostile manifest's name", page.getByText(HOSTILE_MANIFEST));
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(await page.locator("script").count()).toBe(0);
      // The globals of a plain-text page from the same origin (same secure-context APIs); anything more came from the page.
      const globals = await page.evaluate(() => Object.getOwnPropertyNames(window));
      const blank = await page.context().newPage();
      await blank.goto(`${base}/ping`);
      const blankGlobals = new Set(await blank.evaluate(() => Object.getOwnPropertyNames(window)));
      await blank.close();
      expect(globals.filter((g) => !blankGlobals.has(g)).join(", "), "globals the page added").toBe("");
      expect(problems.dialogs.join("\n"), "dialogs opened").toBe("");
      expect(problems.errors.join("\n"), "console errors (a CSP violation is one)").toBe("");
    } finally {
      await close();
    }
  });

  it("loads its stylesheet, history chart and badge under its CSP", async () => {
    const { page, problems, outside, close } = await open(PAGE);
    try {
      // The stylesheet applied: the score chip has its band's background, not the default transparent one.
      const chip = await page.locator(".headline .score").first().evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(chip).not.toBe("rgba(0, 0, 0, 0)");

      const history = page.locator('img[src$="/history.svg"]');
      expect(await history.count()).toBe(1);
      expect(await history.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
      const badgeOnPage = page.locator(`img[src$="${BADGE}"]`);
      expect(await badgeOnPage.count()).toBe(1);
      expect(await badgeOnPage.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
      // The badge as a README embeds it: an image on its own.
      expect(await naturalWidth(page, `${base}${BADGE}`)).toBeGreaterThan(0);

      expect(problems.errors.join("\n"), "console errors (a CSP violation is one)").toBe("");
      expect(outside.join("\n"), "requests outside the app").toBe("");
    } finally {
      await close();
    }
  });

  it("opens the badge and the history chart on their own as SVG documents", async () => {
    for (const path of [BADGE, `${PAGE}/history.svg`]) {
      const { page, problems, close } = await open(path);
      try {
        expect(await page.evaluate(() => document.documentElement.namespaceURI), path).toBe("http://www.w3.org/2000/svg");
        expect(problems.errors.join("\n"), `${path}: console errors`).toBe("");
      } finally {
        await close();
      }
    }
  });

  it("fits a phone's width: long paths and snippets wrap, nothing scrolls sideways", async () => {
    for (const path of [PAGE, PORTFOLIO_PAGE]) {
      const { page, problems, close } = await open(path, PHONE);
      try {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, `${path}: page width at 375 px`).toBeLessThanOrEqual(375);
        await visible(page, `${path}: the score`, page.locator(".headline .score"));
        expect(problems.errors.join("\n"), `${path}: console errors`).toBe("");
      } finally {
        await close();
      }
    }
    // The long path is on the page (so the width above measured it).
    const { page, close } = await open(PAGE, PHONE);
    try {
      await visible(page, "the long path", page.getByText(LONG_PATH));
      await visible(page, "the long snippet", page.getByText(LONG_IMAGE));
    } finally {
      await close();
    }
  });

  it("reads the same without JavaScript", async () => {
    const { page, close } = await open(PAGE, { javaScriptEnabled: false });
    try {
      await visible(page, "the score", page.locator(".headline").getByText(`${audit.report.score}/100`, { exact: true }));
      const rule = audit.report.rules.find((r) => r.status === "pass")!;
      await visible(page, `rule ${rule.id}`, page.getByText(rule.id, { exact: true }));
    } finally {
      await close();
    }
  });
});

describe("accessibility (axe-core)", () => {
  it("finds nothing serious or critical on the report page", async () => {
    expect((await seriousAxeViolations(PAGE)).join("\n")).toBe("");
  });

  it("finds nothing serious or critical on the portfolio page", async () => {
    expect((await seriousAxeViolations(PORTFOLIO_PAGE)).join("\n")).toBe("");
  });

  it("finds nothing serious or critical on the 404 page", async () => {
    expect((await seriousAxeViolations(MISSING_PAGE, 404)).join("\n")).toBe("");
  });
});
