import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkRunPayload, pullRequestPayload, pushPayload } from "../fixtures/app/events.js";
import { API, contentsFile } from "../fixtures/app/fakeGitHub.js";
import { setupAppTests } from "../fixtures/app/harness.js";
import { PORTFOLIO, withConfig } from "../fixtures/app/repos.js";
import { MAX_CONFIG_BYTES } from "../../src/config/config.js";

/**
 * Findings 2 and 8 through the app's own path (webhook → queue → audit →
 * check run), GitHub served by nock: what `_extends` may read, how big, what
 * its errors may say, and whose config a fork's pull request gets.
 */
const t = setupAppTests({ beforeAll, beforeEach, afterEach, afterAll, expect });

const OWNER = "Codertocat";
const BIG = 40 * 1024 * 1024;

/** Every request nock had no answer for (the app's config reads of files nobody served). */
const unmatched: string[] = [];
const onNoMatch = (req: { method?: string; path?: string; options?: { method?: string; path?: string } }) =>
  unmatched.push(`${req.method ?? req.options?.method} ${req.path ?? req.options?.path}`);
beforeAll(() => void nock.emitter.on("no match", onNoMatch));
afterAll(() => void nock.emitter.removeListener("no match", onNoMatch));
beforeEach(() => void (unmatched.length = 0));

/** What the stand-in GitHub gave out for a served file: JSON answers, and raw downloads (and their bytes). */
interface Served {
  /** What the file is now (a test may change it between pushes). */
  answer: Answer;
  json: number;
  raw: number;
  rawBytes: number;
}

type Answer = string | { size: number } | { status: number };

/**
 * A file as GitHub's contents API serves it: the JSON form (size, base64
 * content up to 1 MB), or the raw bytes for `Accept: application/vnd.github.raw`.
 * `text` may be a size only: a file too large to hold here, whose raw form is
 * stood in for by a body just over the cap (the count, not the bytes, is what
 * the test checks). A status answers every request with that error.
 */
function serveFile(repo: string, path: string, answer: Answer): Served {
  const served: Served = { answer, json: 0, raw: 0, rawBytes: 0 };
  nock(API)
    .get(`/repos/${OWNER}/${repo}/contents/${encodeURIComponent(path)}`)
    .query(true)
    .reply(function () {
      const text = served.answer;
      if (typeof text === "object" && "status" in text) {
        const { status } = text;
        return [status, { message: status === 404 ? "Not Found" : "Resource not accessible by integration" }];
      }
      const accept = String(this.req.headers.accept ?? "");
      if (accept.includes("raw")) {
        served.raw++;
        const body = typeof text === "string" ? text : `# ${"x".repeat(MAX_CONFIG_BYTES + 1024)}\n`;
        served.rawBytes += Buffer.byteLength(body);
        return [200, body, { "content-type": "application/vnd.github.raw; charset=utf-8" }];
      }
      served.json++;
      return [200, contentsFile(OWNER, repo, path, text as string | { size: number })];
    })
    .persist();
  return served;
}

/** Pushes a commit with this config and returns the completed check run. */
async function pushWithConfig(config: string): Promise<Record<string, any>> {
  const commit = t.gh.commit(withConfig(PORTFOLIO, config));
  await t.app.deliverAndWait("push", pushPayload(commit.commitSha));
  return t.gh.completion();
}

const shown = (run: Record<string, any>): string => JSON.stringify(run.output);

describe("_extends reads only a same-owner .github/skillproof.yml", () => {
  it("another owner's file is a config error, and the app never asks GitHub for it", async () => {
    t.gh.serveToken().serveTrees().serveTarballs().serveChecks();
    const run = await pushWithConfig("_extends: attacker/cfg:big.yml\n");
    expect(run.status).toBe("completed");
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe("Invalid config: .github/skillproof.yml");
    expect(run.output.summary).toContain(`_extends must name a repository of ${OWNER}`);
    expect([...t.gh.requests, ...unmatched].filter((r) => r.includes("attacker"))).toEqual([]);
  });

  it("another path of a same-owner repository is refused the same way, unread", async () => {
    t.gh.serveToken().serveTrees().serveTarballs().serveChecks();
    const secret = serveFile("payroll", "config/database.yml", "password: hunter2\n");
    const run = await pushWithConfig("_extends: payroll:config/database.yml\n");
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain(`_extends must name a repository of ${OWNER}`);
    expect(secret).toMatchObject({ json: 0, raw: 0, rawBytes: 0 });
    nock.cleanAll();
  });
});

describe("an extended config is size-capped before it is downloaded", () => {
  it("a 40 MB same-owner config is refused from its size; the app downloads none of it and audits the next push", async () => {
    t.gh.serveToken().serveTrees().serveTarballs().serveChecks().serveIssues();
    const big = serveFile("shared", ".github/skillproof.yml", { size: BIG });
    const run = await pushWithConfig("_extends: shared\n");
    expect(big.raw).toBe(0);
    expect(big.rawBytes).toBe(0);
    expect(big.json).toBe(1);
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain(`the config extended from ${OWNER}/shared:.github/skillproof.yml cannot be read`);

    // The process is alive and auditing: the next push gets its report.
    const next = await pushWithConfig("threshold: 1\n");
    expect(next.conclusion).toBe("success");
  });
});

describe("errors about an extended config never echo it", () => {
  it("a file with a secret-looking key or rule id yields a message without it", async () => {
    t.gh.serveToken().serveTrees().serveTarballs().serveChecks();
    const secret = serveFile(".github", ".github/skillproof.yml", "");
    let reads = 0;
    for (const text of ["db_password_is_hunter2: yes\n", "disable:\n  - sk_live_hunter2\n", "weights:\n  hunter2: 3\n"]) {
      secret.answer = text;
      const run = await pushWithConfig(`_extends: .github\n# ${++reads}\n`);
      expect(shown(run)).not.toContain("hunter2");
      expect(run.conclusion).toBe("failure");
      expect(run.output.summary).toContain(`the config extended from ${OWNER}/.github:.github/skillproof.yml is not valid skillproof config`);
      expect(secret.json + secret.raw).toBe(reads);
    }
  });

  it("missing, forbidden and too large read the same", async () => {
    t.gh.serveToken().serveTrees().serveTarballs().serveChecks();
    const shared = serveFile("shared", ".github/skillproof.yml", "");
    const outputs: string[] = [];
    for (const answer of [{ status: 404 }, { status: 403 }, { size: BIG }]) {
      shared.answer = answer;
      outputs.push(shown(await pushWithConfig(`_extends: shared\n# ${outputs.length}\n`)));
    }
    expect(new Set(outputs).size).toBe(1);
    expect(outputs[0]).toContain("cannot be read");
  });
});

describe("a pull request from a fork is audited with the base branch's config", () => {
  /** A pull_request event whose head is in attacker's fork. */
  function forkPull(head: string, base: string): Record<string, any> {
    const p = pullRequestPayload("opened", head, base);
    p.pull_request.head.repo = { ...p.pull_request.head.repo, id: 999_999, name: "Hello-World", full_name: "attacker/Hello-World", owner: { ...p.pull_request.head.repo.owner, login: "attacker", id: 999_998 } };
    p.pull_request.head.label = "attacker:main";
    return p;
  }

  const HOSTILE = "_extends: attacker/cfg:big.yml\nthreshold: 1\nignore: ['**']\n";

  it("ignores the head's hostile config (and its _extends) and applies the base's", async () => {
    const base = t.gh.commit(withConfig(PORTFOLIO, "threshold: 99\n"));
    const head = t.gh.commit(withConfig(PORTFOLIO, HOSTILE));
    t.gh.serveToken().serveTrees().serveTarballs().serveChecks();
    await t.app.deliverAndWait("pull_request", forkPull(head.commitSha, base.commitSha));
    const run = t.gh.completion();
    expect(t.gh.checkRuns[0]!.create).toMatchObject({ head_sha: head.commitSha, external_id: `pull:2:${base.commitSha}:fork` });
    // threshold 99 (the base's) fails the run; the head's threshold 1 would pass it, its ignore would empty it.
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).not.toMatch(/Invalid config/);
    expect([...t.gh.requests, ...unmatched].filter((r) => r.includes("attacker"))).toEqual([]);
    // The base source is listed once and serves both the config and the base audit.
    expect(t.gh.count("GET /repos/Codertocat/Hello-World/git/trees/")).toBe(2);

    // A re-run of that check run keeps the fork's rule.
    await t.app.deliverAndWait("check_run", checkRunPayload("rerequested", head.commitSha, `pull:2:${base.commitSha}:fork`));
    expect(t.gh.completion().conclusion).toBe("failure");
    expect([...t.gh.requests, ...unmatched].filter((r) => r.includes("attacker"))).toEqual([]);
  });

  it("a pull request within the repository keeps its head's config", async () => {
    const base = t.gh.commit(withConfig(PORTFOLIO, "threshold: 99\n"));
    const head = t.gh.commit(withConfig(PORTFOLIO, "threshold: 1\n"));
    t.gh.serveToken().serveTrees().serveTarballs().serveChecks();
    await t.app.deliverAndWait("pull_request", pullRequestPayload("opened", head.commitSha, base.commitSha));
    expect(t.gh.checkRuns[0]!.create).toMatchObject({ external_id: `pull:2:${base.commitSha}` });
    expect(t.gh.completion().conclusion).toBe("success");
  });
});
