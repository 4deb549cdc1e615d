import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startGitHubStandIn } from "../fixtures/recruit/server.js";
import { USERS } from "../fixtures/recruit/users.js";
import { FakeGitHubWorld } from "../fixtures/recruit/world.js";
import { inspectMarkdown } from "../helpers/githubMarkdown.js";

// Role fit for GitHub targets, as a recruiter runs it: the built bin against the loopback stand-in for GitHub.
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = join(root, "bin/skillproof.js");
const validateReport = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(join(root, "schemas/report.schema.json"), "utf8")));

vi.setConfig({ testTimeout: 120_000 });

let world: FakeGitHubWorld;
let standIn: { url: string; close(): Promise<void> };

beforeAll(async () => {
  world = new FakeGitHubWorld(USERS);
  standIn = await startGitHubStandIn(world);
});
afterAll(() => standIn.close());

/** Spawns asynchronously: the stand-in answers from this process. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base: Record<string, string | undefined> = { ...process.env, NO_COLOR: "", GITHUB_TOKEN: undefined, GH_TOKEN: undefined, GITHUB_API_URL: standIn.url };
  const env = Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, cwd: root });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

interface StackItem {
  name: string;
  present: boolean;
  evidence: { path: string; repo?: string } | null;
}

describe("role fit for GitHub targets", () => {
  it("audit owner/repo --role: the role section under the attribution line's report", async () => {
    const r = await cli(["audit", "alice/go-worker", "--role", "backend-go"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("@alice authored 100% of 40 commits");
    expect(r.stdout).toMatch(/Role fit: .+ \[backend-go\] · \d+\/100/);
    expect(r.stdout).toMatch(/Required stack \(1\/1\)\n\s+✓ Go\s+\S+\.go\b/);
  });

  it("audit @user --role: each stack item names the repository that proves it (JSON, Markdown)", async () => {
    const json = await cli(["audit", "@alice", "--role", "backend-go", "--format", "json"]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    const found = (report.role.stack as StackItem[]).filter((s) => s.present);
    expect(found.length).toBeGreaterThan(0);
    for (const s of found) expect(s.evidence?.repo).toMatch(/^alice\//);
    expect(found.find((s) => s.evidence?.repo === "alice/go-worker")).toBeDefined();

    const md = await cli(["audit", "@alice", "--role", "backend-go", "--format", "markdown"]);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain("| Stack | Needed | Found | Proof | Repository |");
    expect(md.stdout).toMatch(/\| Go \| required \| ✅ \| \[`[^`]+`\]\(https:\/\/github\.com\/alice\/go-worker\/blob\/[0-9a-f]{40}\/[^)]+\) \| alice\/go-worker \|/);
    // The section ends before the footer.
    expect(md.stdout.indexOf("### Role fit")).toBeLessThan(md.stdout.lastIndexOf("\n---\n"));
    const section = md.stdout.slice(md.stdout.indexOf("### Role fit"), md.stdout.indexOf("**Gaps"));
    expect(inspectMarkdown(section).problems).toEqual([]);
  });

  it("compare: a repository, a portfolio with its fork flagged, and a user with nothing to audit as a row", async () => {
    const r = await cli(["compare", "@nobody", "alice/go-worker", "@alice", "--role", "backend-go", "--format", "json"]);
    expect(r.code).toBe(0);
    const { role, candidates } = JSON.parse(r.stdout);
    expect(role).toMatchObject({ id: "backend-go" });
    expect(candidates.map((c: { target: string }) => c.target).slice(2)).toEqual(["@nobody"]);
    expect(candidates[2].error).toMatch(/@nobody has no public repositories/);
    const fits = candidates.slice(0, 2).map((c: { fit: number }) => c.fit);
    expect(fits[0]).toBeGreaterThanOrEqual(fits[1]);
    const alice = candidates.find((c: { target: string }) => c.target === "@alice");
    expect(alice.flags).toEqual(expect.arrayContaining(["alice/infra-fork: fork of bigco/webframework", "alice/infra-fork: little own work (2%)"]));
  });
});
