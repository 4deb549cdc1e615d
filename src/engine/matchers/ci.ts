import { capLines, MAX_LINE_CHARS, type AuditFacts } from "../facts.js";
import { fail, pass, unknown, unreadOf, type Outcome } from "../outcome.js";
import { compileRegex } from "../regex.js";
import type { CiMatcher, Evidence } from "../types.js";
import { followWrappers } from "./ciScripts.js";
import { withoutComments } from "./comments.js";
import { jsYaml } from "../yamlLibs.js";

const CI_FILE = [
  /^\.github\/workflows\/[^/]+\.ya?ml$/,
  /^\.gitlab-ci\.ya?ml$/,
  /^\.gitlab\/ci\/.+\.ya?ml$/,
  /(?:^|\/)Jenkinsfile(?:\.[\w-]+)?$/,
  /^\.circleci\/config\.ya?ml$/,
  /^(?:\.azure-pipelines\/.+|azure-pipelines(?:[\w.-]*))\.ya?ml$/,
  /^\.travis\.ya?ml$/,
  /^bitbucket-pipelines\.ya?ml$/,
  /^\.drone\.ya?ml$/,
  /^\.buildkite\/.+\.ya?ml$/,
  /^(?:cloudbuild|buildspec|appveyor|\.appveyor|codemagic)\.ya?ml$/,
  /^\.woodpecker(?:\.ya?ml|\/.+\.ya?ml)$/,
];

export function isCiPath(path: string): boolean {
  // Every pattern but Jenkinsfile's is anchored at the root: a dot folder or file, or a file with no folder.
  // That cheap test first spares the twelve regexes on nearly every path of a big tree.
  if (path.charCodeAt(0) !== 46 && path.includes("/") && !path.includes("Jenkinsfile")) return false;
  return CI_FILE.some((re) => re.test(path));
}

/** One command line or action reference of an active job, with where it is. */
export interface CiStep {
  run: string[];
  uses?: string;
  with: Record<string, string>;
  line: number;
  /** Line numbers of `run` lines, parallel to run. */
  runLines: number[];
}

export interface CiJob {
  text: string;
  steps: CiStep[];
}

const DISABLED = /^\s*(?:\$\{\{\s*)?(?:false|0)\s*(?:\}\})?\s*$/;


/**
 * Finds where parsed values stand in the source, searching forward from a
 * cursor: js-yaml gives values, not positions. It is used here rather than
 * `yaml` (which keeps positions, and reads config and rules) for speed and
 * memory on large workflows: apache/netbeans' 88 KB main.yml takes about
 * 60-100 ms on a first parse against 310-370 ms with `yaml`, whose parse also
 * raised peak RSS by about 38 MiB (loaded 2-core machine, Node 20).
 */
class LineLocator {
  private readonly lines: string[];
  constructor(text: string) {
    this.lines = text.split("\n");
  }
  get count(): number {
    return this.lines.length;
  }
  /** 0-based index of the first line in [from, to) that passes `test`, or -1. */
  find(from: number, test: (line: string) => boolean, to = this.lines.length): number {
    for (let i = Math.max(from, 0); i < to; i++) if (test(this.lines[i]!)) return i;
    return -1;
  }
  slice(from: number, to: number): string {
    return this.lines.slice(from, to).join("\n");
  }
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Parses a workflow into its active jobs; jobs and steps under `if: false` are dropped. */
export function parseGitHubWorkflow(text: string): CiJob[] {
  const doc = jsYaml().load(text) as unknown;
  if (!isRecord(doc) || !isRecord(doc.jobs)) return [];
  const jobs = doc.jobs;
  const at = new LineLocator(text);
  const jobIds = Object.keys(jobs);
  // Each job's lines run from its key to the next job's key.
  const starts: number[] = [];
  let cursor = at.find(0, (l) => /^jobs:\s*(#.*)?$/.test(l)) + 1;
  for (const id of jobIds) {
    const key = new RegExp(`^\\s+["']?${escapeRegex(id)}["']?\\s*:`);
    const i = at.find(cursor, (l) => key.test(l));
    starts.push(i === -1 ? cursor : i);
    if (i !== -1) cursor = i + 1;
  }
  const out: CiJob[] = [];
  jobIds.forEach((id, j) => {
    const job = jobs[id];
    if (!isRecord(job) || isDisabled(job.if)) return;
    const start = starts[j]!;
    const end = j + 1 < starts.length ? starts[j + 1]! : at.count;
    let pos = start;
    const lineOf = (needle: string | undefined): number => {
      const i = needle ? at.find(pos, (l) => l.includes(needle), end) : -1;
      if (i === -1) return pos + 1;
      pos = i;
      return i + 1;
    };
    const steps: CiStep[] = [];
    // A job that calls a reusable workflow is one step.
    if (typeof job.uses === "string") steps.push({ run: [], runLines: [], uses: job.uses, with: withInputs(job.with), line: lineOf(job.uses) });
    for (const step of Array.isArray(job.steps) ? job.steps : []) {
      if (!isRecord(step) || isDisabled(step.if)) continue;
      const uses = typeof step.uses === "string" ? step.uses : undefined;
      const line = lineOf(uses ?? (typeof step.name === "string" ? step.name : undefined));
      // A folded scalar (`run: >`) joins its source lines: each run line is cut like any other line, so a rule pattern's cost stays bounded.
      const run = typeof step.run === "string" ? step.run.split("\n").map((l) => (l.length > MAX_LINE_CHARS ? l.slice(0, MAX_LINE_CHARS) : l)) : [];
      const runLines = run.map((l) => (l.trim() ? lineOf(l.trim()) : pos + 1));
      steps.push({ run, runLines, uses, with: withInputs(step.with), line });
    }
    // The workflow was parsed whole; ignoreJobsMatching regexes see the job with its lines cut.
    out.push({ text: capLines(at.slice(start, end)), steps });
  });
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isDisabled(condition: unknown): boolean {
  return condition === false || condition === 0 || (typeof condition === "string" && DISABLED.test(condition));
}

function withInputs(w: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(w)) for (const [k, v] of Object.entries(w)) if (v !== null && v !== undefined && typeof v !== "object") out[k] = String(v);
  return out;
}

/** Other CI systems: every non-comment line is a candidate command, the whole file one job. */
export function parseLineBasedCi(text: string, path = ".gitlab-ci.yml"): CiJob[] {
  const run: string[] = [];
  const runLines: number[] = [];
  // Trailing and block comments (`/* sh 'make test' */` in a Jenkinsfile) are not commands either.
  withoutComments(path, text).split("\n").forEach((l, i) => {
    const t = l.trim();
    if (t === "" || t.startsWith("#") || t.startsWith("//")) return;
    run.push(l);
    runLines.push(i + 1);
  });
  return [{ text, steps: [{ run, runLines, with: {}, line: 1 }] }];
}

function parseCi(path: string, text: string): CiJob[] {
  if (path.startsWith(".github/workflows/")) {
    try {
      return parseGitHubWorkflow(text);
    } catch {
      return [];
    }
  }
  return parseLineBasedCi(capLines(text), path);
}

export function evaluateCi(m: CiMatcher["ci"], facts: AuditFacts): Outcome {
  const paths = facts.index.filterOnce("ci", isCiPath);
  const unread = unreadOf(paths, (p) => facts.has(p));
  if (unread) return unknown(unread);
  const flags = m.flags ?? "";
  const run = m.run ? compileRegex(m.run, flags) : undefined;
  const uses = m.uses ? compileRegex(m.uses, flags) : undefined;
  const ignore = m.ignoreJobsMatching ? compileRegex(m.ignoreJobsMatching, `m${flags}`) : undefined;
  const withRes = Object.entries(m.with ?? {}).map(([k, v]) => [k, compileRegex(v, flags)] as const);
  const evidence: Evidence[] = [];
  const runLines: Array<{ path: string; line: number; text: string }> = [];
  for (const path of paths) {
    const jobs = facts.parsedWhole("ci", path, (t) => parseCi(path, t)) ?? [];
    for (const job of jobs) {
      if (ignore?.test(job.text)) continue;
      for (const step of job.steps) {
        if (uses && step.uses && uses.test(step.uses) && withRes.every(([k, re]) => re.test(step.with[k] ?? ""))) {
          evidence.push({ path, line: step.line, snippet: `uses: ${step.uses}` });
        }
        if (run) {
          const i = step.run.findIndex((l) => run.test(l));
          if (i !== -1) evidence.push({ path, line: step.runLines[i], snippet: step.run[i]!.trim().slice(0, 160) });
          // Only rules that follow wrapper scripts look at every command line afterwards.
          if (m.followScripts) step.run.forEach((text, j) => runLines.push({ path, line: step.runLines[j]!, text }));
        }
      }
    }
  }
  if (evidence.length > 0) return pass(evidence);
  if (run && m.followScripts) return viaWrappers(run, runLines, facts);
  return fail();
}

/** A CI command that calls a wrapper (script, Makefile target, npm script) which runs a matching command. */
function viaWrappers(run: RegExp, runLines: ReadonlyArray<{ path: string; line: number; text: string }>, facts: AuditFacts): Outcome {
  const needs = new Set<string>();
  const evidence: Evidence[] = [];
  for (const ci of runLines) {
    const followed = followWrappers([ci.text], facts);
    if ("needs" in followed) {
      for (const p of followed.needs) needs.add(p);
      continue;
    }
    const hit = followed.lines.find((l) => run.test(l.text));
    if (!hit) continue;
    evidence.push(
      { path: ci.path, line: ci.line, snippet: `${ci.text.trim()} → ${hit.path}:${hit.line}`.slice(0, 160) },
      { path: hit.path, line: hit.line, snippet: hit.text.trim().slice(0, 160) },
    );
  }
  if (evidence.length > 0) return pass(evidence);
  return needs.size > 0 ? unknown([...needs]) : fail();
}

