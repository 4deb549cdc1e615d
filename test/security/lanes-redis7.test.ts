import { existsSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushPayload, sendWebhook, startAppProcess } from "../../scripts/app-process.js";
import { StandInRepo, startGitHubStandIn } from "../../scripts/github-standin.js";
import { WRITE_SPACING_MS } from "../../src/app/github/throttleOptions.js";
import { PORTFOLIO } from "../fixtures/github/portfolio.js";
import { startRedis, type TestRedis } from "../helpers/redis.js";
import { sleep, until, type AppProcess } from "../helpers/builtApp.js";

/**
 * Finding 12: with REDIS_URL and two replicas, the shared rate lanes ran on
 * Bottleneck's Redis datastore, which expects its own Lua error strings back;
 * Debian's redis-server 7 prefixes them with "ERR ", so a limiter whose
 * registration lapsed (a replica that missed its heartbeats for 10 s: a GC
 * pause, a throttled container, a CPU-bound audit) got `ERR UNKNOWN_CLIENT`
 * on every request, and the write was lost.
 *
 * Two replicas of the built app on one real Redis 7, against the loopback
 * GitHub stand-in: a round of pushes across three installations, one replica
 * stalled (SIGSTOP) past Bottleneck's client timeout, then a second round.
 * Every repository must get its check run and its report issue for each
 * commit, no lane error may show in either replica's output, and each
 * installation's writes must reach GitHub spaced as the lane promises,
 * whichever replica sent them.
 */


const INSTALLATIONS = [700, 701, 702];
const REPOS_PER_INSTALLATION = 3;
/** Bottleneck dropped a client not seen for 10 s, checked by the other replicas' 5 s heartbeats. */
const STALL_MS = 17_000;
/**
 * The lane spaces releases; arrivals, timed by the stand-in in the test's own
 * process, also carry the send: a thread's first request opens a connection
 * (up to ~0.2 s seen on two busy cores). Still well above GitHub's 1 s.
 */
const ARRIVAL_SLACK_MS = 300;

let redis: TestRedis;
beforeAll(async () => {
  if (!existsSync(new URL("../../dist/app/server.js", import.meta.url))) throw new Error("dist/app/server.js is missing: run `npm run build` first");
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});


const written = (r: StandInRepo) => r.checkRuns.some((c) => c.head_sha === r.head && c.status === "completed") && r.issues.some((i) => String(i.body).includes(`commit=${r.head}`));

/** Anything a lane failure leaves in the log: Bottleneck's Lua errors (with or without Redis 7's prefix), or a lane that gave up. */
const LANE_ERROR = /UNKNOWN_CLIENT|SETTINGS_KEY_NOT_FOUND|bottleneck|lane \(Redis\) did not answer/i;

describe("shared rate lanes on Redis 7 (finding 12)", () => {
  it("two replicas, one stalled past Bottleneck's client timeout: no lane error, every check run and report issue written, writes spaced per installation", { timeout: 240_000 }, async () => {
    const list = INSTALLATIONS.flatMap((installationId) =>
      Array.from({ length: REPOS_PER_INSTALLATION }, (_, i) => new StandInRepo({ owner: `org${installationId}`, repo: `svc${i}`, installationId, files: PORTFOLIO })),
    );
    const gh = await startGitHubStandIn({ repos: list, latencyMs: 5 });
    const env = {
      REDIS_URL: redis.url,
      SKILLPROOF_REDIS_PREFIX: `lanes-${randomUUID()}`,
      SKILLPROOF_THREADS: "1",
      SKILLPROOF_CONCURRENCY: "4",
      SKILLPROOF_JOB_LOCK_MS: "30000",
      SKILLPROOF_RETRY_DELAY_MS: "200",
    };
    const replicas: AppProcess[] = [];
    try {
      replicas.push(...(await Promise.all([startAppProcess({ githubHost: gh.host, env, logLevel: "info" }), startAppProcess({ githubHost: gh.host, env, logLevel: "info" })])));
      const [a, b] = replicas as [AppProcess, AppProcess];
      const diagnose = () => `${list.map((r) => `${r.fullName}: runs ${r.checkRuns.map((c) => `${c.head_sha.slice(0, 7)}:${c.status}`).join(",")} issues ${r.issues.length}`).join("\n")}\n--- A\n${a.output.slice(-4000)}\n--- B\n${b.output.slice(-4000)}`;
      const round = async () => {
        for (const [n, r] of list.entries()) expect((await sendWebhook((n % 2 ? b : a).url, "push", pushPayload(r))).status).toBe(200);
        await until("every repository's head has a completed check run and a report issue", () => list.every(written), 90_000, diagnose);
      };

      await round();
      // One replica stops answering anything (Redis included) for longer than Bottleneck's client timeout, then goes on.
      a.child.kill("SIGSTOP");
      await sleep(STALL_MS);
      a.child.kill("SIGCONT");
      for (const r of list) r.addCommit({ ...PORTFOLIO, "docs/adr/0001-record.md": "# Use ADRs\n\nStatus: accepted\n" }, { date: "2024-05-02T10:00:00Z" });
      await round();

      // Both replicas wrote to GitHub, and neither met a lane error.
      for (const p of [a, b]) expect(p.output.match(/skillproof: audit done/g)?.length ?? 0).toBeGreaterThan(0);
      expect(a.output).not.toMatch(LANE_ERROR);
      expect(b.output).not.toMatch(LANE_ERROR);
      for (const r of list) expect(r.issues).toHaveLength(1);
      expect(gh.unhandled).toEqual([]);
      // Bottleneck's Redis datastore never ran: none of its "b_" keys.
      expect(await redis.client.keys("b_*")).toEqual([]);

      // Per installation, consecutive lane requests (writes and GraphQL) as GitHub received them, across both replicas.
      for (const id of INSTALLATIONS) {
        const times = gh.log.filter((e) => e.lane && e.installationId === id).map((e) => e.at);
        expect(times.length).toBeGreaterThanOrEqual(REPOS_PER_INSTALLATION * 2 * 2);
        const gaps = times.slice(1).map((t, i) => t - times[i]!);
        expect(Math.min(...gaps)).toBeGreaterThanOrEqual(WRITE_SPACING_MS - ARRIVAL_SLACK_MS);
      }
    } finally {
      for (const p of replicas) {
        p.child.kill("SIGCONT");
        await p.kill("SIGKILL");
      }
      await gh.close();
    }
  });
});
