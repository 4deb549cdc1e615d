import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import { countingFetch, onGitHubResponse } from "../../src/app/github/requests.js";
import { createMetrics } from "../../src/app/metrics.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A loopback server; `handle` returns false for requests it leaves to the next handler (as Probot does). */
async function listen(handle: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => Promise<boolean> | boolean): Promise<string> {
  const server = createServer(async (req, res) => {
    if (!(await handle(req, res))) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
    }
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function sample(text: string, name: string, labels = ""): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(" ")[1]);
}

describe("createMetrics", () => {
  it("serves GET /metrics and sees audits, duration and queue depth move", async () => {
    let depth = 3;
    const metrics = createMetrics({ queueDepth: () => depth });
    const base = await listen(metrics.handler);

    const before = await (await fetch(`${base}/metrics`)).text();
    expect(sample(before, "skillproof_queue_depth")).toBe(3);
    expect(sample(before, "skillproof_audits_total", '{outcome="reported"}')).toBeUndefined();

    metrics.recordAudit("reported", 1.5);
    metrics.recordAudit("reported", 0.2);
    const done = metrics.startAudit();
    done("error");
    depth = 0;

    const res = await fetch(`${base}/metrics?x=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = await res.text();
    expect(sample(after, "skillproof_audits_total", '{outcome="reported"}')).toBe(2);
    expect(sample(after, "skillproof_audits_total", '{outcome="error"}')).toBe(1);
    expect(sample(after, "skillproof_audit_duration_seconds_count", '{outcome="reported"}')).toBe(2);
    expect(sample(after, "skillproof_audit_duration_seconds_sum", '{outcome="reported"}')).toBeCloseTo(1.7);
    expect(sample(after, "skillproof_audit_duration_seconds_bucket", '{le="1",outcome="reported"}')).toBe(1);
    expect(sample(after, "skillproof_queue_depth")).toBe(0);
    expect(after).toContain("process_cpu_user_seconds_total");
  });

  it("leaves other paths and methods to the next handler", async () => {
    const base = await listen(createMetrics({ processMetrics: false }).handler);
    expect((await fetch(`${base}/ping`)).status).toBe(404);
    expect((await fetch(`${base}/metrics/x`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(404);
    const head = await fetch(`${base}/metrics`, { method: "HEAD" });
    expect(head.status).toBe(200);
  });

  it("counts every GitHub answer by status through the counting fetch, a refused connection as \"error\"", async () => {
    const github = await listen((req, res) => {
      const status = req.url === "/repos/o/r" ? 200 : req.url === "/repos/o/gone" ? 404 : req.method === "POST" ? 201 : 502;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(status === 200 ? { full_name: "o/r" } : status === 201 ? {} : { message: "nope" }));
      return true;
    });
    const metrics = createMetrics({ processMetrics: false });
    const stop = onGitHubResponse((status) => metrics.recordRequests(status));
    try {
      const log = { debug() {}, info() {}, warn() {}, error() {} };
      const octokit = new Octokit({ baseUrl: github, log, request: { fetch: countingFetch() } });

      const ok = await octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" });
      expect(ok.data).toEqual({ full_name: "o/r" });
      await octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" });
      await octokit.request("POST /repos/o/r/issues", { title: "a" });
      await expect(octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "gone" })).rejects.toMatchObject({ status: 404 });
      await expect(octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "flaky" })).rejects.toMatchObject({ status: 502 });

      const unreachable = new Octokit({ baseUrl: "http://127.0.0.1:1", log, request: { fetch: countingFetch() } });
      await expect(unreachable.request("GET /")).rejects.toThrow();
    } finally {
      stop();
    }

    const text = await metrics.registry.metrics();
    expect(sample(text, "skillproof_github_requests_total", '{status="200"}')).toBe(2);
    expect(sample(text, "skillproof_github_requests_total", '{status="201"}')).toBe(1);
    expect(sample(text, "skillproof_github_requests_total", '{status="404"}')).toBe(1);
    expect(sample(text, "skillproof_github_requests_total", '{status="502"}')).toBe(1);
    // A refused connection has no answer (Octokit calls it a 500): counted as "error", not as a 500.
    expect(sample(text, "skillproof_github_requests_total", '{status="error"}')).toBe(1);
    expect(sample(text, "skillproof_github_requests_total", '{status="500"}')).toBeUndefined();
  });

  it("wraps a fetch once, however often a client's options are reused", () => {
    const counted = countingFetch();
    expect(countingFetch(counted)).toBe(counted);
  });

  it("keeps registries apart", async () => {
    const a = createMetrics({ processMetrics: false });
    const b = createMetrics({ processMetrics: false });
    a.recordAudit("reported", 1);
    expect(sample(await b.registry.metrics(), "skillproof_audits_total", '{outcome="reported"}')).toBeUndefined();
  });
});
