import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from "yaml";
import type { AuditFacts } from "../facts.js";
import { fail, pass, unknown, unreadOf, type Outcome } from "../outcome.js";
import { compileRegex } from "../regex.js";
import type { CiMatcher, Evidence } from "../types.js";

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

function scalarString(node: unknown): string | undefined {
  if (isScalar(node) && node.value !== null && node.value !== undefined) return String(node.value);
  return undefined;
}

/** Parses a workflow into its active jobs; jobs and steps under `if: false` are dropped. */
export function parseGitHubWorkflow(text: string): CiJob[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  const lineOf = (node: Node | null | undefined): number => (node?.range ? lc.linePos(node.range[0]).line : 1);
  const jobs = doc.get("jobs", true);
  if (!isMap(jobs)) return [];
  const out: CiJob[] = [];
  for (const pair of jobs.items) {
    const job = pair.value;
    if (!isMap(job)) continue;
    if (DISABLED.test(scalarString(job.get("if", true)) ?? "x")) continue;
    const range = job.range ?? [0, 0];
    const jobText = text.slice(range[0], range[1]);
    const steps: CiStep[] = [];
    // A job that calls a reusable workflow is one step.
    const jobUses = scalarString(job.get("uses", true));
    if (jobUses) steps.push({ run: [], runLines: [], uses: jobUses, with: withInputs(job), line: lineOf(job.get("uses", true) as Node) });
    const seq = job.get("steps", true);
    if (isSeq(seq)) {
      for (const step of seq.items) {
        if (!isMap(step)) continue;
        if (DISABLED.test(scalarString(step.get("if", true)) ?? "x")) continue;
        const runNode = step.get("run", true) as Node | undefined;
        const run = scalarString(runNode);
        const uses = scalarString(step.get("uses", true));
        const runLines: number[] = [];
        const lines: string[] = [];
        if (run !== undefined && runNode) {
          const start = lineOf(runNode);
          // Block scalars (| or >) start on the line after the indicator.
          const block = isScalar(runNode) && (runNode.type === "BLOCK_LITERAL" || runNode.type === "BLOCK_FOLDED");
          run.split("\n").forEach((l, i) => {
            lines.push(l);
            runLines.push(start + i + (block ? 1 : 0));
          });
        }
        steps.push({ run: lines, runLines, uses, with: withInputs(step), line: lineOf(step) });
      }
    }
    out.push({ text: jobText, steps });
  }
  return out;
}

function withInputs(step: YAMLMap): Record<string, string> {
  const w = step.get("with", true);
  const out: Record<string, string> = {};
  if (isMap(w)) {
    for (const p of w.items) {
      const k = scalarString(p.key);
      const v = scalarString(p.value);
      if (k !== undefined && v !== undefined) out[k] = v;
    }
  }
  return out;
}

/** Other CI systems: every non-comment line is a candidate command, the whole file one job. */
export function parseLineBasedCi(text: string): CiJob[] {
  const run: string[] = [];
  const runLines: number[] = [];
  text.split("\n").forEach((l, i) => {
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
  return parseLineBasedCi(text);
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
  for (const path of paths) {
    const jobs = facts.parsed("ci", path, (t) => parseCi(path, t)) ?? [];
    for (const job of jobs) {
      if (ignore?.test(job.text)) continue;
      for (const step of job.steps) {
        if (uses && step.uses && uses.test(step.uses) && withRes.every(([k, re]) => re.test(step.with[k] ?? ""))) {
          evidence.push({ path, line: step.line, snippet: `uses: ${step.uses}` });
        }
        if (run) {
          const i = step.run.findIndex((l) => run.test(l));
          if (i !== -1) evidence.push({ path, line: step.runLines[i], snippet: step.run[i]!.trim().slice(0, 160) });
        }
      }
    }
  }
  return evidence.length > 0 ? pass(evidence) : fail();
}

