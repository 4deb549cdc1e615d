#!/usr/bin/env node
// The README's pictures of a report page: docs/images/report-page.png
// (desktop, 1280 px wide) and docs/images/report-page-phone.png (375 px, at
// twice the pixels, as a phone shows it).
//
//   npm run build && node scripts/screenshot-pages.js [--points 8]
//
// The page is this repository's own: the real engine audits the tree of
// HEAD and of --points - 1 earlier commits of the first-parent history (each
// exported with `git archive`), kept in order as the app keeps audits of a
// default branch, with the commits' real dates. The built app (what
// `npm start` runs) serves them from a temporary SKILLPROOF_DATA_DIR, and
// the system's Chromium (CHROMIUM_PATH, /usr/bin/chromium or
// /usr/bin/chromium-browser) takes the pictures; it may fetch nothing but
// the app.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { freePort, startAppProcess } from "./app-process.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "docs/images");
/** The name the pictured repository goes by on the page. */
const OWNER = "skillproof";
const REPO = "skillproof";
/** Taller pages are cut here (CSS pixels), so the PNGs stay small enough for a README. */
const MAX_HEIGHT = { desktop: 2400, phone: 1400 };

function points() {
  const i = process.argv.indexOf("--points");
  if (i === -1) return 8;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1 || n > 50) {
    console.error(`scripts/screenshot-pages.js: --points needs a whole number from 1 to 50, got ${process.argv[i + 1] ?? "nothing"}`);
    process.exit(2);
  }
  return n;
}

const git = (...args) => execFileSync("git", ["-C", ROOT, ...args]).toString().trim();

/** HEAD and earlier first-parent commits, evenly spread, oldest first. */
function commits(count) {
  const all = git("log", "--first-parent", "--format=%H %cI").split("\n").map((l) => {
    const [sha, date] = l.split(" ");
    return { sha, date };
  });
  const step = Math.max(1, Math.floor((all.length - 1) / Math.max(1, count - 1)));
  return Array.from({ length: Math.min(count, all.length) }, (_, i) => all[i * step]).reverse();
}

/** The real engine's report of one commit's tree, as the app would keep it. */
function auditOf(commit) {
  const dir = mkdtempSync(join(tmpdir(), "skillproof-shot-tree-"));
  try {
    execFileSync("sh", ["-c", `git -C "$1" archive "$2" | tar -x -C "$3"`, "sh", ROOT, commit.sha, dir]);
    let out;
    try {
      out = execFileSync(process.execPath, [join(ROOT, "bin/skillproof.js"), "audit", dir, "--format", "json"], { maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
    } catch (err) {
      throw new Error(`skillproof audit of ${commit.sha.slice(0, 7)} failed: ${String(err.stderr ?? err.message).trim()}`);
    }
    const report = JSON.parse(out.toString());
    report.target = { kind: "github", owner: OWNER, repo: REPO, sha: commit.sha, url: `https://github.com/${OWNER}/${REPO}` };
    // Audited a few minutes after the commit, as a push's audit is.
    const auditedAt = new Date(Date.parse(commit.date) + 3 * 60_000).toISOString();
    return { owner: OWNER, repo: REPO, defaultBranch: "main", commit: commit.sha, auditedAt, committedAt: new Date(commit.date).toISOString(), report };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
}

async function shoot(browser, url, file, { width, height, scale, maxHeight, mobile }) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: scale, isMobile: mobile, hasTouch: mobile });
  // The page needs nothing but the app; anything else would be a leak worth seeing.
  const outside = [];
  await context.route(
    (u) => !/^(127\.0\.0\.1|localhost)$/.test(u.hostname),
    (route) => {
      outside.push(route.request().url());
      return route.abort("blockedbyclient");
    },
  );
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const res = await page.goto(url, { waitUntil: "load" });
  if (res?.status() !== 200) throw new Error(`${url} answered ${res?.status()}`);
  // Runs in the page, where `document` is the page's.
  const full = await page.evaluate(() => globalThis.document.documentElement.scrollHeight);
  await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(full, maxHeight) } });
  await context.close();
  if (errors.length || outside.length) throw new Error(`${url} at ${width} px: console errors ${JSON.stringify(errors)}, requests outside ${JSON.stringify(outside)}`);
  console.log(`${file.slice(ROOT.length + 1)}: ${width} px wide, ${Math.min(full, maxHeight)} of ${full} px tall, at ${scale}x`);
}

async function main() {
  if (!existsSync(join(ROOT, "dist/app/server.js"))) {
    console.error("scripts/screenshot-pages.js: dist/app/server.js is missing: run `npm run build` first (npm run screenshot:pages does)");
    process.exit(2);
  }
  const executablePath = chromiumPath();
  if (!executablePath || !existsSync(executablePath)) {
    console.error("scripts/screenshot-pages.js: no Chromium found: install it with `apt-get install chromium` or set CHROMIUM_PATH");
    process.exit(2);
  }

  const audits = commits(points()).map(auditOf);
  const dataDir = mkdtempSync(join(tmpdir(), "skillproof-shot-"));
  let app;
  let browser;
  try {
    const { openReportStore } = await import(pathToFileURL(join(ROOT, "dist/app/pages/store/open.js")).href);
    const store = await openReportStore({ dataDir, redisPrefix: "screenshot" });
    for (const audit of audits) await store.save(audit);
    await store.close();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // No webhook is sent: GitHub is never called. An empty GHE_HOST keeps evidence links on github.com.
    app = await startAppProcess({ githubHost: "", port, env: { SKILLPROOF_DATA_DIR: dataDir, SKILLPROOF_PUBLIC_URL: base } });
    browser = await chromium.launch({ executablePath, headless: true, chromiumSandbox: process.getuid?.() !== 0 });
    mkdirSync(OUT, { recursive: true });
    const page = `${base}/r/${OWNER}/${REPO}`;
    const latest = audits.at(-1);
    console.log(`${OWNER}/${REPO} at ${latest.commit.slice(0, 7)}: ${latest.report.score}/100, ${audits.length} audits of history (${audits.map((a) => a.report.score).join(", ")})`);
    await shoot(browser, page, join(OUT, "report-page.png"), { width: 1280, height: 900, scale: 1, maxHeight: MAX_HEIGHT.desktop, mobile: false });
    await shoot(browser, page, join(OUT, "report-page-phone.png"), { width: 375, height: 812, scale: 2, maxHeight: MAX_HEIGHT.phone, mobile: true });
  } finally {
    await browser?.close();
    if (app && app.child.exitCode === null) {
      app.child.kill("SIGTERM");
      await app.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
