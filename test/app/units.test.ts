import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCompletedCheckRun, MAX_ANNOTATIONS, type Annotation } from "../../src/app/publish/checkRun.js";
import { AuditQueue } from "../../src/app/queue/memory.js";
import { KeyedMutex } from "../../src/app/state/memory.js";
import { issueBody, parseMarker, renderMarker } from "../../src/app/publish/reportIssue.js";
import { API } from "../fixtures/app/fakeGitHub.js";
import { checkBody, schemaOf, validBody, violations } from "../fixtures/app/openapi.js";

const octokit = () => new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
const tick = () => new Promise((r) => setTimeout(r, 5));

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  try {
    expect(nock.pendingMocks()).toEqual([]);
  } finally {
    nock.cleanAll();
    violations.length = 0;
  }
});
afterAll(() => nock.enableNetConnect());

describe("AuditQueue", () => {
  it("runs at most `concurrency` jobs at once and resolves onIdle when all are done", async () => {
    const q = new AuditQueue(2);
    let running = 0;
    let peak = 0;
    const job = async () => {
      peak = Math.max(peak, ++running);
      await tick();
      running--;
    };
    for (const k of ["a", "b", "c", "d"]) q.enqueue(k, job);
    await q.onIdle();
    expect(peak).toBe(2);
    expect(q.size + q.pending).toBe(0);
  });

  it("replaces a waiting job with the same key and never runs one key twice at once", async () => {
    const q = new AuditQueue(4);
    const ran: string[] = [];
    const job = (name: string) => async () => {
      ran.push(`start ${name}`);
      await tick();
      ran.push(`end ${name}`);
    };
    expect(q.enqueue("repo", job("1"))).toBe("queued");
    expect(q.enqueue("repo", job("2"))).toBe("queued");
    expect(q.enqueue("repo", job("3"))).toBe("replaced");
    await q.onIdle();
    expect(ran).toEqual(["start 1", "end 1", "start 3", "end 3"]);
  });

  it("reports a failing job and carries on", async () => {
    const errors: string[] = [];
    const q = new AuditQueue(1, (key) => errors.push(key));
    q.enqueue("bad", async () => {
      throw new Error("boom");
    });
    let ok = false;
    q.enqueue("good", async () => {
      ok = true;
    });
    await q.onIdle();
    expect(errors).toEqual(["bad"]);
    expect(ok).toBe(true);
  });
});

describe("KeyedMutex", () => {
  it("serialises sections per key only", async () => {
    const m = new KeyedMutex();
    const log: string[] = [];
    const section = (key: string, name: string) =>
      m.run(key, async () => {
        log.push(`in ${name}`);
        await tick();
        log.push(`out ${name}`);
      });
    await Promise.all([section("x", "a"), section("x", "b"), section("y", "c")]);
    expect(log.indexOf("out a")).toBeLessThan(log.indexOf("in b"));
    expect(log.indexOf("in c")).toBeLessThan(log.indexOf("out a"));
  });
});

describe("check-run output limits (GitHub's OpenAPI schema)", () => {
  it("the extract carries the limits the app relies on", () => {
    const output = schemaOf("checks/update").properties.output.properties;
    expect(output.annotations.maxItems).toBe(50);
    expect(output.summary.maxLength).toBe(65535);
    expect(output.text.maxLength).toBe(65535);
    // Not in GitHub's spec: added by the helper from GitHub's documentation.
    expect(schemaOf("issues/create").properties.body.maxLength).toBeUndefined();
    expect(checkBody("issues/create", { title: "x", body: "x".repeat(65537) })).toEqual(["issues/create: /body must NOT have more than 65536 characters"]);
    violations.length = 0;
  });

  it("the schema rejects a 51st annotation and an over-long summary", () => {
    const a: Annotation = { path: "a", start_line: 1, end_line: 1, annotation_level: "notice", title: "t", message: "m" };
    expect(checkBody("checks/update", { output: { title: "t", summary: "s", annotations: Array(51).fill(a) } })).not.toEqual([]);
    expect(checkBody("checks/update", { output: { title: "t", summary: "s".repeat(65536) } })).not.toEqual([]);
    violations.length = 0;
  });

  it("publishes in one request: created completed, at most 50 annotations, the summary clipped at a line's end, the Re-run action", async () => {
    const annotations: Annotation[] = Array.from({ length: 120 }, (_, i) => ({
      path: "src/a.ts",
      start_line: i + 1,
      end_line: i + 1,
      annotation_level: "notice",
      title: "Evidence",
      message: `line ${i + 1}`,
    }));
    const bodies: Array<Record<string, any>> = [];
    nock(API)
      .post("/repos/o/r/check-runs", validBody("checks/create"))
      .reply(201, (_uri, body) => {
        bodies.push(body as Record<string, any>);
        return { id: 9 };
      });
    const id = await createCompletedCheckRun(octokit(), { owner: "o", repo: "r", sha: "a".repeat(40), externalId: "default" }, { conclusion: "neutral", title: "T", summary: `${"x".repeat(99)}\n`.repeat(700), annotations });
    expect(id).toBe(9);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ name: "Skillproof", head_sha: "a".repeat(40), external_id: "default", status: "completed", conclusion: "neutral", actions: [{ identifier: "rerun" }] });
    expect(bodies[0]!.output.annotations).toEqual(annotations.slice(0, MAX_ANNOTATIONS));
    expect(MAX_ANNOTATIONS).toBe(50);
    const summary = bodies[0]!.output.summary as string;
    const note = "\n\n_…cut to fit GitHub's size limit._\n";
    expect(summary.length).toBeLessThanOrEqual(65535);
    expect(summary.length).toBeGreaterThan(65535 - 100);
    // Whole lines only: a cut inside a line could leave a code span open.
    expect(summary.slice(0, -note.length)).toBe(`${"x".repeat(99)}\n`.repeat((summary.length - note.length) / 100));
    expect(summary.endsWith(note)).toBe(true);
    expect(bodies[0]!.completed_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(violations).toEqual([]);
  });

  it("sends no annotations key when there are none", async () => {
    nock(API)
      .post("/repos/o/r/check-runs", (body: Record<string, any>) => validBody("checks/create")(body) && !("annotations" in body.output))
      .reply(201, { id: 10 });
    expect(await createCompletedCheckRun(octokit(), { owner: "o", repo: "r", sha: "b".repeat(40), externalId: "commit" }, { conclusion: "failure", title: "T", summary: "s" })).toBe(10);
  });
});

describe("issue marker", () => {
  it("round-trips and survives a body cut to GitHub's limit", () => {
    const m = { sha: "a".repeat(40), at: "2024-05-01T10:00:00.000Z" };
    const body = issueBody(`${"y".repeat(99)}\n`.repeat(700), m);
    expect(body.length).toBeLessThanOrEqual(65536);
    expect(body.length).toBeGreaterThan(65536 - 100);
    expect(body.endsWith(`${"y".repeat(99)}\n`)).toBe(true);
    expect(parseMarker(body)).toEqual(m);
    expect(renderMarker(m)).toBe(`<!-- skillproof:commit=${"a".repeat(40)} at=2024-05-01T10:00:00.000Z -->`);
  });
});
