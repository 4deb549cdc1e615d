import { describe, expect, it } from "vitest";
import { pushPayload, sendWebhook, startAppProcess } from "../../scripts/app-process.js";
import { StandInRepo, startGitHubStandIn } from "../../scripts/github-standin.js";
import { PORTFOLIO } from "../fixtures/github/portfolio.js";
import { until, useBuiltApp, type AppProcess, type StandIn } from "../helpers/builtApp.js";

/**
 * Findings 2 and 8, through the path a user takes: the built app (`npm
 * start`'s dist/app/server.js) against the loopback GitHub stand-in, a push
 * whose `.github/skillproof.yml` names a hostile `_extends`.
 * Before the fix (46860ff) `_extends` read any file of any repository the
 * installation could see, downloaded raw and without a size cap, and its
 * errors quoted the file: `attacker/cfg:big.yml` was asked for (40 MB of it
 * killed the process), the `.github` config's key came back in the check run
 * as `unknown property "db_password_is_hunter2"`, and the 40 MB same-owner
 * config was downloaded raw. Each test below fails on that code (a request
 * for attacker/*, "hunter2" in the output, a raw download). Now: another
 * owner's file is a config error and never requested; an invalid extended
 * config is "not valid" without its content; a file over the cap is refused
 * from the contents API's stated size, and the next push is audited.
 */

const { running, standIns } = useBuiltApp();

const INSTALLATION = 41;
const OWNER = "acme";
const CONFIG = ".github/skillproof.yml";
const BIG = 40 * 1024 * 1024;

/** The audited repository and the ones `_extends` may name, all in one installation (the app can see every one of them). */
async function setup(): Promise<{ gh: StandIn; app: AppProcess; site: StandInRepo }> {
  const site = new StandInRepo({ owner: OWNER, repo: "site", installationId: INSTALLATION, files: PORTFOLIO });
  // Another owner's public file, 40 MB (GitHub states the size and leaves the content out of the JSON form above 1 MB).
  const attacker = new StandInRepo({ owner: "attacker", repo: "cfg", installationId: INSTALLATION, files: { "README.md": "cfg\n" }, configFiles: { "big.yml": { size: BIG } } });
  // The owner's org-wide config, with a secret-looking key.
  const orgConfig = new StandInRepo({ owner: OWNER, repo: ".github", installationId: INSTALLATION, files: { "README.md": "org\n" }, configFiles: { [CONFIG]: "db_password_is_hunter2: 1\n" } });
  // A same-owner config of 40 MB.
  const shared = new StandInRepo({ owner: OWNER, repo: "shared", installationId: INSTALLATION, files: { "README.md": "shared\n" }, configFiles: { [CONFIG]: { size: BIG } } });
  const gh = await startGitHubStandIn({ repos: [site, attacker, orgConfig, shared], latencyMs: 2 });
  standIns.push(gh);
  const app = await startAppProcess({ githubHost: gh.host, env: { SKILLPROOF_THREADS: "1" } });
  running.push(app);
  return { gh, app, site };
}

/** Pushes a new head of `site` with this config and returns its completed check run. */
async function pushWithConfig(s: { gh: StandIn; app: AppProcess; site: StandInRepo }, config: string): Promise<Record<string, any>> {
  const sha = s.site.addCommit({ ...PORTFOLIO, [CONFIG]: config });
  expect((await sendWebhook(s.app.url, "push", pushPayload(s.site, sha))).status).toBe(200);
  const done = () => s.site.checkRuns.filter((c) => c.head_sha === sha && c.status === "completed");
  await until(`the push of ${JSON.stringify(config)} has a completed check run`, () => done().length > 0, 60_000, () =>
    `requests: ${s.gh.log.map((e) => `${e.method} ${e.path}`).join(", ")}\n${s.app.output.slice(-3000)}`,
  );
  return done()[0]!;
}

const requestsFor = (gh: StandIn, prefix: string) => gh.log.filter((e) => e.path.toLowerCase().startsWith(`/api/v3/repos/${prefix}`.toLowerCase()));

describe("_extends through the built app", () => {
  it("another owner's file: a completed check run with a config error, and no request for attacker/*", { timeout: 90_000 }, async () => {
    const s = await setup();
    const run = await pushWithConfig(s, "_extends: attacker/cfg:big.yml\n");
    expect(requestsFor(s.gh, "attacker/").map((e) => `${e.method} ${e.path}`)).toEqual([]);
    expect(s.gh.log.filter((e) => JSON.stringify((e as { variables?: unknown }).variables ?? {}).includes("attacker"))).toEqual([]);
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe(`Invalid config: ${CONFIG}`);
    expect(run.output.summary).toContain(`_extends must name a repository of ${OWNER}`);
  });

  it("the owner's .github config with a secret-looking key: 'not valid', without the key", { timeout: 90_000 }, async () => {
    const s = await setup();
    const run = await pushWithConfig(s, "_extends: .github\n");
    // It was read (the test is not passing on a missing file) ...
    expect(requestsFor(s.gh, `${OWNER}/.github/contents/`).length).toBeGreaterThan(0);
    // ... and the check run says it is invalid without quoting it.
    expect(JSON.stringify(run)).not.toContain("hunter2");
    expect(JSON.stringify(run)).not.toContain("db_password");
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain(`the config extended from ${OWNER}/.github:${CONFIG} is not valid skillproof config`);
  });

  it("a 40 MB same-owner config: refused from its stated size, none of it downloaded, the process alive and the next push audited", { timeout: 120_000 }, async () => {
    const s = await setup();
    const run = await pushWithConfig(s, "_extends: shared\n");
    // One JSON read of the file's metadata; no raw download of its bytes.
    const reads = requestsFor(s.gh, `${OWNER}/shared/contents/`);
    expect(reads.filter((e) => /raw/.test((e as { accept?: string }).accept ?? "")).map((e) => `${e.method} ${e.path} (${(e as { accept?: string }).accept})`)).toEqual([]);
    expect(reads).toHaveLength(1);
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain(`the config extended from ${OWNER}/shared:${CONFIG} cannot be read`);

    expect(s.app.child.exitCode).toBeNull();
    expect((await fetch(`${s.app.url}/ping`)).status).toBe(200);
    const next = await pushWithConfig(s, "threshold: 1\n");
    expect(next.conclusion).toBe("success");
    expect(next.output.title).toMatch(/^Skills score \d+\/100/);
    expect(s.app.child.exitCode).toBeNull();
  });
});
