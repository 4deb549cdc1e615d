#!/usr/bin/env node
// Load test of the app's report pages and badges with autocannon.
//
//   npm run build && node load/pages.js [--duration 10] [--connections 50]
//                                       [--repos 20] [--history 30] [--redis]
//
// Audits this repository once (`skillproof audit . --format json`, the real
// engine), keeps that report as --repos public repositories' audits with
// --history points of history each, written with the app's own store into a
// fresh SKILLPROOF_DATA_DIR (or, with --redis, into Redis: REDIS_URL, else a
// redis-server started here), then starts ONE built app process (what
// `npm start` runs; SKILLPROOF_THREADS as by default) and has autocannon load
// (a) the report pages, spread over every repository, and (b) the SVG
// badges, for --duration seconds each over --connections keep-alive
// connections as fast as the app answers (throughput), then each paced
// evenly at the issue's target rate over up to --connections keep-alive
// connections, for the latency at that rate (autocannon's own rate limit
// sends each second's quota in a burst at the second's start, and a closed
// loop of 50 connections measures its own queue). Paced latency counts from
// when a request was due, not when it went out, so a stalled client is not
// hidden (no coordinated omission); each paced run's first second is a
// warm-up, not counted. A last paced run of Probot's /ping
// shows the floor the machine and Node give any answer. It prints
// requests a second, latency p50/p99, errors and non-2xx answers for each
// run, with the machine, the load average and the date.
//
// All load comes from one address, so the per-client rate limit is raised
// out of the way (SKILLPROOF_PAGES_RATE/BURST): it is still taken on every
// request, and measured with it, but refuses nothing.
//
// Exit status 1 when a request failed, timed out or was answered other than
// 2xx, or the app exited. The issue's targets (one process, two cores:
// ≥ 500 pages/s, ≥ 2,000 badges/s, p99 < 50 ms at that rate) are printed as
// met or not. The machine may be shared: the load average is printed before
// and after, and a busy machine's figures are a floor.
import { execFileSync, spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { freePort, startAppProcess } from "../scripts/app-process.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const TARGETS = { page: 500, badge: 2_000, p99Ms: 50 };
/** Far above what one client can reach here: the limiter runs but never answers 429. */
const UNLIMITED_RATE = 1_000_000_000;

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`load/pages.js: --${name} needs a whole number of at least 1, got ${process.argv[i + 1] ?? "nothing"}`);
    process.exit(2);
  }
  return n;
}

const DURATION_S = arg("duration", 10);
const CONNECTIONS = arg("connections", 50);
const REPOS = arg("repos", 20);
const HISTORY = arg("history", 30);
const USE_REDIS = process.argv.includes("--redis");
/** Seconds of each paced run not measured. */
const WARMUP_S = 1;

const hex40 = (n) => n.toString(16).padStart(8, "0").repeat(5);

/** This repository's own report from the real engine, as the CLI prints it. */
function realReport() {
  try {
    const out = execFileSync(process.execPath, [join(ROOT, "bin/skillproof.js"), "audit", ROOT, "--format", "json"], { maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
    return JSON.parse(out.toString());
  } catch (err) {
    throw new Error(`skillproof audit of this repository failed: ${String(err.stderr ?? err.message).trim()}`);
  }
}

/**
 * The stored audits of one repository: `points` commits a day apart, the
 * last the latest. The report is the real one, its score and target set as
 * the app would have them for that repository and commit (the scores climb,
 * so the history chart has a line to draw).
 */
function auditsOf(report, owner, repo, points, seed) {
  const start = Date.parse("2025-01-01T09:00:00Z");
  return Array.from({ length: points }, (_, i) => {
    const commit = hex40(seed * 1_000 + i + 1);
    const at = new Date(start + i * 86_400_000).toISOString();
    const score = Math.max(0, Math.min(100, Math.round(report.score - (points - 1 - i) * 1.5 - (seed % 7))));
    return {
      owner,
      repo,
      defaultBranch: "main",
      commit,
      auditedAt: at,
      committedAt: at,
      report: { ...report, score, target: { kind: "github", owner, repo, sha: commit, url: `https://github.com/${owner}/${repo}` } },
    };
  });
}

function repoNames(count) {
  // A few owners with several repositories each, as candidates have.
  return Array.from({ length: count }, (_, i) => ({ owner: `candidate-${i % 4}`, repo: `service-${String(i).padStart(2, "0")}` }));
}

/** A redis-server on a free loopback port with its files in a temporary folder (as test/helpers/redis.ts starts one). */
async function startRedisServer() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "skillproof-load-redis-"));
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const failed = new Promise((_, reject) => child.on("error", (err) => reject(new Error(`cannot start redis-server (is it installed?): ${err.message}`))));
  const { Redis } = await import("ioredis");
  const client = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on("error", () => {});
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await Promise.race([client.connect().then(() => client.ping()), failed]);
      break;
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null || /cannot start/.test(String(err))) {
        child.kill("SIGKILL");
        throw err;
      }
      client.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  client.disconnect();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r() : child.on("exit", r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Keeps the audits with the app's own store, exactly where the app started with `env` reads them. */
async function seed(audits, { dataDir, redisUrl, redisPrefix }) {
  const { openReportStore } = await import(pathToFileURL(join(ROOT, "dist/app/pages/store/open.js")).href);
  const store = await openReportStore({ dataDir, redisUrl, redisPrefix });
  try {
    // In commit order, one repository at a time: the store's own serialisation does the rest.
    for (const audit of audits) if (!(await store.save(audit))) throw new Error(`the store refused ${audit.owner}/${audit.repo}`);
  } finally {
    await store.close();
  }
}

async function load(app, name, paths) {
  let next = 0;
  const statuses = new Map();
  const instance = autocannon({
    url: app.url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    timeout: 10,
    requests: [
      {
        method: "GET",
        setupRequest(req) {
          return { ...req, path: paths[next++ % paths.length] };
        },
        onResponse(status) {
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        },
      },
    ],
  });
  let loading = true;
  app.exited.then(() => loading && instance.stop());
  const result = await instance;
  loading = false;
  return { name, result, statuses };
}

/**
 * GETs `paths` in turn at `rate` a second, evenly spaced, for WARMUP_S then
 * DURATION_S; the result (of the measured part) in autocannon's shape. The
 * warm-up opens the connections and lets the app settle after a saturating run.
 */
async function paced(app, name, paths, rate) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const statuses = new Map();
  const latencies = [];
  let errors = 0;
  let timeouts = 0;
  let sent = 0;
  let running = 0;
  const warmup = rate * WARMUP_S;
  const total = warmup + rate * DURATION_S;
  const gap = 1000 / rate;
  const start = performance.now();
  const measuredFrom = start + warmup * gap;
  const one = (i) =>
    new Promise((resolve) => {
      const due = start + i * gap;
      const req = request(`${app.url}${paths[i % paths.length]}`, { agent, timeout: 10_000 }, (res) => {
        res.resume();
        res.on("end", () => {
          if (i >= warmup) {
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            latencies.push(performance.now() - due);
          }
          resolve();
        });
      });
      req.on("timeout", () => {
        if (i >= warmup) timeouts++;
        req.destroy(new Error("timeout"));
      });
      req.on("error", () => {
        if (i >= warmup) errors++;
        resolve();
      });
      req.end();
    });
  const pending = [];
  await new Promise((done) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor((performance.now() - start) / gap) + 1);
      while (sent < due) {
        running++;
        pending.push(one(sent++).then(() => running--));
      }
      if (sent >= total) {
        clearInterval(tick);
        done();
      }
    }, 2);
  });
  await Promise.all(pending);
  const elapsed = (performance.now() - measuredFrom) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]) : 0);
  const ok = [...statuses].filter(([s]) => s >= 200 && s < 300).reduce((n, [, c]) => n + c, 0);
  return {
    name,
    statuses,
    result: {
      requests: { average: latencies.length / elapsed, total: sent - warmup },
      latency: { p50: at(0.5), p99: at(0.99), max: Math.round(latencies.at(-1) ?? 0) },
      errors,
      timeouts,
      non2xx: latencies.length - ok,
    },
  };
}

function line(run) {
  const { result } = run;
  const statuses = [...run.statuses].map(([s, n]) => `${s}×${n}`).join(", ");
  return (
    `${run.name.padEnd(15)} ${result.requests.average.toFixed(0).padStart(6)} req/s  latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms  ` +
    `${result.requests.total} requests, ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx  (${statuses || "no answers"})`
  );
}

async function main() {
  if (!existsSync(join(ROOT, "dist/app/server.js"))) {
    console.error("load/pages.js: dist/app/server.js is missing: run `npm run build` first (npm run load:pages does)");
    process.exit(2);
  }
  const report = realReport();
  const names = repoNames(REPOS);
  const audits = names.flatMap(({ owner, repo }, i) => auditsOf(report, owner, repo, HISTORY, i));

  const dataDir = mkdtempSync(join(tmpdir(), "skillproof-load-pages-"));
  const redisPrefix = `load-pages-${process.pid}`;
  const redis = USE_REDIS ? (process.env.REDIS_URL ? { url: process.env.REDIS_URL, stop: async () => {} } : await startRedisServer()) : undefined;
  let app;
  try {
    const seeded = Date.now();
    await seed(audits, { dataDir, redisUrl: redis?.url, redisPrefix });
    const seedMs = Date.now() - seeded;

    app = await startAppProcess({
      // No webhook is sent: GitHub is never called. An empty GHE_HOST keeps evidence links on github.com.
      githubHost: "",
      logLevel: "warn",
      env: {
        SKILLPROOF_DATA_DIR: dataDir,
        SKILLPROOF_PAGES_RATE: String(UNLIMITED_RATE),
        SKILLPROOF_PAGES_BURST: String(UNLIMITED_RATE),
        ...(process.env.SKILLPROOF_THREADS ? { SKILLPROOF_THREADS: process.env.SKILLPROOF_THREADS } : {}),
        ...(redis ? { REDIS_URL: redis.url, SKILLPROOF_REDIS_PREFIX: redisPrefix } : {}),
      },
    });
    let appExit;
    app.exited.then((e) => (appExit = e));

    const pages = names.map(({ owner, repo }) => `/r/${owner}/${repo}`);
    const badges = names.map(({ owner, repo }) => `/badge/${owner}/${repo}.svg`);
    // Every URL once before measuring: each answers 200 (the seed is where the app reads), and its render is cached as a reader's would be.
    for (const path of [...pages, ...badges]) {
      const res = await fetch(`${app.url}${path}`);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`warm-up: ${path} answered ${res.status} (is the seed where the app reads its store?)\n${body.slice(0, 300)}`);
    }
    const pageBytes = (await (await fetch(`${app.url}${pages[0]}`)).arrayBuffer()).byteLength;

    const cpu = cpus();
    const load1 = loadavg().map((l) => l.toFixed(2)).join(" ");
    console.log(`load:pages ${new Date().toISOString()}: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores (${availableParallelism()} available), Node ${process.version}, load average ${load1}`);
    console.log(
      `one app process (dist/app/server.js, SKILLPROOF_THREADS ${process.env.SKILLPROOF_THREADS ?? "default"}), store: ${redis ? `Redis ${redis.url}` : "files"}; ` +
        `${REPOS} repositories × ${HISTORY} audits of history kept in ${(seedMs / 1000).toFixed(1)} s (report of ${report.rules.length} rules, page ${(pageBytes / 1024).toFixed(0)} KiB); ` +
        `${CONNECTIONS} connections, ${DURATION_S} s per run, the load generator (autocannon, then the pacer) in this process on the same machine`,
    );
    console.log(`rate limit: all load is from one address, so SKILLPROOF_PAGES_RATE/BURST are ${UNLIMITED_RATE}: the limiter is taken on every request but refuses none`);

    const plan = [
      ["pages", pages, undefined],
      ["badges", badges, undefined],
      [`pages @${TARGETS.page}/s`, pages, TARGETS.page],
      [`badges @${TARGETS.badge}/s`, badges, TARGETS.badge],
      // The floor on this machine: Probot's own /ping, paced the same way. A tail here is the machine's or Node's, not the pages'.
      [`/ping @${TARGETS.badge}/s`, ["/ping"], TARGETS.badge],
    ];
    const runs = [];
    for (const [name, paths, rate] of plan) if (appExit === undefined) runs.push(rate ? await paced(app, name, paths, rate) : await load(app, name, paths));
    const after = loadavg().map((l) => l.toFixed(2)).join(" ");
    for (const run of runs) console.log(line(run));
    console.log(`load average after: ${after}`);

    const met = (ok) => (ok ? "met" : "NOT met");
    for (const [kind, target] of [["pages", TARGETS.page], ["badges", TARGETS.badge]]) {
      const max = runs.find((r) => r.name === kind)?.result;
      const paced = runs.find((r) => r.name === `${kind} @${target}/s`)?.result;
      if (!max || !paced) continue;
      console.log(
        `target ${kind} ≥ ${target}/s: ${met(max.requests.average >= target)} (${max.requests.average.toFixed(0)}/s); ` +
          `p99 < ${TARGETS.p99Ms} ms at ${target}/s: ${met(paced.latency.p99 < TARGETS.p99Ms)} (${paced.latency.p99} ms)`,
      );
    }

    const failures = [];
    if (appExit) failures.push(`the app exited during the test (code ${appExit.code}, signal ${appExit.signal ?? "none"})`);
    for (const run of runs) {
      const { result } = run;
      if (result.errors > 0 || result.timeouts > 0) failures.push(`${run.name}: ${result.errors} request errors (${result.timeouts} timeouts)`);
      if (result.non2xx > 0) failures.push(`${run.name}: ${result.non2xx} answers other than 2xx`);
    }
    if (failures.length) {
      for (const f of failures) console.error(`FAIL: ${f}`);
      for (const l of app.output.split("\n").filter((l) => /"level":(40|50|60)/.test(l)).slice(-5)) console.error(`app: ${l.slice(0, 300)}`);
      process.exitCode = 1;
    }
  } finally {
    if (app && app.child.exitCode === null) {
      app.child.kill("SIGTERM");
      await app.exited;
    }
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
