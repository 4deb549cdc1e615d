#!/usr/bin/env node
// Load test of the app's webhook endpoint with autocannon.
//
//   npm run build && node load/webhooks.js [--amount 200] [--connections 10] [--rate 0]
//                                          [--installations 50] [--latency 50] [--timeout 120]
//
// Starts the built app (dist/app/server.js, what `npm start` runs) against the
// in-process GitHub stand-in, as `npm run bench:app` does, then has autocannon
// POST signed push webhooks to /api/github/webhooks: --amount webhooks (one per
// repository, each repository pushed once) over --connections keep-alive
// connections, at --rate webhooks a second in all (0: as fast as the app
// answers). It prints autocannon's tables (ack latency p50/p97.5/p99, requests
// and bytes a second), then waits until every pushed repository has its check
// run completed and its report issue, and prints audits per minute.
//
// Exit status 1 when the app exited, a webhook got a non-2xx answer, a request
// failed or timed out, or an audit did not finish within --timeout seconds.
// The defaults finish in well under a minute on a 2-core machine.
import { createHmac, randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { WEBHOOK_SECRET, pushPayload, startAppProcess } from "../scripts/app-process.js";
import { StandInRepo, startGitHubStandIn } from "../scripts/github-standin.js";
import { benchFiles } from "../scripts/bench-files.js";


function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`load/webhooks.js: --${name} needs a whole number, got ${process.argv[i + 1] ?? "nothing"}`);
    process.exit(2);
  }
  return n;
}

const AMOUNT = arg("amount", 200);
const CONNECTIONS = Math.min(arg("connections", 10), AMOUNT);
const RATE = arg("rate", 0);
const INSTALLATIONS = arg("installations", 50);
const LATENCY = arg("latency", 50);
const TIMEOUT_S = arg("timeout", 120);
if (AMOUNT < 1 || CONNECTIONS < 1 || INSTALLATIONS < 1) {
  console.error("load/webhooks.js: --amount, --connections and --installations must be at least 1");
  process.exit(2);
}

const safeMsg = (line) => {
  try {
    return JSON.parse(line).msg;
  } catch {
    return undefined;
  }
};
const sign = (body) => `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
const audited = (repo) => repo.checkRuns.some((c) => c.status === "completed") && repo.issues.length > 0;

async function main() {
  const files = benchFiles();
  const repos = Array.from({ length: AMOUNT }, (_, i) => new StandInRepo({ owner: `owner${i % INSTALLATIONS}`, repo: `repo${i}`, installationId: 1000 + (i % INSTALLATIONS), files }));
  const gh = await startGitHubStandIn({ repos, latencyMs: LATENCY });
  const app = await startAppProcess({ githubHost: gh.host, logLevel: "warn" });
  let appExit;
  app.exited.then((e) => (appExit = e));

  console.log(
    `load:webhooks: ${AMOUNT} push webhooks over ${CONNECTIONS} connections, ${RATE > 0 ? `${RATE}/s` : "unthrottled"}; ` +
      `${AMOUNT} repositories across ${INSTALLATIONS} installations, ${Object.keys(files).length} files each, ${LATENCY} ms per GitHub call`,
  );

  // One repository per webhook: setupRequest runs once per request sent, and
  // the client's context carries the repository to its response (one request
  // in flight per connection).
  let next = 0;
  const acked = new Set();
  const rejected = [];
  const started = Date.now();
  const instance = autocannon({
    url: app.url,
    connections: CONNECTIONS,
    amount: AMOUNT,
    ...(RATE > 0 ? { overallRate: RATE } : {}),
    timeout: 30,
    requests: [
      {
        method: "POST",
        path: "/api/github/webhooks",
        setupRequest(req, context) {
          const repo = repos[next++ % repos.length];
          const body = JSON.stringify(pushPayload(repo));
          context.repo = repo.fullName;
          return {
            ...req,
            body,
            headers: {
              ...req.headers,
              "content-type": "application/json",
              "user-agent": "GitHub-Hookshot/autocannon",
              "x-github-event": "push",
              "x-github-delivery": randomUUID(),
              "x-hub-signature-256": sign(body),
            },
          };
        },
        onResponse(status, body, context) {
          if (status >= 200 && status < 300) acked.add(context.repo);
          else rejected.push(`${context.repo}: ${status} ${String(body).slice(0, 200)}`);
        },
      },
    ],
  });
  // A dead app refuses connections and autocannon would keep reconnecting: stop it.
  let loading = true;
  app.exited.then(() => loading && instance.stop());
  const result = await instance;
  loading = false;
  const ackedAt = Date.now();
  console.log(autocannon.printResult(result));

  const pushed = repos.filter((r) => acked.has(r.fullName));
  const deadline = started + TIMEOUT_S * 1000;
  let lastReport = Date.now();
  while (!pushed.every(audited) && Date.now() < deadline && appExit === undefined) {
    await new Promise((r) => setTimeout(r, 100));
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      console.error(`  ${((Date.now() - started) / 1000).toFixed(0)} s: ${pushed.filter(audited).length}/${pushed.length} audited`);
    }
  }
  const finished = Date.now();
  const done = pushed.filter(audited).length;
  const crashed = appExit ?? (app.child.exitCode !== null ? { code: app.child.exitCode } : undefined);
  if (!crashed) {
    app.child.kill("SIGTERM");
    await app.exited;
  }
  await gh.close();

  const minutes = (finished - started) / 60_000;
  console.log(`webhooks: ${result.requests.sent} sent in ${((ackedAt - started) / 1000).toFixed(1)} s, ${acked.size} acknowledged (2xx), ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  console.log(`audited: ${done}/${pushed.length} in ${((finished - started) / 1000).toFixed(1)} s (from the first webhook)`);
  console.log(`audits per minute: ${(done / minutes).toFixed(0)}`);

  const failures = [];
  if (crashed) failures.push(`the app exited during the test (code ${crashed.code}, signal ${crashed.signal ?? "none"})`);
  if (result.non2xx > 0) failures.push(`${result.non2xx} webhooks answered with a non-2xx status, e.g. ${rejected.slice(0, 3).join("; ")}`);
  if (result.errors > 0 || result.timeouts > 0) failures.push(`${result.errors} request errors (${result.timeouts} timeouts)`);
  if (acked.size < AMOUNT) failures.push(`${AMOUNT - acked.size} of ${AMOUNT} webhooks were not acknowledged`);
  if (done < pushed.length) failures.push(`${pushed.length - done} acknowledged pushes not audited ${crashed ? "before the app exited" : `within ${TIMEOUT_S} s`}`);
  if (gh.unhandled.length) console.log(`stand-in: ${gh.unhandled.length} requests it does not serve, e.g. ${gh.unhandled.slice(0, 3).join(", ")}`);
  if (failures.length) {
    for (const f of failures) console.error(`FAIL: ${f}`);
    // The app's last warnings and errors, one line each (its JSON logs carry whole payloads).
    const appErrors = app.output.split("\n").filter((l) => /"level":(40|50|60)/.test(l)).slice(-5);
    for (const line of appErrors) console.error(`app: ${(safeMsg(line) ?? line).slice(0, 300)}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
