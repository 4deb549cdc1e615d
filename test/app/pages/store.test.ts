import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FileReportStore } from "../../../src/app/pages/store/file.js";
import { openReportStore } from "../../../src/app/pages/store/open.js";
import { RedisReportStore } from "../../../src/app/pages/store/redis.js";
import type { ReportStore } from "../../../src/app/pages/store/types.js";
import { DEFAULT_CONFIG } from "../../../src/config/config.js";
import { REPORT_SCHEMA_VERSION, type Report } from "../../../src/report/model.js";
import { HISTORY_CAP, historyPoint, type StoredAudit } from "../../../src/report/stored.js";
import { startRedis, type TestRedis } from "../../helpers/redis.js";

const sha = (n: number) => n.toString(16).padStart(40, "0");

function report(score: number, extra: Partial<Report> = {}): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: "skillproof", version: "0.0.0-test" },
    target: { kind: "github", owner: "Octo", repo: "Repo", sha: sha(1) },
    score,
    threshold: null,
    passed: null,
    summary: { passed: 1, failed: 1, notApplicable: 1, applicable: 2, total: 3 },
    skills: [
      { id: "testing", title: "Testing", weight: 1, score, passed: 1, applicable: 2 },
      { id: "docs", title: "Docs", weight: 1, score: null, passed: 0, applicable: 0 },
    ],
    rules: [],
    stack: { languages: [], mainLanguage: null, frameworks: [] },
    config: DEFAULT_CONFIG,
    files: { listed: 3, considered: 3, read: 2 },
    warnings: [],
    notes: [],
    ...extra,
  };
}

/** An audit of commit `n`, committed at minute `n` of a fixed day unless told otherwise. */
function audit(n: number, over: Partial<StoredAudit> & { score?: number } = {}): StoredAudit {
  const { score = 50, ...rest } = over;
  return {
    owner: "Octo",
    repo: "Repo",
    defaultBranch: "main",
    commit: sha(n),
    auditedAt: new Date(Date.UTC(2026, 0, 2, 0, n)).toISOString(),
    committedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    report: report(score),
    ...rest,
  };
}

/** Every path under a folder, relative to it, sorted. */
async function listing(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.map((e) => relative(dir, join(dir, e))).sort();
}

interface Opened {
  store: ReportStore;
  /** A second store on the same data: another thread (files) or another replica (Redis). */
  twin: ReportStore;
  /** What the backend holds at all, to show that a refused call wrote nothing anywhere. */
  footprint(): Promise<string[]>;
  /** Overwrites a repository's records with garbage. */
  corrupt(owner: string, repo: string): Promise<void>;
}

interface Backend {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  open(): Promise<Opened>;
  closeAll(): Promise<void>;
}

function fileBackend(): Backend {
  const roots: string[] = [];
  return {
    name: "FileReportStore",
    async start() {},
    async stop() {},
    async open() {
      // The store's folder is one level down, so a listing of the root shows anything written beside it.
      const root = await mkdtemp(join(tmpdir(), "skillproof-pages-"));
      roots.push(root);
      const dir = join(root, "store");
      return {
        store: new FileReportStore(dir),
        twin: new FileReportStore(dir),
        footprint: () => listing(root),
        async corrupt(owner, repo) {
          const folder = join(dir, "repos", owner.toLowerCase(), repo.toLowerCase());
          await mkdir(folder, { recursive: true });
          await writeFile(join(folder, "latest.json"), '{"owner": "Octo", "rep');
          await writeFile(join(folder, "summary.json"), "not json at all");
          await writeFile(join(folder, "history.json"), '{"commit": "not a list"}');
        },
      };
    },
    async closeAll() {
      for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
    },
  };
}

function redisBackend(): Backend {
  let redis: TestRedis;
  const clients: Redis[] = [];
  return {
    name: "RedisReportStore",
    async start() {
      redis = await startRedis();
    },
    async stop() {
      await redis.stop();
    },
    async open() {
      // A fresh prefix per test: the same server, nothing shared between tests.
      const prefix = `t${randomUUID().slice(0, 8)}`;
      const other = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      clients.push(other);
      return {
        store: new RedisReportStore(redis.client, prefix),
        twin: new RedisReportStore(other, prefix, { ownsClient: true }),
        footprint: async () => (await redis.client.keys(`${prefix}*`)).sort(),
        async corrupt(owner, repo) {
          const base = `${prefix}:pages:repo:${owner.toLowerCase()}/${repo.toLowerCase()}:`;
          await redis.client.set(`${base}latest`, '{"owner": "Octo", "rep');
          await redis.client.set(`${base}summary`, "not json at all");
          await redis.client.rpush(`${base}history`, "garbage", '{"commit": 3}');
        },
      };
    },
    async closeAll() {
      for (const c of clients.splice(0)) c.disconnect();
    },
  };
}

describe.each([fileBackend(), redisBackend()])("$name", (backend) => {
  let store: ReportStore;
  let opened: Opened;

  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  beforeEach(async () => {
    opened = await backend.open();
    store = opened.store;
  });
  afterEach(() => backend.closeAll());

  it("keeps an audit as latest, its summary and its history point", async () => {
    const a = audit(1, { score: 72 });
    expect(await store.save(a)).toBe(true);
    expect(await store.latest("Octo", "Repo")).toEqual(a);
    expect(await store.summary("Octo", "Repo")).toEqual({ owner: "Octo", repo: "Repo", score: 72, commit: sha(1), auditedAt: a.auditedAt });
    expect(await store.history("Octo", "Repo")).toEqual([historyPoint(a)]);
    expect((await store.history("Octo", "Repo"))[0]!.skills).toEqual({ testing: 72, docs: null });
  });

  it("answers nothing for a repository never saved", async () => {
    expect(await store.latest("octo", "nothing")).toBeUndefined();
    expect(await store.summary("octo", "nothing")).toBeUndefined();
    expect(await store.history("octo", "nothing")).toEqual([]);
    expect(await store.ownerRepos("octo", 10)).toEqual([]);
  });

  it("looks repositories up case-insensitively and keeps GitHub's spelling", async () => {
    await store.save(audit(1, { owner: "OctoCat", repo: "Hello-World.js" }));
    for (const [o, r] of [["octocat", "hello-world.js"], ["OCTOCAT", "HELLO-WORLD.JS"], ["OctoCat", "Hello-World.js"]] as const) {
      expect(await store.latest(o, r)).toMatchObject({ owner: "OctoCat", repo: "Hello-World.js" });
      expect(await store.summary(o, r)).toMatchObject({ owner: "OctoCat", repo: "Hello-World.js" });
      expect(await store.history(o, r)).toHaveLength(1);
    }
    expect(await store.ownerRepos("octocat", 5)).toMatchObject([{ owner: "OctoCat", repo: "Hello-World.js" }]);
    // Another spelling of the same repository is the same repository.
    await store.save(audit(2, { owner: "octocat", repo: "HELLO-world.js" }));
    expect(await store.history("OctoCat", "Hello-World.js")).toHaveLength(2);
    expect(await store.ownerRepos("OCTOCAT", 5)).toHaveLength(1);
  });

  it("replaces a re-audited commit's point in place", async () => {
    await store.save(audit(1, { score: 40 }));
    await store.save(audit(2, { score: 50 }));
    await store.save(audit(1, { score: 45, auditedAt: "2026-02-01T00:00:00.000Z" }));
    const history = await store.history("octo", "repo");
    expect(history.map((p) => [p.commit, p.score, p.date])).toEqual([
      [sha(1), 45, "2026-02-01T00:00:00.000Z"],
      [sha(2), 50, audit(2).auditedAt],
    ]);
    // Commit 1 is older than commit 2: its re-audit is history, not the latest.
    expect(await store.summary("octo", "repo")).toMatchObject({ commit: sha(2), score: 50 });
    // A re-audit of the latest commit replaces it.
    await store.save(audit(2, { score: 55 }));
    expect(await store.summary("octo", "repo")).toMatchObject({ commit: sha(2), score: 55 });
    expect((await store.latest("octo", "repo"))!.report.score).toBe(55);
    expect(await store.history("octo", "repo")).toHaveLength(2);
  });

  it(`keeps at most ${HISTORY_CAP} points, dropping the oldest`, async () => {
    const extra = 5;
    for (let n = 1; n <= HISTORY_CAP + extra; n++) await store.save(audit(n, { score: n % 101 }));
    const history = await store.history("octo", "repo");
    expect(history).toHaveLength(HISTORY_CAP);
    expect(history[0]!.commit).toBe(sha(extra + 1));
    expect(history.at(-1)!.commit).toBe(sha(HISTORY_CAP + extra));
    expect(await store.summary("octo", "repo")).toMatchObject({ commit: sha(HISTORY_CAP + extra) });
  });

  it("does not let an older commit's late audit replace the latest, but records its point", async () => {
    await store.save(audit(9, { score: 90 }));
    expect(await store.save(audit(3, { score: 30 }))).toBe(true);
    expect(await store.summary("octo", "repo")).toMatchObject({ commit: sha(9), score: 90 });
    expect((await store.latest("octo", "repo"))!.commit).toBe(sha(9));
    expect((await store.history("octo", "repo")).map((p) => p.commit)).toEqual([sha(9), sha(3)]);
    expect(await store.ownerRepos("octo", 5)).toMatchObject([{ commit: sha(9), score: 90 }]);
  });

  it("replaces the latest when either commit date is unknown or the dates are equal", async () => {
    await store.save(audit(9));
    await store.save(audit(3, { committedAt: undefined }));
    expect((await store.summary("octo", "repo"))!.commit).toBe(sha(3));
    await store.save(audit(4, { committedAt: "not a date" }));
    expect((await store.summary("octo", "repo"))!.commit).toBe(sha(4));
    await store.save(audit(5, { committedAt: "2026-03-01T00:00:00Z" }));
    await store.save(audit(6, { committedAt: "2026-03-01T00:00:00Z" }));
    expect((await store.summary("octo", "repo"))!.commit).toBe(sha(6));
  });

  it("hides a repository at once and refuses saves until it is unhidden", async () => {
    await store.save(audit(1, { score: 80 }));
    await store.save(audit(1, { repo: "Other", score: 20 }));
    await store.hide("OCTO", "REPO");
    expect(await store.latest("octo", "repo")).toBeUndefined();
    expect(await store.summary("octo", "repo")).toBeUndefined();
    expect(await store.history("octo", "repo")).toEqual([]);
    expect(await store.ownerRepos("octo", 10)).toMatchObject([{ repo: "Other" }]);

    expect(await store.save(audit(2))).toBe(false);
    expect(await opened.twin.save(audit(3))).toBe(false);
    expect(await store.latest("octo", "repo")).toBeUndefined();
    expect(await store.history("octo", "repo")).toEqual([]);
    // Removing a hidden repository does not make it saveable: only unhide does.
    await store.remove("octo", "repo");
    expect(await store.save(audit(2))).toBe(false);

    await store.unhide("Octo", "Repo");
    expect(await store.save(audit(4, { score: 44 }))).toBe(true);
    expect(await store.summary("octo", "repo")).toMatchObject({ commit: sha(4), score: 44 });
    expect(await store.history("octo", "repo")).toHaveLength(1);
    expect((await store.ownerRepos("octo", 10)).map((s) => s.repo)).toEqual(["Repo", "Other"]);
  });

  it("hides a repository never saved, and unhide of a visible one changes nothing", async () => {
    await store.hide("octo", "never");
    expect(await store.save(audit(1, { repo: "never" }))).toBe(false);
    await store.save(audit(1));
    await store.unhide("octo", "repo");
    expect(await store.summary("octo", "repo")).toMatchObject({ commit: sha(1) });
  });

  it("removes a repository, which can be saved again", async () => {
    await store.save(audit(1));
    await store.save(audit(2));
    await store.remove("Octo", "Repo");
    expect(await store.latest("octo", "repo")).toBeUndefined();
    expect(await store.summary("octo", "repo")).toBeUndefined();
    expect(await store.history("octo", "repo")).toEqual([]);
    expect(await store.ownerRepos("octo", 10)).toEqual([]);
    await store.remove("octo", "repo");
    expect(await store.save(audit(3))).toBe(true);
    expect(await store.history("octo", "repo")).toHaveLength(1);
  });

  it("lists an owner's repositories by score, then name, at most limit", async () => {
    const repos: Array<[string, number]> = [["beta", 50], ["Zeta", 80], ["alpha", 50], ["gamma", 30], ["Delta", 50], ["gone", 99], ["secret", 98]];
    for (const [repo, score] of repos) await store.save(audit(1, { owner: "Dev", repo, score }));
    await store.save(audit(1, { owner: "someone-else", repo: "top", score: 100 }));
    await store.remove("dev", "gone");
    await store.hide("dev", "secret");

    const all = await store.ownerRepos("dev", 100);
    expect(all.map((s) => [s.repo, s.score])).toEqual([["Zeta", 80], ["alpha", 50], ["beta", 50], ["Delta", 50], ["gamma", 30]]);
    expect(all.every((s) => s.owner === "Dev")).toBe(true);
    expect((await store.ownerRepos("DEV", 3)).map((s) => s.repo)).toEqual(["Zeta", "alpha", "beta"]);
    expect(await store.ownerRepos("dev", 0)).toEqual([]);
    expect(await store.ownerRepos("dev", -1)).toEqual([]);
    expect((await store.ownerRepos("dev", 1.9)).map((s) => s.repo)).toEqual(["Zeta"]);

    // A score that changes moves the repository.
    await store.save(audit(2, { owner: "Dev", repo: "gamma", score: 95 }));
    expect((await store.ownerRepos("dev", 2)).map((s) => [s.repo, s.score])).toEqual([["gamma", 95], ["Zeta", 80]]);
  });

  const hostile: Array<[string, string]> = [
    ["..", "x"],
    ["octo", "../x"],
    ["octo", "../../etc"],
    ["octo", "a/b"],
    ["octo", "a\\b"],
    ["octo", "."],
    ["octo", ".."],
    ["octo", ""],
    ["", "repo"],
    ["octo/..", "repo"],
    ["a".repeat(200), "repo"],
    ["octo", "r".repeat(200)],
    ["ünïcödé", "repo"],
    ["octo", "répo"],
    ["octo", "x\u0000y"],
    ["octo", "x:latest"],
    ["octo", "x y"],
  ];

  it("treats names GitHub would not allow as unknown and touches nothing for them", async () => {
    for (const [owner, repo] of hostile) {
      expect(await store.latest(owner, repo)).toBeUndefined();
      expect(await store.summary(owner, repo)).toBeUndefined();
      expect(await store.history(owner, repo)).toEqual([]);
      expect(await store.ownerRepos(owner, 10)).toEqual([]);
      await expect(store.save(audit(1, { owner, repo }))).rejects.toThrow(/not a valid GitHub owner\/repository name/);
      await store.remove(owner, repo);
      await store.hide(owner, repo);
      await store.unhide(owner, repo);
    }
    expect(await opened.footprint()).toEqual([]);
  });

  it("refuses a report over 4 MiB, writing nothing", async () => {
    const big = audit(1, { report: report(50, { notes: ["x".repeat(4 * 1024 * 1024)] }) });
    await expect(store.save(big)).rejects.toThrow(/over the 4194304-byte limit/);
    expect(await opened.footprint()).toEqual([]);
    expect(await store.latest("octo", "repo")).toBeUndefined();
    // Just under the limit is kept.
    const fits = audit(1, { report: report(50, { notes: ["x".repeat(4 * 1024 * 1024 - 2000)] }) });
    expect(await store.save(fits)).toBe(true);
    expect((await store.latest("octo", "repo"))!.report.notes[0]).toHaveLength(4 * 1024 * 1024 - 2000);
  });

  it("reads corrupt records as absent, and a save repairs them", async () => {
    await opened.corrupt("Octo", "Repo");
    expect(await store.latest("octo", "repo")).toBeUndefined();
    expect(await store.summary("octo", "repo")).toBeUndefined();
    expect(await store.history("octo", "repo")).toEqual([]);
    expect(await store.ownerRepos("octo", 10)).toEqual([]);
    expect(await store.save(audit(1))).toBe(true);
    expect(await store.latest("octo", "repo")).toEqual(audit(1));
    expect(await store.summary("octo", "repo")).toMatchObject({ commit: sha(1) });
    expect((await store.history("octo", "repo")).map((p) => p.commit)).toEqual([sha(1)]);
  });

  it("keeps every point when saves of different commits land at once, from two stores on the same data", async () => {
    const twin = opened.twin;
    for (let round = 0; round < 5; round++) {
      const base = round * 10 + 1;
      const results = await Promise.all([
        store.save(audit(base)),
        twin.save(audit(base + 1)),
        store.save(audit(base + 2)),
        twin.save(audit(base + 3)),
        twin.save(audit(base + 4)),
        store.save(audit(base + 5)),
      ]);
      expect(results).toEqual([true, true, true, true, true, true]);
      const commits = (await store.history("octo", "repo")).map((p) => p.commit);
      expect(commits).toHaveLength((round + 1) * 6);
      for (let i = 0; i < 6; i++) expect(commits).toContain(sha(base + i));
      // Latest and summary agree, on the newest commit of the round (the highest committedAt).
      const latest = await twin.latest("octo", "repo");
      expect(latest!.commit).toBe(sha(base + 5));
      expect((await store.summary("octo", "repo"))!.commit).toBe(latest!.commit);
    }
    await twin.close();
  });

  it("keeps a hide that races a save: afterwards the repository is gone or refuses", async () => {
    await store.save(audit(1));
    await Promise.all([store.save(audit(2)), opened.twin.hide("octo", "repo"), opened.twin.save(audit(3))]);
    expect(await store.latest("octo", "repo")).toBeUndefined();
    expect(await store.summary("octo", "repo")).toBeUndefined();
    expect(await store.history("octo", "repo")).toEqual([]);
    expect(await store.save(audit(4))).toBe(false);
  });
});

describe("FileReportStore on disk", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "skillproof-pages-file-"));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it("creates its folder private to the app and leaves no temporary or lock files", async () => {
    const dir = join(root, "data", "pages");
    const store = new FileReportStore(dir);
    await store.save(audit(1));
    await store.save(audit(2));
    await store.hide("octo", "other");
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await listing(dir)).toEqual([
      "locks",
      "locks/octo",
      "repos",
      "repos/octo",
      "repos/octo/other",
      "repos/octo/other/hidden",
      "repos/octo/repo",
      "repos/octo/repo/history.json",
      "repos/octo/repo/latest.json",
      "repos/octo/repo/summary.json",
    ]);
    await store.remove("octo", "repo");
    await store.unhide("octo", "other");
    expect(await listing(join(dir, "repos"))).toEqual(["octo"]);
  });

  it("breaks a lock file left by a dead process", async () => {
    const store = new FileReportStore(root, { lockStaleMs: 1000 });
    const lock = join(root, "locks", "octo", "repo.lock");
    await mkdir(join(root, "locks", "octo"), { recursive: true });
    await writeFile(lock, "someone long gone");
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    expect(await store.save(audit(1))).toBe(true);
    expect(await listing(join(root, "locks"))).toEqual(["octo"]);
  });

  it("waits for a live lock, and fails plainly when it is never released", async () => {
    const store = new FileReportStore(root, { lockWaitMs: 50 });
    const lock = join(root, "locks", "octo", "repo.lock");
    await mkdir(join(root, "locks", "octo"), { recursive: true });
    await writeFile(lock, "another process");
    await expect(store.save(audit(1))).rejects.toThrow(/timed out waiting for the lock/);
    expect(await store.latest("octo", "repo")).toBeUndefined();
    // Released while a save waits: the save goes through.
    const patient = new FileReportStore(root, { lockWaitMs: 10_000 });
    const saving = patient.save(audit(1));
    await new Promise((r) => setTimeout(r, 30));
    await rm(lock);
    expect(await saving).toBe(true);
  });

  it("lists only folders it made under an owner", async () => {
    const store = new FileReportStore(root);
    await store.save(audit(1, { owner: "dev", repo: "app", score: 10 }));
    await mkdir(join(root, "repos", "dev", "UPPER"), { recursive: true });
    await writeFile(join(root, "repos", "dev", "UPPER", "summary.json"), JSON.stringify({ owner: "dev", repo: "UPPER", score: 99, commit: sha(1), auditedAt: "x" }));
    await writeFile(join(root, "repos", "dev", "stray-file"), "x");
    expect((await store.ownerRepos("dev", 10)).map((s) => s.repo)).toEqual(["app"]);
  });
});

describe("openReportStore", () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  it("opens files under the data folder's pages/ without Redis", async () => {
    const root = await mkdtemp(join(tmpdir(), "skillproof-pages-open-"));
    try {
      const store = await openReportStore({ redisPrefix: "x", dataDir: root });
      expect(store).toBeInstanceOf(FileReportStore);
      expect((store as FileReportStore).dir).toBe(join(root, "pages"));
      await store.save(audit(1));
      expect(await listing(root)).toContain("pages/repos/octo/repo/latest.json");
      await store.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("opens Redis under the prefix when a URL is set, and closes the client it opened", async () => {
    const store = await openReportStore({ redisUrl: redis.url, redisPrefix: "opened", dataDir: "/nonexistent" });
    expect(store).toBeInstanceOf(RedisReportStore);
    await store.save(audit(1));
    expect((await redis.client.keys("opened:pages:*")).sort()).toEqual([
      "opened:pages:owner:octo",
      "opened:pages:repo:octo/repo:history",
      "opened:pages:repo:octo/repo:latest",
      "opened:pages:repo:octo/repo:order",
      "opened:pages:repo:octo/repo:summary",
    ]);
    await store.close();
    await expect(store.summary("octo", "repo")).rejects.toThrow();
  });

  it("leaves a client it was given open", async () => {
    const store = new RedisReportStore(redis.client, "shared");
    await store.close();
    expect(await redis.client.ping()).toBe("PONG");
  });
});
