// The built app (dist/app/server.js, what `npm start` runs) as a child
// process, and signed webhooks sent to it over HTTP, as GitHub sends them.
// Shared by the spawned-process tests and `npm run bench:app`.
import { spawn } from "node:child_process";
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const WEBHOOK_SECRET = "standin-secret";

let privateKey;
/** A throwaway RSA key for the app's JWTs (the stand-in does not check them). */
export function appPrivateKey() {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return privateKey;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node dist/app/server.js` against the stand-in at `githubHost` and
 * resolves once /ping answers. `env` adds or overrides variables (REDIS_URL,
 * SKILLPROOF_*). The returned handle keeps the output for diagnosis.
 */
export async function startAppProcess({ githubHost, env = {}, port, logLevel = "warn", nodeArgs = [], startTimeoutMs = 60_000 }) {
  port ??= await freePort();
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, "dist/app/server.js")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      LOG_FORMAT: "json",
      LOG_LEVEL: logLevel,
      APP_ID: "1",
      PRIVATE_KEY: appPrivateKey(),
      WEBHOOK_SECRET,
      GHE_HOST: githubHost,
      GHE_PROTOCOL: "http",
      HOST: "127.0.0.1",
      PORT: String(port),
      // The report pages' audits: the caller's folder (each test file has one), else a fresh one, never the project's ./data.
      SKILLPROOF_DATA_DIR: process.env.SKILLPROOF_DATA_DIR || mkdtempSync(join(tmpdir(), "skillproof-app-data-")),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (d) => {
    output += d.toString();
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const handle = {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    exited,
    get output() {
      return output;
    },
    kill: (signal = "SIGKILL") => {
      child.kill(signal);
      return exited;
    },
  };
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited at start:\n${output}`);
    try {
      const res = await fetch(`${handle.url}/ping`);
      if (res.ok) return handle;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the app did not answer /ping within ${startTimeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * POSTs a webhook signed with the app's secret; resolves with the status and
 * how long the answer took. With `timeoutMs`, as GitHub gives up on a
 * delivery (after 10 s): an answer not complete by then resolves with status
 * 0 instead of waiting on.
 */
export async function sendWebhook(appUrl, name, payload, id = randomUUID(), { timeoutMs } = {}) {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
  const started = performance.now();
  try {
    const res = await fetch(`${appUrl}/api/github/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": name, "x-github-delivery": id, "x-hub-signature-256": signature, "user-agent": "GitHub-Hookshot/standin" },
      body,
      ...(timeoutMs !== undefined ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
    });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started, id };
  } catch (err) {
    if (timeoutMs === undefined || (err?.name !== "TimeoutError" && err?.name !== "AbortError")) throw err;
    return { status: 0, ms: performance.now() - started, id };
  }
}

/** A push to the default branch of a stand-in repository, shaped like GitHub's. */
export function pushPayload(repo, sha = repo.head) {
  const date = repo.commits.get(sha)?.date ?? "2024-05-01T10:00:00Z";
  return {
    ref: `refs/heads/${repo.defaultBranch}`,
    before: "0000000000000000000000000000000000000001",
    after: sha,
    created: false,
    deleted: false,
    forced: false,
    commits: [],
    head_commit: { id: sha, timestamp: date, message: "change" },
    repository: {
      id: 1,
      name: repo.repo,
      full_name: repo.fullName,
      owner: { login: repo.owner, name: repo.owner },
      private: repo.private ?? false,
      visibility: repo.private ? "private" : "public",
      archived: false,
      default_branch: repo.defaultBranch,
      size: repo.commits.get(sha)?.size ?? 1,
    },
    pusher: { name: "monalisa" },
    sender: { login: "monalisa", id: 1, type: "User" },
    installation: { id: repo.installationId },
  };
}
