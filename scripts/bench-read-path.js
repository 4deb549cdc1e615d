#!/usr/bin/env node
// Benchmark (not a test): the app's two GitHub read paths over real repositories.
// Usage: node scripts/bench-read-path.js [--latency MS] [--mbps MB_PER_S] <git dir>...
// (after `npx tsc -p tsconfig.build.json`). Each <git dir> is a clone or bare repository;
// its HEAD is served by a loopback stand-in for GitHub that answers the tree, GraphQL
// and the tarball (302 to a codeload path, `git archive` bytes) after MS milliseconds,
// sending bodies at MB_PER_S. Each audit runs in its own child process, which reports
// its wall time, CPU time and peak RSS. Prints one line per repository and path.
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args.splice(i, 2)[1]) : fallback;
};
const latency = opt("--latency", 50);
const mbps = opt("--mbps", 25);
const dirs = args;
if (dirs.length === 0) {
  console.error("usage: node scripts/bench-read-path.js [--latency MS] [--mbps MB_PER_S] <git dir>...");
  process.exit(2);
}

const git = (dir, ...a) => execFileSync("git", ["-C", dir, ...a], { maxBuffer: 2 * 1024 ** 3 });

/** Everything the stand-in serves for one repository's HEAD. */
function load(dir) {
  const sha = git(dir, "rev-parse", "HEAD").toString().trim();
  const entries = [];
  for (const line of git(dir, "ls-tree", "-r", "-l", "-z", "HEAD").toString().split("\0")) {
    if (!line) continue;
    const [meta, path] = line.split("\t");
    const [mode, type, oid, size] = meta.split(/\s+/);
    entries.push({ path, mode, type, sha: oid, ...(type === "blob" ? { size: Number(size) } : {}) });
  }
  const byPath = new Map(entries.filter((e) => e.type === "blob").map((e) => [e.path, e]));
  const tarball = git(dir, "archive", "--format=tar.gz", `--prefix=o-r-${sha.slice(0, 7)}/`, "HEAD");
  // Every blob held up front (one `git cat-file --batch`), so the stand-in answers GraphQL without delay of its own.
  const blobs = new Map();
  const oids = [...new Set([...byPath.values()].map((e) => e.sha))];
  const out = execFileSync("git", ["-C", dir, "cat-file", "--batch"], { input: oids.join("\n") + "\n", maxBuffer: 4 * 1024 ** 3 });
  let at = 0;
  while (at < out.length) {
    const nl = out.indexOf(10, at);
    const [oid, , size] = out.subarray(at, nl).toString().split(" ");
    blobs.set(oid, out.subarray(nl + 1, nl + 1 + Number(size)));
    at = nl + 1 + Number(size) + 1;
  }
  return { sha, entries, byPath, tarball, blobs };
}

function blob(repo, oid) {
  return repo.blobs.get(oid);
}

let current;
let requests = [];
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    setTimeout(() => answer(req, res, body), latency);
  });
});

/** Sends at the configured bandwidth, in 64 KiB slices. */
function send(res, status, headers, bytes) {
  res.writeHead(status, { ...headers, "content-length": String(bytes.length) });
  const slice = 64 * 1024;
  const perSlice = (slice / (mbps * 1024 * 1024)) * 1000;
  let at = 0;
  const next = () => {
    if (at >= bytes.length) return res.end();
    res.write(bytes.subarray(at, at + slice));
    at += slice;
    setTimeout(next, perSlice);
  };
  next();
}

function answer(req, res, body) {
  const url = new URL(req.url, "http://x");
  requests.push(`${req.method} ${url.pathname}`);
  const json = (status, data) => send(res, status, { "content-type": "application/json" }, Buffer.from(JSON.stringify(data)));
  const repo = current;
  if (/\/git\/trees\//.test(url.pathname)) {
    return json(200, { sha: "root", truncated: false, tree: repo.entries });
  }
  if (/\/tarball\//.test(url.pathname)) {
    res.writeHead(302, { location: `http://127.0.0.1:${server.address().port}/codeload/${repo.sha}` });
    return res.end();
  }
  if (url.pathname.startsWith("/codeload/")) {
    return send(res, 200, { "content-type": "application/x-gzip" }, repo.tarball);
  }
  if (url.pathname === "/graphql") {
    const { query, variables } = JSON.parse(body);
    const repository = {};
    for (const [, alias, variable] of query.matchAll(/(\w+): object\(expression: \$(\w+)\)/g)) {
      const expression = variables[variable];
      const path = expression.slice(expression.indexOf(":") + 1);
      const e = repo.byPath.get(path);
      if (!e) {
        repository[alias] = null;
        continue;
      }
      const bytes = blob(repo, e.sha);
      const isBinary = bytes.subarray(0, 8000).includes(0);
      const isTruncated = !isBinary && bytes.length > 512 * 1024;
      repository[alias] = { oid: e.sha, byteSize: bytes.length, isBinary, isTruncated, text: isBinary ? null : bytes.subarray(0, isTruncated ? 512 * 1024 : bytes.length).toString("utf8") };
    }
    return json(200, { data: { repository } });
  }
  if (/\/git\/blobs\//.test(url.pathname)) {
    const oid = url.pathname.split("/").pop();
    const bytes = blob(repo, oid);
    return json(200, { sha: oid, size: bytes.length, content: bytes.toString("base64"), encoding: "base64" });
  }
  json(404, { message: "Not Found" });
}

/** One audit in a fresh process: its own wall time, CPU and peak RSS. */
function runChild(path, baseUrl, sha) {
  const dist = (p) => JSON.stringify(new URL(`../dist/${p}`, import.meta.url).href);
  const code = `
    const t0 = performance.now();
    const { ProbotOctokit } = await import("probot");
    const { openGitHubSource } = await import(${dist("sources/github/open.js")});
    const { auditToReport } = await import(${dist("pipeline.js")});
    const { loadRuleSet } = await import(${dist("engine/loadRules.js")});
    const { DEFAULT_CONFIG } = await import(${dist("config/config.js")});
    const ruleSet = loadRuleSet();
    const octokit = new ProbotOctokit({ auth: { token: "t" }, baseUrl: ${JSON.stringify(baseUrl)}, retry: { enabled: false }, throttle: { enabled: false } });
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    const source = openGitHubSource({ octokit, owner: "o", repo: "r", sha: ${JSON.stringify(sha)}, graphql: true, sizeKb: ${path === "tarball" ? 1 : "undefined"} });
    const report = await auditToReport(source, ruleSet, DEFAULT_CONFIG);
    const cpu = process.cpuUsage(cpu0);
    console.log(JSON.stringify({ ms: performance.now() - t1, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.resourceUsage().maxRSS / 1024, requests: source.requestCount, score: report.score, read: report.files.read }));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", code], { cwd: fileURLToPath(new URL("..", import.meta.url)) });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (err += c));
    child.on("close", (status) => (status === 0 ? resolve(JSON.parse(out.trim().split("\n").pop())) : reject(new Error(err))));
  });
}

await new Promise((r) => server.listen(0, "127.0.0.1", r));
const baseUrl = `http://127.0.0.1:${server.address().port}`;
console.log(`bench: read paths, ${latency} ms per request, ${mbps} MB/s`);
console.log("repository | files | tarball KB | path | requests (GraphQL) | wall ms | CPU ms | peak RSS MiB | score");
for (const dir of dirs) {
  current = load(dir);
  const name = dir.replace(/\/repo\/?$/, "").split("/").pop();
  for (const path of ["tree", "tarball"]) {
    requests = [];
    const r = await runChild(path, baseUrl, current.sha);
    const graphql = requests.filter((q) => q === "POST /graphql").length;
    console.log(
      [name, current.byPath.size, Math.round(current.tarball.length / 1024), path, `${r.requests} (${graphql})`, Math.round(r.ms), Math.round(r.cpuMs), Math.round(r.rssMb), r.score].join(" | "),
    );
  }
}
server.close();
