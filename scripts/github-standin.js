// A stand-in for GitHub on loopback, for the app run as a process (tests that
// spawn it, and `npm run bench:app`): REST under /api/v3 and GraphQL at
// /api/graphql, as GitHub Enterprise Server serves them, so the app reaches it
// with GHE_HOST=127.0.0.1:<port> GHE_PROTOCOL=http. It serves what an audit
// needs (installation tokens, repositories, trees, blobs over GraphQL,
// tarballs, check runs, issues, labels) and what a comment command needs
// (collaborator permissions, reactions, issue comments, GraphQL repository
// metadata, contributors), and files through the contents API (the app's
// config reads: a repository's head, or files that exist only there), keeps
// what the app wrote, answers
// every call after a configurable latency, and logs every request with its
// installation (tokens name it) and time.
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import tar from "tar-stream";

const GRAPHQL_TEXT_LIMIT = 512 * 1024;
/** The contents API's JSON form carries a file's content up to 1 MB only. */
const CONTENTS_INLINE_LIMIT = 1024 * 1024;

const sha1 = (text) => createHash("sha1").update(text).digest("hex");
const gitBlobSha = (bytes) => sha1(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]));

/** What GitHub counts against the per-actor write guidance: mutative REST and every GraphQL query (the throttling plugin's "write" lane). */
export function isLaneRequest(method, path) {
  if (path === "/api/graphql") return true;
  if (/^\/api\/v3\/app\/installations\/\d+\/access_tokens$/.test(path)) return false;
  return method !== "GET" && method !== "HEAD";
}

/** A short name for a request, for counting by kind: "POST check-runs", "GET tree", ... */
export function requestKind(method, path) {
  if (path === "/api/graphql") return "POST graphql";
  const p = path.replace(/^\/api\/v3/, "");
  if (/^\/app\/installations\/\d+\/access_tokens$/.test(p)) return "POST token";
  const m = /^\/repos\/[^/]+\/[^/]+(?:\/(.*))?$/.exec(p);
  if (!m) return `${method} ${p}`;
  const rest = m[1] ?? "";
  const kind = rest === "" ? "repo" : rest.split("/")[0] === "git" ? `git/${rest.split("/")[1]}` : rest.replace(/\/[^/]*\d[^/]*/g, "/:id").replace(/\/(contents|branches|tarball|labels)\/.*$/, "/$1");
  return `${method} ${kind}`;
}

/**
 * A repository at one commit: files (path → text), its commit sha (random
 * unless given), the installation it belongs to. For comment commands:
 * `collaborators` (login → "admin" | "write" | "read" | "none"; anyone else
 * is unknown, 404) and `contributors` (login → commits on the default branch;
 * default: the owner's 10). `private`: the repository's visibility, as REST
 * (`private`, `visibility`) and GraphQL (`isPrivate`) report it.
 * `configFiles` (path → text, or `{ size }` for a file too large to hold
 * here): files served by the contents API only, besides the head's files.
 */
export class StandInRepo {
  constructor({ owner, repo, installationId, files, sha, date = "2024-05-01T10:00:00Z", defaultBranch = "main", collaborators = {}, contributors, private: isPrivate = false, configFiles = {} }) {
    this.owner = owner;
    this.repo = repo;
    this.installationId = installationId;
    this.defaultBranch = defaultBranch;
    this.private = isPrivate;
    this.configFiles = new Map(Object.entries(configFiles));
    this.commits = new Map();
    this.head = this.addCommit(files, { sha, date });
    this.checkRuns = [];
    this.issues = [];
    this.labels = new Set();
    this.collaborators = new Map(Object.entries(collaborators).map(([login, permission]) => [login.toLowerCase(), permission]));
    this.contributors = contributors ?? { [owner]: 10 };
    /** Comments the app wrote in this repository's issues and pull requests: { issue, body }. */
    this.comments = [];
    /** Reactions the app put on comments: { comment, content }. */
    this.reactions = [];
  }

  get fullName() {
    return `${this.owner}/${this.repo}`;
  }

  /** Adds a commit with these files and returns its sha (it becomes the head). */
  addCommit(files, { sha, date = "2024-05-01T10:00:00Z" } = {}) {
    const commitSha = sha ?? sha1(`${this.owner}/${this.repo}/${Math.random()}/${Date.now()}`);
    const blobs = new Map();
    for (const [path, text] of Object.entries(files)) {
      const bytes = Buffer.from(text, "utf8");
      blobs.set(path, { bytes, sha: gitBlobSha(bytes) });
    }
    const size = Math.ceil([...blobs.values()].reduce((n, b) => n + b.bytes.length, 0) / 1024);
    this.commits.set(commitSha, { blobs, date, size });
    this.head = commitSha;
    return commitSha;
  }

  /**
   * A file of the contents API (the default branch's head): `{ size, bytes }`,
   * `bytes` absent for a `{ size }` config file; undefined when there is none.
   */
  contentsFile(path) {
    const config = this.configFiles.get(path);
    if (typeof config === "string") return { size: Buffer.byteLength(config), bytes: Buffer.from(config, "utf8") };
    if (config !== undefined) return { size: config.size };
    const blob = this.commits.get(this.head).blobs.get(path);
    return blob ? { size: blob.bytes.length, bytes: blob.bytes } : undefined;
  }

  tree(sha) {
    const c = this.commits.get(sha);
    if (!c) return undefined;
    const folders = new Set();
    const entries = [];
    for (const [path, blob] of [...c.blobs].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const parts = path.split("/");
      for (let i = 1; i < parts.length; i++) {
        const folder = parts.slice(0, i).join("/");
        if (!folders.has(folder)) {
          folders.add(folder);
          entries.push({ path: folder, mode: "040000", type: "tree", sha: sha1(`${sha}:${folder}`) });
        }
      }
      entries.push({ path, mode: "100644", type: "blob", sha: blob.sha, size: blob.bytes.length });
    }
    return { sha: sha1(`tree:${sha}`), tree: entries, truncated: false };
  }

  tarball(sha) {
    const c = this.commits.get(sha);
    if (!c) return Promise.resolve(undefined);
    const pack = tar.pack();
    const top = `${this.owner}-${this.repo}-${sha.slice(0, 7)}`;
    pack.entry({ name: `${top}/`, type: "directory" });
    for (const [path, blob] of c.blobs) pack.entry({ name: `${top}/${path}`, size: blob.bytes.length }, blob.bytes);
    pack.finalize();
    const chunks = [];
    return new Promise((resolve, reject) => {
      pack.on("data", (d) => chunks.push(d));
      pack.on("end", () => resolve(gzipSync(Buffer.concat(chunks))));
      pack.on("error", reject);
    });
  }
}

/**
 * Starts the stand-in. `repos`: StandInRepo list. `latencyMs`: added before
 * every answer; a function `(method, path) => ms` sets it per request (one
 * slow repository). `fail(method, path, attempt)`: return a status to answer a
 * request with that error instead (tests of retries).
 */
export async function startGitHubStandIn({ repos = [], latencyMs = 0, fail } = {}) {
  const byName = new Map(repos.map((r) => [r.fullName.toLowerCase(), r]));
  const log = [];
  const unhandled = [];
  let nextCheckRun = 1000;
  const attempts = new Map();

  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://standin");
      const path = url.pathname;
      const auth = req.headers.authorization ?? "";
      const tokenInstallation = /^token ghs_(\d+)$/.exec(auth)?.[1];
      const installationId = tokenInstallation ? Number(tokenInstallation) : (/\/app\/installations\/(\d+)\//.exec(path)?.[1] ? Number(/\/app\/installations\/(\d+)\//.exec(path)[1]) : undefined);
      const entry = { method: req.method, path, kind: requestKind(req.method, path), lane: isLaneRequest(req.method, path), installationId, at: Date.now(), accept: req.headers.accept ?? "" };
      log.push(entry);
      const body = chunks.length ? safeJson(Buffer.concat(chunks).toString("utf8")) : undefined;
      // A GraphQL request names its repositories in its variables: kept, so a test can tell which repository it read.
      if (path === "/api/graphql") entry.variables = body?.variables ?? {};
      setTimeout(async () => {
        try {
          const key = `${req.method} ${path}`;
          const attempt = (attempts.get(key) ?? 0) + 1;
          attempts.set(key, attempt);
          const injected = fail?.(req.method, path, attempt);
          if (injected) return send(res, injected, { message: "Injected failure" });
          await route(req.method, path, url.searchParams, body, res, installationId, entry.accept);
        } catch (err) {
          send(res, 500, { message: String(err?.stack ?? err) });
        }
      }, typeof latencyMs === "function" ? latencyMs(req.method, path) : latencyMs);
    });
  });

  function send(res, status, json, headers = {}) {
    const text = json === undefined ? "" : JSON.stringify(json);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-ratelimit-remaining": "4999", "x-ratelimit-limit": "5000", ...headers });
    res.end(text);
  }

  async function route(method, path, query, body, res, installationId, accept) {
    if (method === "POST" && /^\/api\/v3\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      const id = Number(path.split("/")[5]);
      return send(res, 201, { token: `ghs_${id}`, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: { checks: "write", issues: "write", contents: "read", metadata: "read" }, repository_selection: "all" });
    }
    if (method === "POST" && path === "/api/graphql") return send(res, 200, graphql(body, installationId));
    const m = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)(?:\/(.*))?$/.exec(path);
    if (!m) return notFound(method, path, res);
    const [, owner, name, rest = ""] = m;
    const repo = byName.get(`${owner}/${name}`.toLowerCase());
    if (!repo || (installationId !== undefined && repo.installationId !== installationId)) return notFound(method, path, res, repo !== undefined);
    let r;
    if (method === "GET" && rest === "") {
      return send(res, 200, { id: 1, name: repo.repo, full_name: repo.fullName, owner: { login: repo.owner }, private: repo.private, visibility: repo.private ? "private" : "public", archived: false, default_branch: repo.defaultBranch, size: repo.commits.get(repo.head).size, html_url: `https://github.com/${repo.fullName}` });
    }
    if (method === "GET" && (r = /^branches\/(.+)$/.exec(rest))) {
      const c = repo.commits.get(repo.head);
      return send(res, 200, { name: r[1], commit: { sha: repo.head, commit: { committer: { date: c.date } } } });
    }
    if (method === "GET" && (r = /^git\/trees\/([0-9a-f]{40})$/.exec(rest))) {
      const tree = repo.tree(r[1]);
      return tree ? send(res, 200, tree) : send(res, 404, { message: "Not Found" });
    }
    if (method === "GET" && (r = /^git\/commits\/([0-9a-f]{40})$/.exec(rest))) {
      const c = repo.commits.get(r[1]);
      if (!c) return send(res, 404, { message: "Not Found" });
      const who = { name: "Monalisa", email: "m@example.com", date: c.date };
      return send(res, 200, { sha: r[1], author: who, committer: who, message: "commit", tree: { sha: sha1(`tree:${r[1]}`) }, parents: [] });
    }
    if (method === "GET" && (r = /^tarball\/(.+)$/.exec(rest))) {
      const sha = repo.commits.has(r[1]) ? r[1] : repo.head;
      const gz = await repo.tarball(sha);
      res.writeHead(200, { "content-type": "application/x-gzip", "content-length": gz.length });
      return res.end(gz);
    }
    if (method === "GET" && (r = /^contents\/(.+)$/.exec(rest))) return contents(repo, decodeURIComponent(r[1]), accept, res);
    if (method === "GET" && (r = /^collaborators\/([^/]+)\/permission$/.exec(rest))) {
      const login = decodeURIComponent(r[1]);
      const permission = repo.collaborators.get(login.toLowerCase());
      if (permission === undefined) return send(res, 404, { message: "Not Found" });
      return send(res, 200, { permission, role_name: permission, user: { login, id: 1, type: "User" } });
    }
    if (method === "POST" && (r = /^issues\/comments\/(\d+)\/reactions$/.exec(rest))) {
      repo.reactions.push({ comment: Number(r[1]), content: body?.content });
      return send(res, 201, { id: repo.reactions.length, content: body?.content, user: { login: "skillproof[bot]", type: "Bot" } });
    }
    if (method === "POST" && (r = /^issues\/(\d+)\/comments$/.exec(rest))) {
      const text = String(body?.body ?? "");
      // GitHub's own limit on a comment body.
      if (text.length > 65536) return send(res, 422, { message: "Validation Failed", errors: [{ resource: "IssueComment", code: "custom", field: "body", message: "body is too long (maximum is 65536 characters)" }] });
      repo.comments.push({ issue: Number(r[1]), body: text });
      return send(res, 201, { id: 9000 + repo.comments.length, body: text, user: { login: "skillproof[bot]", type: "Bot" } });
    }
    if (method === "GET" && rest === "contributors") {
      return send(res, 200, Object.entries(repo.contributors).map(([login, contributions]) => ({ login, type: "User", contributions })));
    }
    if (method === "POST" && rest === "check-runs") {
      const run = { id: nextCheckRun++, ...body, createdAt: Date.now(), updates: [] };
      repo.checkRuns.push(run);
      return send(res, 201, { id: run.id, head_sha: run.head_sha, name: run.name, status: run.status ?? "queued", external_id: run.external_id ?? null });
    }
    if (method === "PATCH" && (r = /^check-runs\/(\d+)$/.exec(rest))) {
      const run = repo.checkRuns.find((c) => c.id === Number(r[1]));
      if (!run) return send(res, 404, { message: "Not Found" });
      run.updates.push(body);
      Object.assign(run, body);
      return send(res, 200, { id: run.id, status: run.status });
    }
    if (method === "GET" && (r = /^commits\/([^/]+)\/check-runs$/.exec(rest))) {
      const runs = repo.checkRuns.filter((c) => c.head_sha === r[1] && (!query.get("check_name") || c.name === query.get("check_name")) && (!query.get("status") || (c.status ?? "queued") === query.get("status")));
      return send(res, 200, { total_count: runs.length, check_runs: runs.map((c) => ({ id: c.id, name: c.name, head_sha: c.head_sha, status: c.status, external_id: c.external_id ?? null, conclusion: c.conclusion ?? null })) });
    }
    if (method === "GET" && rest === "issues") {
      const label = query.get("labels");
      const state = query.get("state") ?? "open";
      const list = repo.issues.filter((i) => (!label || i.labels.includes(label)) && (state === "all" || i.state === state));
      return send(res, 200, list.map((i) => issueJson(repo, i)));
    }
    if (method === "POST" && rest === "issues") {
      const issue = { number: repo.issues.length + 1, title: body.title, body: body.body ?? "", state: "open", labels: body.labels ?? [] };
      repo.issues.push(issue);
      return send(res, 201, issueJson(repo, issue));
    }
    if (method === "PATCH" && (r = /^issues\/(\d+)$/.exec(rest))) {
      const issue = repo.issues.find((i) => i.number === Number(r[1]));
      if (!issue) return send(res, 404, { message: "Not Found" });
      Object.assign(issue, body);
      return send(res, 200, issueJson(repo, issue));
    }
    if (method === "GET" && (r = /^labels\/(.+)$/.exec(rest))) {
      const label = decodeURIComponent(r[1]);
      return repo.labels.has(label) ? send(res, 200, { id: 1, name: label, color: "5319e7" }) : send(res, 404, { message: "Not Found" });
    }
    if (method === "POST" && rest === "labels") {
      if (repo.labels.has(body.name)) return send(res, 422, { message: "Validation Failed", errors: [{ resource: "Label", code: "already_exists", field: "name" }] });
      repo.labels.add(body.name);
      return send(res, 201, { id: 1, name: body.name, color: body.color ?? "ededed" });
    }
    return notFound(method, path, res);
  }

  /**
   * GET /repos/{o}/{r}/contents/{path} of the default branch, as GitHub
   * answers: the raw bytes for `Accept: application/vnd.github.raw`, else the
   * JSON form, whose base64 content (60-character lines) GitHub leaves out
   * above 1 MB (`encoding: "none"`, empty content; the size is still there).
   * A `{ size }` file's raw form is that many bytes of a YAML comment.
   */
  function contents(repo, path, accept, res) {
    const file = repo.contentsFile(path);
    if (!file) return send(res, 404, { message: "Not Found" });
    if (/raw/.test(accept)) {
      const bytes = file.bytes ?? Buffer.alloc(file.size, "#");
      res.writeHead(200, { "content-type": "application/vnd.github.raw; charset=utf-8", "content-length": bytes.length, "x-ratelimit-remaining": "4999", "x-ratelimit-limit": "5000" });
      return res.end(bytes);
    }
    const inline = file.bytes !== undefined && file.size <= CONTENTS_INLINE_LIMIT;
    const content = inline ? (file.bytes.toString("base64").match(/.{1,60}/g) ?? []).map((line) => `${line}\n`).join("") : "";
    return send(res, 200, {
      type: "file",
      name: path.split("/").pop(),
      path,
      sha: file.bytes ? gitBlobSha(file.bytes) : sha1(`${repo.fullName}:${path}:${file.size}`),
      size: file.size,
      encoding: inline ? "base64" : "none",
      content,
      url: `https://api.github.com/repos/${repo.fullName}/contents/${path}`,
      html_url: `https://github.com/${repo.fullName}/blob/${repo.defaultBranch}/${path}`,
    });
  }

  function notFound(method, path, res, known = false) {
    if (!known && !/\/contents\//.test(path)) unhandled.push(`${method} ${path}`);
    send(res, 404, { message: "Not Found" });
  }

  function graphql(body, installationId) {
    const { query = "", variables = {} } = body ?? {};
    if ("o0" in variables) return repositoryMeta(variables, installationId);
    const repo = byName.get(`${variables.owner}/${variables.repo}`.toLowerCase());
    if (!repo) return { data: { repository: null }, errors: [{ type: "NOT_FOUND", path: ["repository"], message: "Could not resolve to a Repository" }] };
    const repository = {};
    for (const [, alias, variable] of query.matchAll(/(\w+): object\(expression: \$(\w+)\)/g)) {
      const expression = String(variables[variable] ?? "");
      const colon = expression.indexOf(":");
      const c = repo.commits.get(expression.slice(0, colon));
      const blob = c?.blobs.get(expression.slice(colon + 1));
      if (!blob) {
        repository[alias] = null;
        continue;
      }
      const isBinary = blob.bytes.subarray(0, 8000).includes(0);
      const isTruncated = !isBinary && blob.bytes.length > GRAPHQL_TEXT_LIMIT;
      repository[alias] = { oid: blob.sha, text: isBinary ? null : blob.bytes.subarray(0, GRAPHQL_TEXT_LIMIT).toString("utf8"), byteSize: blob.bytes.length, isBinary, isTruncated };
    }
    return { data: { repository } };
  }

  /**
   * The repository metadata query of src/recruit/github.ts (aliases r0, r1…
   * with $o0/$n0, optional $x0 for a ref), answered for repositories of the
   * calling installation; any other is NOT_FOUND, as GitHub answers.
   */
  function repositoryMeta(variables, installationId) {
    const data = {};
    const errors = [];
    for (let i = 0; `o${i}` in variables; i++) {
      const repo = byName.get(`${variables[`o${i}`]}/${variables[`n${i}`]}`.toLowerCase());
      if (!repo || (installationId !== undefined && repo.installationId !== installationId)) {
        data[`r${i}`] = null;
        errors.push({ type: "NOT_FOUND", path: [`r${i}`], locations: [], message: `Could not resolve to a Repository with the name '${variables[`o${i}`]}/${variables[`n${i}`]}'.` });
        continue;
      }
      const c = repo.commits.get(repo.head);
      const total = Object.values(repo.contributors).reduce((a, b) => a + b, 0);
      const ref = variables[`x${i}`];
      const refSha = ref === undefined ? undefined : ref === repo.defaultBranch ? repo.head : repo.commits.has(ref) ? ref : undefined;
      data[`r${i}`] = {
        name: repo.repo,
        owner: { login: repo.owner, __typename: "User" },
        isFork: false,
        isArchived: false,
        isPrivate: repo.private,
        stargazerCount: 0,
        diskUsage: c.size,
        pushedAt: c.date,
        parent: null,
        templateRepository: null,
        defaultBranchRef: { name: repo.defaultBranch, target: { oid: repo.head, history: { totalCount: total }, statusCheckRollup: null } },
        ...(ref !== undefined ? { at: refSha ? { oid: refSha } : null } : {}),
      };
    }
    return errors.length > 0 ? { data, errors } : { data };
  }

  function issueJson(repo, i) {
    return { id: 1000 + i.number, number: i.number, title: i.title, body: i.body, state: i.state, labels: i.labels.map((name, n) => ({ id: n + 1, name })), user: { login: "skillproof[bot]", id: 1, type: "Bot" }, html_url: `https://github.com/${repo.fullName}/issues/${i.number}` };
  }

  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    port,
    host: `127.0.0.1:${port}`,
    log,
    unhandled,
    repos: byName,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
