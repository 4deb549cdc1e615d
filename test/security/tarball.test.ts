import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn } from "../fixtures/recruit/server.js";
import { FakeGitHubWorld, type Reply } from "../fixtures/recruit/world.js";

// Finding 11: the tarball-only path (the CLI without a token, the app on small repositories) kept entries named
// `../…` or `/…` in its file list; one became a counted test file. Here the CLI, spawned as a user runs it, audits a
// repository whose archive (served by the loopback stand-in for GitHub) carries such names.
const bin = join(dirname(fileURLToPath(import.meta.url)), "../../bin/skillproof.js");

const FILES: Record<string, string> = {
  "app.py": "def total(xs):\n    return sum(xs)\n",
  "tests/test_app.py": "import app\n\n\ndef test_total():\n    assert app.total([1, 2]) == 3\n",
};
const HOSTILE = ["../evil_test.py", "/abs/test_x.py", "a/../../b_test.go", "TOP/../escape_test.py", "TOP/./dot_test.py", "TOP/..\\win_test.py"];

/** The archive GitHub would never make: the repository's files under its top folder, then the hostile names. */
async function craftedTarball(top: string): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name: `${top}/`, type: "directory" });
  for (const [path, text] of Object.entries(FILES)) pack.entry({ name: `${top}/${path}`, size: Buffer.byteLength(text) }, text);
  for (const name of HOSTILE) {
    const text = FILES["tests/test_app.py"]!;
    pack.entry({ name: name.replace(/^TOP/, top), size: Buffer.byteLength(text) }, text);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

/** The recruiter stand-in, whose tarball answer for mallory/crafted is the crafted archive. */
class CraftedWorld extends FakeGitHubWorld {
  body?: Buffer;
  override handle(method: string, url: string, body: string, authorized: boolean): Reply {
    const reply = super.handle(method, url, body, authorized);
    if (/\/repos\/mallory\/crafted\/tarball\//.test(url) && reply.status === 200 && this.body) return { ...reply, body: this.body };
    return reply;
  }
}

let world: CraftedWorld;
let standIn: { url: string; close(): Promise<void> };
beforeAll(async () => {
  world = new CraftedWorld([{ login: "mallory", repos: [{ name: "crafted", files: FILES, pushedAt: "2026-10-01T00:00:00Z" }] }]);
  world.body = await craftedTarball(`mallory-crafted-${world.commitSha("mallory", "crafted").slice(0, 7)}`);
  standIn = await startGitHubStandIn(world);
});
afterAll(() => standIn.close());

/** Spawns asynchronously: the stand-in answers from this process. No token, so the CLI reads the tarball alone. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries({ ...process.env, NO_COLOR: "1", GITHUB_API_URL: standIn.url }).filter(([k]) => k !== "GITHUB_TOKEN" && k !== "GH_TOKEN"));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("a crafted repository archive", () => {
  it("its `..`, `.` and absolute entries are neither listed, nor read, nor counted as test files", async () => {
    world.seen.length = 0;
    const r = await cli(["audit", "mallory/crafted", "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(world.count("tarball")).toBe(1);
    expect(world.count("tree")).toBe(0);
    const report = JSON.parse(r.stdout) as { files: { listed: number }; rules: Array<{ id: string; status: string; facts?: { testFiles?: number } }> };
    expect(report.files.listed).toBe(2);
    const tests = report.rules.find((x) => x.id === "testing/test-files");
    expect(tests?.status).toBe("pass");
    expect(tests?.facts?.testFiles).toBe(1);
    for (const name of ["evil_test", "test_x", "b_test", "escape_test", "dot_test", "win_test"]) expect(r.stdout).not.toContain(name);
  });
});
