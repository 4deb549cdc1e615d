import type { AuditFacts } from "../facts.js";
import { isCiPath, parseGitHubWorkflow, type CiJob } from "../matchers/ci.js";
import { listed, plural } from "./leaves.js";
import type { DepthProbe, RuleDepth, RuleFacts } from "./types.js";
import { jsYaml } from "../yamlLibs.js";

const SYSTEMS: Array<[RegExp, string]> = [
  [/^\.github\/workflows\//, "GitHub Actions"],
  [/^\.gitlab/, "GitLab CI"],
  [/Jenkinsfile/, "Jenkins"],
  [/^\.circleci\//, "CircleCI"],
  [/azure-pipelines/, "Azure Pipelines"],
  [/^\.travis/, "Travis CI"],
  [/^bitbucket-pipelines/, "Bitbucket Pipelines"],
  [/^\.drone/, "Drone"],
  [/^\.buildkite\//, "Buildkite"],
  [/appveyor/, "AppVeyor"],
  [/^\.woodpecker/, "Woodpecker"],
  [/^(?:cloudbuild|buildspec|codemagic)/, "a hosted build service"],
];

function systemOf(path: string): string {
  return SYSTEMS.find(([re]) => re.test(path))?.[1] ?? "CI";
}

/** The events a GitHub workflow runs on, and the branches its `push` is limited to ("*" when any). */
export interface Triggers {
  events: string[];
  pushBranches: string[];
}

/**
 * Only the top-level `on:` block is parsed: a large workflow's jobs are
 * already parsed once by the CI matcher, and parsing them again would cost
 * time and memory on the trees the benchmark watches.
 */
export function workflowTriggers(text: string): Triggers {
  let doc: unknown;
  try {
    doc = jsYaml().load(onBlock(text));
  } catch {
    return { events: [], pushBranches: [] };
  }
  if (!isRecord(doc)) return { events: [], pushBranches: [] };
  // YAML 1.1 readers turn a bare `on` key into true.
  const on = doc.on ?? doc["true"];
  if (typeof on === "string") return { events: [on], pushBranches: on === "push" ? ["*"] : [] };
  if (Array.isArray(on)) {
    const events = on.filter((e): e is string => typeof e === "string");
    return { events, pushBranches: events.includes("push") ? ["*"] : [] };
  }
  if (!isRecord(on)) return { events: [], pushBranches: [] };
  const events = Object.keys(on);
  let pushBranches: string[] = [];
  if ("push" in on) {
    const push = on.push;
    const branches = isRecord(push) ? push.branches : undefined;
    const onlyTags = isRecord(push) && push.tags !== undefined && branches === undefined;
    pushBranches = Array.isArray(branches) ? branches.map(String) : typeof branches === "string" ? [branches] : onlyTags ? [] : ["*"];
  }
  return { events, pushBranches };
}

function onBlock(text: string): string {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^["']?(?:on|true)["']?\s*:/.test(l));
  if (start === -1) return "";
  let end = start + 1;
  while (end < lines.length && (lines[end]!.trim() === "" || /^[\s#]/.test(lines[end]!) || /^-/.test(lines[end]!))) end++;
  return lines.slice(start, end).join("\n");
}

const DEFAULT_BRANCHES = new Set(["main", "master", "trunk", "develop", "*", "**"]);
const PULL_REQUESTS = new Set(["pull_request", "pull_request_target", "merge_group"]);

/** ci-cd/runs-tests: when the tests run, from the `on:` of the workflows that run them. */
export const runsTestsProbe: DepthProbe = {
  measure({ result, facts }) {
    // Evidence may point into a script the CI calls (a wrapper); then every pipeline file speaks for when.
    const cited = [...new Set(result.evidence.map((e) => e.path))].filter(isCiPath);
    const files = cited.length > 0 ? cited : [...facts.index.filterOnce("ci", isCiPath)];
    const systems = [...new Set(files.map(systemOf))];
    const workflows = files.filter((p) => p.startsWith(".github/workflows/"));
    const events = new Set<string>();
    const branches = new Set<string>();
    for (const p of workflows) {
      const t = facts.parsedWhole("depth-on", p, workflowTriggers);
      if (!t) continue;
      t.events.forEach((e) => events.add(e));
      t.pushBranches.forEach((b) => branches.add(b));
    }
    const pullRequests = [...events].some((e) => PULL_REQUESTS.has(e));
    const defaultBranch = [...branches].some((b) => DEFAULT_BRANCHES.has(b));
    const out: RuleFacts = { ciSystems: systems, files };
    const parts: string[] = [];
    if (workflows.length > 0) {
      Object.assign(out, { pullRequests, defaultBranch, events: [...events].sort(), pushBranches: [...branches].sort() });
      if (pullRequests) parts.push("on pull requests");
      if (branches.has("*") || branches.has("**")) parts.push("on every push");
      else if (branches.size > 0) parts.push(`on pushes to ${listed([...branches].sort())}`);
      if (parts.length === 0) {
        const others = [...events].filter((e) => e !== "push").sort();
        parts.push(others.length > 0 ? `only on ${listed(others)}` : "on no event it could read");
      }
    }
    const nonGitHub = systems.filter((s) => s !== "GitHub Actions");
    const summary = [
      ...(parts.length > 0 ? [`runs ${listed(parts)}`] : []),
      ...(nonGitHub.length > 0 ? [`runs in ${listed(nonGitHub)}`] : []),
    ].join("; ");
    const depth: RuleDepth = { facts: out, summary, depth: "full" };
    const placeholder = placeholderTestScript(result.evidence.map((e) => e.snippet ?? ""), facts);
    return placeholder ? { ...depth, depth: "token", depthReason: placeholder } : depth;
  },
};

const NPM_TEST = /^\s*(?:-\s+)?(?:run:\s*)?(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?(?:t|test)(?:\s|$)/;
const ONLY_ECHO = /^\s*(?:(?:echo|printf)\b[^&|;]*|exit\s+\d+|true|:)(?:\s*(?:&&|;|\|\|)\s*(?:(?:echo|printf)\b[^&|;]*|exit\s+\d+|true|:))*\s*$/;

/** When every test step is `npm test` and package.json's test script only echoes (npm init's "no test specified"). */
function placeholderTestScript(snippets: readonly string[], facts: AuditFacts): string | undefined {
  if (snippets.length === 0 || !snippets.every((s) => NPM_TEST.test(s))) return undefined;
  let script: unknown;
  try {
    script = (JSON.parse(facts.text("package.json") ?? "null") as { scripts?: Record<string, unknown> } | null)?.scripts?.test;
  } catch {
    return undefined;
  }
  if (typeof script !== "string" || !ONLY_ECHO.test(script)) return undefined;
  return `CI runs \`${snippets[0]!.trim().slice(0, 40)}\`, but package.json's test script only echoes (${script.slice(0, 60)})`;
}

/** ci-cd/pipeline: which systems, how many pipelines; workflows whose only steps echo are token evidence. */
export const pipelineProbe: DepthProbe = {
  measure({ facts }) {
    const files = facts.index.filterOnce("ci", isCiPath);
    const systems = [...new Set(files.map(systemOf))];
    const workflows = files.filter((p) => p.startsWith(".github/workflows/"));
    let steps = 0;
    let real = files.length > workflows.length;
    for (const p of workflows) {
      // The CI matcher's own parse of the same file (same key, same parser): no second parse.
      const jobs = facts.parsedWhole("ci", p, safeWorkflow);
      if (!jobs) {
        real = true;
        continue;
      }
      for (const job of jobs) {
        for (const step of job.steps) {
          steps++;
          if (!isEchoOnly(step)) real = true;
        }
      }
    }
    const out: RuleDepth = {
      facts: { ciSystems: systems, pipelineFiles: files.length, workflowSteps: steps },
      summary: `${listed(systems)}, ${plural(files.length, "pipeline file")}`,
      depth: "full",
    };
    if (real || workflows.length === 0) return out;
    return { ...out, depth: "token", depthReason: steps === 0 ? "the workflows have no steps" : "the workflows' only steps check out the code and echo" };
  },
};

function safeWorkflow(text: string): CiJob[] {
  try {
    return parseGitHubWorkflow(text);
  } catch {
    return [];
  }
}

function isEchoOnly(step: CiJob["steps"][number]): boolean {
  if (step.uses) return /^actions\/checkout@/.test(step.uses);
  return step.run.every((l) => l.trim() === "" || /^\s*#/.test(l) || ONLY_ECHO.test(l));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
