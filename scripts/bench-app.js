#!/usr/bin/env node
// `npm run bench:app`: the built app (dist/app/server.js, what `npm start`
// runs) driven over real HTTP with signed push webhooks, against an in-process
// GitHub stand-in that answers every call after a fixed latency. A benchmark,
// not a test: it prints figures and asserts nothing.
//
//   node scripts/bench-app.js [--repos 200] [--installations 50] [--latency 50]
//                             [--concurrency N] [--redis] [--timeout 600] [--rate 10]
//                             [--real DIR]
//
// --real DIR: repository i gets the files of the (i mod N)-th git work tree
// under DIR (clones of real public repositories), instead of the generated
// slice of this project: the figures the README quotes come from such a mix.
//
// --rate: webhooks sent per second (GitHub delivers events as they happen);
// 0 sends them all at once, a burst that measures connection queueing more
// than the app.
//
// --redis starts a redis-server on a free port (or uses REDIS_URL) and runs the
// app with it. --concurrency sets SKILLPROOF_CONCURRENCY (default: the app's).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, pushPayload, sendWebhook, startAppProcess } from "./app-process.js";
import { StandInRepo, startGitHubStandIn } from "./github-standin.js";
import { benchFiles } from "./bench-files.js";
import { realRepos } from "./real-repo-files.js";


function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const v = process.argv[i + 1];
  return v === undefined || v.startsWith("--") ? true : v;
}

const REPOS = Number(arg("repos", 200));
const INSTALLATIONS = Number(arg("installations", 50));
const LATENCY = Number(arg("latency", 50));
const CONCURRENCY = arg("concurrency", undefined);
const USE_REDIS = Boolean(arg("redis", false));
const TIMEOUT_S = Number(arg("timeout", 600));
const RATE = Number(arg("rate", 10));
const REAL = arg("real", undefined);

async function startRedisServer() {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => {} };
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "bench-redis-"));
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 300));
  if (child.exitCode !== null) throw new Error("redis-server did not start (is it installed?)");
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.on("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** CPU time the process used so far (user + system), from /proc. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks at USER_HZ=100
  } catch {
    return undefined;
  }
}

function peakRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return kb ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function main() {
  const mix = REAL ? realRepos(REAL) : [{ name: "bench", files: benchFiles() }];
  if (mix.length === 0) throw new Error(`--real ${REAL}: no git work trees there`);
  const files = mix[0].files;
  const repos = Array.from(
    { length: REPOS },
    (_, i) => new StandInRepo({ owner: `owner${i % INSTALLATIONS}`, repo: `${mix[i % mix.length].name}-${i}`, installationId: 1000 + (i % INSTALLATIONS), files: mix[i % mix.length].files }),
  );
  const gh = await startGitHubStandIn({ repos, latencyMs: LATENCY });
  const redis = USE_REDIS ? await startRedisServer() : undefined;
  const env = {
    ...(CONCURRENCY ? { SKILLPROOF_CONCURRENCY: String(CONCURRENCY) } : {}),
    ...(redis ? { REDIS_URL: redis.url, SKILLPROOF_REDIS_PREFIX: `bench-${Date.now()}` } : {}),
  };
  const app = await startAppProcess({ githubHost: gh.host, env, logLevel: "warn" });
  const sizeKb = repos[0].commits.get(repos[0].head).size;
  console.log(
    (REAL
      ? `bench:app: ${REPOS} repositories across ${INSTALLATIONS} installations, a mix of ${mix.length} real repositories (${mix.map((m) => `${m.name} ${Object.keys(m.files).length} files`).join(", ")}), `
      : `bench:app: ${REPOS} repositories across ${INSTALLATIONS} installations, ${Object.keys(files).length} files (${sizeKb} KiB) each, `) +
      `${LATENCY} ms per GitHub call, ${RATE > 0 ? `${RATE} webhooks/s` : "all webhooks at once"}, ${redis ? "Redis queue" : "in-process queue"}, concurrency ${CONCURRENCY ?? "default"}`,
  );

  const cpuBefore = cpuMs(app.child.pid);
  // Pushes at RATE a second (or all at once), each ack timed.
  const started = Date.now();
  const acks = await Promise.all(
    repos.map(async (r, i) => {
      if (RATE > 0) await new Promise((res) => setTimeout(res, (i * 1000) / RATE));
      return sendWebhook(app.url, "push", pushPayload(r));
    }),
  );
  const failedAcks = acks.filter((a) => a.status !== 200).length;
  console.log(`webhooks acknowledged in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const done = (r) => r.checkRuns.some((c) => c.status === "completed") && r.issues.length > 0;
  const deadline = started + TIMEOUT_S * 1000;
  let rssPeak = 0;
  let lastReport = Date.now();
  while (!repos.every(done) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    rssPeak = Math.max(rssPeak, peakRssMb(app.child.pid) ?? 0);
    if (process.stderr.isTTY || Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      console.error(`  ${((Date.now() - started) / 1000).toFixed(0)} s: ${repos.filter(done).length}/${REPOS} audited, ${gh.log.length} GitHub requests`);
    }
  }
  const finished = Date.now();
  const audited = repos.filter(done).length;
  // Lost or duplicated: every repository gets exactly one completed check run and one report issue.
  const duplicated = repos.filter((r) => r.checkRuns.filter((c) => c.status === "completed").length > 1 || r.issues.length > 1).length;
  rssPeak = Math.max(rssPeak, peakRssMb(app.child.pid) ?? 0);
  const cpuUsed = cpuMs(app.child.pid) - cpuBefore;
  // Settle: anything after the last audit (late writes) is counted too.
  await new Promise((r) => setTimeout(r, 1500));
  app.child.kill("SIGTERM");
  await app.exited;
  await gh.close();
  await redis?.stop();

  const minutes = (finished - started) / 60_000;
  const ackMs = acks.map((a) => a.ms).sort((a, b) => a - b);
  const byKind = new Map();
  for (const e of gh.log) byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
  const lane = gh.log.filter((e) => e.lane);
  const perInstallation = new Map();
  for (const e of lane) {
    if (e.installationId === undefined) continue;
    const list = perInstallation.get(e.installationId) ?? [];
    list.push(e.at);
    perInstallation.set(e.installationId, list);
  }
  let maxInWindow = 0;
  let minGap = Infinity;
  const gaps = [];
  for (const times of perInstallation.values()) {
    times.sort((a, b) => a - b);
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 1000) j++;
      maxInWindow = Math.max(maxInWindow, i - j + 1);
      if (i > 0) {
        gaps.push(times[i] - times[i - 1]);
        minGap = Math.min(minGap, times[i] - times[i - 1]);
      }
    }
  }
  gaps.sort((a, b) => a - b);
  const reposPerInstallation = REPOS / INSTALLATIONS;
  const lanePerInstallationPerAudit = [...perInstallation.values()].map((t) => t.length / reposPerInstallation);

  console.log(`audited: ${audited}/${REPOS} in ${((finished - started) / 1000).toFixed(1)} s${failedAcks ? `, ${failedAcks} webhooks not acknowledged with 200` : ""}`);
  console.log(`audits per minute: ${(audited / minutes).toFixed(0)}`);
  console.log(`lost: ${REPOS - audited}, duplicated (more than one completed check run or report issue): ${duplicated}`);
  console.log(`webhook ack: p50 ${percentile(ackMs, 50).toFixed(0)} ms, p95 ${percentile(ackMs, 95).toFixed(0)} ms, max ${ackMs.at(-1).toFixed(0)} ms`);
  console.log(`app CPU per audit: ${Number.isFinite(cpuUsed) ? `${(cpuUsed / Math.max(audited, 1)).toFixed(0)} ms` : "unknown"} (webhook handling included)`);
  console.log(`peak RSS of the app: ${rssPeak ? `${rssPeak.toFixed(0)} MB` : "unknown"}`);
  console.log(`requests per audit by kind:`);
  for (const [kind, n] of [...byKind].sort((a, b) => b[1] - a[1])) console.log(`  ${kind.padEnd(28)} ${(n / REPOS).toFixed(2)}`);
  console.log(`requests per audit, all: ${(gh.log.length / REPOS).toFixed(2)}`);
  console.log(`lane requests (mutative REST + GraphQL) per audit: ${(lane.length / REPOS).toFixed(2)} (per installation: max ${Math.max(...lanePerInstallationPerAudit).toFixed(2)}, min ${Math.min(...lanePerInstallationPerAudit).toFixed(2)})`);
  console.log(
    `per-installation lane: max ${maxInWindow} request(s) in any 1 s window, gap between lane requests min ${Number.isFinite(minGap) ? minGap : "-"} ms, median ${gaps.length ? percentile(gaps, 50) : "-"} ms (max rate ${Number.isFinite(minGap) ? (1000 / minGap).toFixed(2) : "-"} req/s)`,
  );
  if (gh.unhandled.length) console.log(`stand-in: ${gh.unhandled.length} requests it does not serve, e.g. ${gh.unhandled.slice(0, 3).join(", ")}`);
  if (audited < REPOS || duplicated > 0) {
    console.log(app.output.split("\n").filter((l) => /"level":(40|50|60)/.test(l)).slice(-5).join("\n"));
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
