import { existsSync, readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushPayload, sendWebhook, startAppProcess } from "../../scripts/app-process.js";
import { StandInRepo, startGitHubStandIn } from "../../scripts/github-standin.js";
import { PORTFOLIO } from "../fixtures/github/portfolio.js";

/**
 * Finding 6, the webhook door: an anonymous sender POSTs big unsigned bodies
 * to the built app (`node dist/app/server.js`). GitHub never sends more than
 * 25 MB; bodies over that are refused from Content-Length or while streaming,
 * and a flood of bodies under it leaves the app's memory flat, every one
 * refused, while a signed push still gets its audit.
 */

type AppProcess = Awaited<ReturnType<typeof startAppProcess>>;
type StandIn = Awaited<ReturnType<typeof startGitHubStandIn>>;

const MB = 1024 * 1024;
const repo = new StandInRepo({ owner: "alice", repo: "api", installationId: 42, files: PORTFOLIO });
let gh: StandIn;
let app: AppProcess;

beforeAll(async () => {
  if (!existsSync(new URL("../../dist/app/server.js", import.meta.url))) throw new Error("dist/app/server.js is missing: run `npm run build` first");
  gh = await startGitHubStandIn({ repos: [repo] });
  app = await startAppProcess({ githubHost: gh.host, env: { SKILLPROOF_THREADS: "1" } });
}, 90_000);
afterAll(async () => {
  await app?.kill("SIGKILL");
  await gh?.close();
});

/** The child's resident memory now and its peak so far, in bytes (/proc/<pid>/status). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)![1]) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

interface RawAnswer {
  /** The HTTP status the app answered with, if it answered. */
  status: number | undefined;
  /** Body bytes this side managed to hand to the socket before it closed. */
  written: number;
  /** Whether the app closed the connection. */
  closed: boolean;
}

/**
 * A webhook POST over a raw socket, as an attacker would send it: `declared`
 * goes in Content-Length (or the body is chunked when it is undefined), and
 * up to `send` bytes of body follow, written as fast as the socket takes them.
 * Resolves when the app has answered and closed, or `giveUpMs` passes (the
 * app kept reading and said nothing: the answer is then undefined).
 */
function rawPost(port: number, opts: { declared?: number; send: number; chunk?: Buffer; giveUpMs?: number }): Promise<RawAnswer> {
  const chunk = opts.chunk ?? Buffer.alloc(MB, 0x20);
  const chunked = opts.declared === undefined;
  return new Promise((resolve) => {
    const socket: Socket = connect(port, "127.0.0.1");
    let answer = "";
    let written = 0;
    let closed = false;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      resolve({ status: m ? Number(m[1]) : undefined, written, closed });
    };
    const timer = setTimeout(settle, opts.giveUpMs ?? 20_000);
    socket.on("data", (d) => (answer += d.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => {
      closed = true;
      settle();
    });
    socket.on("connect", async () => {
      const length = chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${opts.declared}`;
      socket.write(
        `POST /api/github/webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\n` +
          `X-GitHub-Delivery: flood-${Math.random()}\r\nX-Hub-Signature-256: sha256=${"0".repeat(64)}\r\n${length}\r\n\r\n`,
      );
      while (written < opts.send && !closed && !settled) {
        const part = chunk.subarray(0, Math.min(chunk.length, opts.send - written));
        const ok = socket.write(chunked ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from("\r\n")]) : part);
        written += part.length;
        if (!ok) await new Promise<void>((r) => (socket.once("drain", r), socket.once("close", r)));
      }
      if (chunked && !closed && !settled) socket.write("0\r\n\r\n");
    });
  });
}

describe("the webhook door (finding 6)", () => {
  it("refuses a body declared over 25 MB with 413 before reading any of it", async () => {
    // Not one byte of the 30 MB is sent: an app that waits to read it never answers.
    const answer = await rawPost(app.port, { declared: 30 * MB, send: 0, giveUpMs: 15_000 });
    expect(answer.status).toBe(413);
    expect(answer.closed).toBe(true);
  });

  it("cuts a chunked body at 25 MB: 413, and the connection is closed", async () => {
    const answer = await rawPost(app.port, { send: 30 * MB });
    expect(answer.status).toBe(413);
    expect(answer.closed).toBe(true);
  });

  it("40 concurrent 20 MB unsigned bodies: every one refused, memory flat, and a signed push still audited", async () => {
    const before = memoryOf(app.child.pid!);
    const chunk = Buffer.alloc(MB, 0x20);
    const answers = await Promise.all(Array.from({ length: 40 }, () => rawPost(app.port, { declared: 20 * MB, send: 20 * MB, chunk, giveUpMs: 60_000 })));
    const after = memoryOf(app.child.pid!);
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s !== undefined && s >= 400 && s < 500), `statuses: ${statuses.join(",")}`).toBe(true);
    // The peak resident memory (VmHWM) over the whole flood, against what the app held before it.
    expect(after.peak - before.rss, `before ${before.rss / MB} MB, peak ${after.peak / MB} MB`).toBeLessThan(200 * MB);

    const push = await sendWebhook(app.url, "push", pushPayload(repo));
    expect(push.status).toBe(200);
    const deadline = Date.now() + 30_000;
    while (!repo.checkRuns.some((c) => c.head_sha === repo.head && c.status === "completed")) {
      if (Date.now() > deadline) throw new Error(`no completed check run for the signed push\n${app.output.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 120_000);
});
