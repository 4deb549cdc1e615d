import { readdirSync } from "node:fs";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PagesSettings } from "../../../src/app/pages/settings.js";
import { pushPayload } from "../../fixtures/app/events.js";
import { API, AppFake } from "../../fixtures/app/fakeGitHub.js";
import { example } from "../../fixtures/app/payloads.js";
import { testsUseRedis } from "../../fixtures/app/harness.js";
import { PORTFOLIO } from "../../fixtures/github/portfolio.js";
import { serveApp, type ServedApp } from "../../helpers/appServer.js";
import { useNock } from "../../helpers/nock.js";
import { startRedis, type TestRedis } from "../../helpers/redis.js";

/**
 * The report pages as a user meets them: a push delivered to the app's own
 * server as GitHub sends it, the audit run by the real job, then the page,
 * the badges and the history fetched over HTTP from the same server. Runs in
 * file mode, and (the Redis pass of `npm test`) with the audits kept in Redis.
 */
const SECRET = "pages-test-secret";
const PUBLIC_URL = "https://skillproof.example.org";

let running: ServedApp | undefined;
let redis: TestRedis | undefined;

useNock({ allowLoopback: true });
beforeAll(async () => {
  if (testsUseRedis) redis = await startRedis();
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
});
afterAll(async () => {
  await redis?.stop();
});

function serve(pages: Partial<PagesSettings> = {}): Promise<ServedApp> {
  return serveApp({ secret: SECRET, ...(redis ? { redisUrl: redis.url } : {}), pages: () => ({ publicUrl: PUBLIC_URL, ...pages }) });
}

async function deliver(name: string, payload: object): Promise<void> {
  expect(await running!.deliver(name, payload)).toBe(200);
  await running!.app.queue!.onIdle();
}

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; body: string; headers: Headers }> {
  const res = await fetch(`${running!.url}${path}`, { headers });
  return { status: res.status, type: res.headers.get("content-type"), body: await res.text(), headers: res.headers };
}

const served = new WeakSet<AppFake>();
/** Pushes the portfolio's files to the default branch of Codertocat/Hello-World (public in GitHub's example). */
async function pushPortfolio(gh: AppFake, files: Record<string, string> = PORTFOLIO, edit: (p: Record<string, any>) => void = () => {}): Promise<string> {
  const commit = gh.commit(files);
  // The fake's endpoints stay registered for the test: registered once, however many pushes.
  if (!served.has(gh)) gh.serveToken().serveTrees().serveTarballs().serveOrgConfig().serveChecks().serveIssues();
  served.add(gh);
  const payload = pushPayload(commit.commitSha);
  edit(payload);
  await deliver("push", payload);
  return commit.commitSha;
}

function repositoryEvent(action: string, edit: (p: Record<string, any>) => void = () => {}): Record<string, any> {
  const p = example("repository", action === "deleted" ? "privatized" : action);
  p.action = action;
  p.repository.owner.login = "Codertocat";
  p.repository.name = "Hello-World";
  p.repository.full_name = "Codertocat/Hello-World";
  edit(p);
  return p;
}

const PAGE = "/r/Codertocat/Hello-World";
const BADGE = "/badge/Codertocat/Hello-World.svg";
const PATHS = [PAGE, BADGE, "/badge/Codertocat/Hello-World.json", `${PAGE}/history.svg`, "/u/Codertocat"];

describe("after a push to a public repository", () => {
  it("serves its page, badges, history and portfolio with the new score, and links them from the check run and the issue", async () => {
    running = await serve();
    const gh = new AppFake();
    const sha = await pushPortfolio(gh);
    const run = gh.completion();
    const score = Number(/Skills score (\d+)\/100/.exec(run.output.title)![1]);

    // The check run leads to the page; its summary and the report issue offer the page and the badge.
    expect(run.details_url).toBe(`${PUBLIC_URL}${PAGE}`);
    expect(run.output.summary.startsWith(`**[Report page](${PUBLIC_URL}${PAGE})**`)).toBe(true);
    expect(gh.issues[0]!.body).toContain(`[![skillproof](${PUBLIC_URL}${BADGE})](${PUBLIC_URL}${PAGE})`);

    // Kept before the check run was published: the badge showed this score by the time the check run did.
    const kept = await running.app.reports!.summary("codertocat", "hello-world");
    expect(kept).toMatchObject({ owner: "Codertocat", repo: "Hello-World", commit: sha, score });
    expect(Date.parse(kept!.auditedAt)).toBeLessThanOrEqual(Date.parse(run.completed_at));

    const badge = await get(BADGE);
    expect(badge.status).toBe(200);
    expect(badge.type).toBe("image/svg+xml; charset=utf-8");
    expect(badge.body).toContain(`${score}/100`);
    expect(badge.headers.get("cache-control")).toBe("public, max-age=300");

    const json = await get("/badge/Codertocat/Hello-World.json");
    expect(JSON.parse(json.body)).toMatchObject({ schemaVersion: 1, label: "skillproof", message: `${score}/100` });

    const page = await get(PAGE);
    expect(page.status).toBe(200);
    expect(page.type).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(page.headers.get("content-security-policy")).not.toContain("script-src");
    expect(page.body).toContain(`${score}`);
    expect(page.body).toContain(`https://github.com/Codertocat/Hello-World/blob/${sha}/`);
    expect(page.body).toContain(`https://github.com/Codertocat/Hello-World/commit/${sha}`);
    expect(page.body).not.toMatch(/<script/i);
    // The snippet to copy names the public address; the page's own image loads from the page's origin (its CSP allows only 'self').
    expect(page.body).toContain(`[![skillproof](${PUBLIC_URL}${BADGE})](${PUBLIC_URL}${PAGE})`);
    expect(page.body).toContain(`<img src="${BADGE}"`);
    expect(page.body).not.toContain(`<img src="${PUBLIC_URL}`);

    const history = await get(`${PAGE}/history.svg`);
    expect(history.status).toBe(200);
    expect(history.type).toBe("image/svg+xml; charset=utf-8");
    const portfolio = await get("/u/Codertocat");
    expect(portfolio.status).toBe(200);
    expect(portfolio.body).toContain("Hello-World");

    // Names are GitHub's, any case; the CSS the pages use is served beside them.
    expect((await get("/badge/codertocat/HELLO-WORLD.svg")).body).toBe(badge.body);
    const css = await get("/assets/skillproof.css");
    expect(css.status).toBe(200);
    expect(css.type).toBe("text/css; charset=utf-8");
  });

  it("answers a reader's cache with 304 while what it holds is current, and 200 once an audit changed it", async () => {
    running = await serve();
    const gh = new AppFake();
    await pushPortfolio(gh);
    const first = await get(BADGE);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect((await get(BADGE, { "if-none-match": etag })).status).toBe(304);
    const page = await get(PAGE);
    expect((await get(PAGE, { "if-none-match": page.headers.get("etag")! })).status).toBe(304);

    // A new commit with the same score: the page changed (its commit), the badge did not.
    await pushPortfolio(gh, { ...PORTFOLIO, "NOTES.md": "a second commit\n" });
    expect(await running.app.reports!.history("Codertocat", "Hello-World")).toHaveLength(2);
    expect((await get(PAGE, { "if-none-match": page.headers.get("etag")! })).status).toBe(200);
    expect((await get(BADGE, { "if-none-match": etag })).status).toBe(304);

    // A commit that changes the score: a new badge.
    const { Dockerfile: _dockerfile, ...withoutDockerfile } = PORTFOLIO;
    await pushPortfolio(gh, withoutDockerfile);
    const changed = await get(BADGE, { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.body).not.toBe(first.body);
  });

  it("answers HEAD like GET without a body, and other methods with 405", async () => {
    running = await serve();
    await pushPortfolio(new AppFake());
    const head = await fetch(`${running.url}${BADGE}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const post = await fetch(`${running.url}${PAGE}`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("who may see a page", () => {
  it("never keeps a private repository's audit: its URLs answer exactly as an unknown repository's", async () => {
    running = await serve();
    const gh = new AppFake();
    await pushPortfolio(gh, PORTFOLIO, (p) => {
      p.repository.private = true;
      p.repository.visibility = "private";
    });
    expect(gh.checkRuns).toHaveLength(1);
    // No link to a page nobody may see.
    expect(gh.completion().details_url).toBeUndefined();
    expect(gh.issues[0]!.body).not.toContain(PUBLIC_URL);
    const unknown = await get("/r/Codertocat/No-Such-Repo");
    expect(unknown.status).toBe(404);
    for (const path of PATHS) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body).toBe(unknown.body);
    }
    if (!redis) expect(readdirSync(running.dataDir, { recursive: true }).filter((f) => String(f).endsWith(".json"))).toEqual([]);
  });

  it("keeps an internal repository (an enterprise's, private to it) off the pages too", async () => {
    running = await serve();
    await pushPortfolio(new AppFake(), PORTFOLIO, (p) => {
      p.repository.private = true;
      p.repository.visibility = "internal";
    });
    expect((await get(BADGE)).status).toBe(404);
  });

  it("takes a repository made private off at once, and an audit that was already running does not bring it back", async () => {
    running = await serve();
    const gh = new AppFake();
    await pushPortfolio(gh);
    expect((await get(PAGE)).status).toBe(200);
    await deliver("repository", repositoryEvent("privatized"));
    for (const path of PATHS) expect((await get(path)).status, path).toBe(404);

    // A push from before the change (its payload still says public) finishes after it.
    await pushPortfolio(gh, { ...PORTFOLIO, "NOTES.md": "late\n" });
    for (const path of PATHS) expect((await get(path)).status, path).toBe(404);
  });

  it("brings a repository made public again back with a fresh audit of its default branch", async () => {
    running = await serve();
    const gh = new AppFake();
    await pushPortfolio(gh);
    await deliver("repository", repositoryEvent("privatized"));
    expect((await get(PAGE)).status).toBe(404);

    const head = gh.commit({ ...PORTFOLIO, "NOTES.md": "public again\n" });
    nock(API).get("/repos/Codertocat/Hello-World").reply(200, { id: 1, name: "Hello-World", full_name: "Codertocat/Hello-World", private: false, visibility: "public", fork: false, archived: false, default_branch: "master", size: 120 });
    nock(API).get("/repos/Codertocat/Hello-World/branches/master").reply(200, { name: "master", commit: { sha: head.commitSha, commit: { committer: { date: "2024-06-01T00:00:00Z" } } } });
    await deliver("repository", repositoryEvent("publicized", (p) => {
      p.repository.private = false;
      p.repository.visibility = "public";
    }));
    const page = await get(PAGE);
    expect(page.status).toBe(200);
    expect(page.body).toContain(head.commitSha);
    expect((await get(BADGE)).status).toBe(200);
  });

  it("removes a deleted, renamed-away, transferred-away or uninstalled repository's page", async () => {
    running = await serve();
    const gh = new AppFake();
    const events: Array<[string, Record<string, any>]> = [
      ["repository", repositoryEvent("deleted")],
      ["repository", repositoryEvent("renamed", (p) => {
        p.repository.name = "Hello-World-2";
        p.changes = { repository: { name: { from: "Hello-World" } } };
      })],
      ["repository", repositoryEvent("transferred", (p) => {
        p.repository.owner.login = "someone-else";
        p.changes = { owner: { from: { user: { login: "Codertocat" } } } };
      })],
      ["installation_repositories", (() => {
        const p = example("installation_repositories", "removed");
        p.repositories_removed = [{ id: 1, node_id: "x", name: "Hello-World", full_name: "Codertocat/Hello-World", private: false }];
        return p;
      })()],
      ["installation", (() => {
        const p = example("installation", "deleted");
        p.installation.account.login = "Codertocat";
        p.repositories = [];
        return p;
      })()],
    ];
    for (const [name, payload] of events) {
      await pushPortfolio(gh, { ...PORTFOLIO, "NOTES.md": `${name} ${payload.action}\n` });
      expect((await get(PAGE)).status, `${name}.${payload.action}: before`).toBe(200);
      await deliver(name, payload);
      for (const path of PATHS) expect((await get(path)).status, `${name}.${payload.action}: ${path}`).toBe(404);
    }
  });
});

describe("hostile input", () => {
  it("shows a hostile file name on the page as text, never as markup", async () => {
    running = await serve();
    const hostile = `docs/"><img src=x onerror=alert(1)><script>alert(2)</script>.md`;
    await pushPortfolio(new AppFake(), { ...PORTFOLIO, [hostile]: "# Architecture\n\n```mermaid\ngraph TD; a-->b\n```\n" });
    const page = await get(PAGE);
    expect(page.status).toBe(200);
    expect(page.body).not.toMatch(/<script/i);
    expect(page.body).not.toMatch(/<img src=x/i);
    // The name is the evidence of the architecture-diagram rule: it is on the page, escaped.
    expect(page.body).toContain("&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;.md");
  });

  it("answers malformed, traversing or oversized paths with the same 404, and leaves other paths to the app", async () => {
    running = await serve();
    const notFound = (await get("/r/Codertocat/No-Such-Repo")).body;
    for (const path of ["/r/..%2F..%2Fetc/passwd", "/r/..%2F..%2F/x", "/badge/a/b.exe", `/r/${"a".repeat(400)}/b`, "/r/%E0%A4%A/x", "/u/bad_name!", "/r/a/b/c/d", "/badge/-x/y.svg"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).toBe(notFound);
    }
    expect((await get("/ping")).status).toBe(200);
  });

  it("limits each client's request rate with 429 and Retry-After", async () => {
    running = await serve({ ratePerSecond: 1, burst: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await get("/r/Codertocat/Hello-World")).status);
    expect(statuses.slice(0, 3)).toEqual([404, 404, 404]);
    const limited = await get(BADGE);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});
