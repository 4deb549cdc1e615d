import { closeSync, existsSync, fstatSync, lstatSync, openSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError, configTooLarge, DEFAULT_CONFIG, MAX_CONFIG_BYTES, parseConfig, type AppliedConfig } from "../config/config.js";
import { AuditTimeoutError, formatBudget } from "../engine/budget.js";
import { runRuleExamples } from "../engine/examples.js";
import { BUILTIN_RULES_DIR, loadRuleSet, RuleLoadError } from "../engine/loadRules.js";
import { loadBuiltinRuleSet } from "../engine/ruleBundle.js";
import type { RuleSet } from "../engine/types.js";
import { auditToReport } from "../pipeline.js";
import { renderJson } from "../report/json.js";
import { renderMarkdown } from "../report/markdown.js";
import { renderText } from "../report/text.js";
import { renderBadge } from "../report/badge.js";
import { renderSarif } from "../report/sarif.js";
import { candidateRow, errorRow, renderShortlistJson, renderShortlistMarkdown, renderShortlistText, sortShortlist, type ShortlistRow } from "../report/compare.js";
import { loadBuiltinRoles, resolveRole, runRoleExamples, type RoleSet } from "../roles/index.js";
import type { Role } from "../roles/types.js";
import type { Report } from "../report/model.js";
import { printable } from "../report/printable.js";
import { LocalDirectorySource } from "../sources/local.js";
// The GitHub path (Octokit and its plugins, about 100 ms and 2 MB to load) is imported only when a GitHub target is audited.
import { DEFAULT_MAX_REPOS, MAX_REPOS } from "../recruit/limits.js";
import { parseGitHubTarget, type GitHubTarget } from "./target.js";

/** Seconds an audit may take unless --timeout says otherwise: far more than any real repository needs (human-essentials takes under a second). */
const DEFAULT_TIMEOUT_S = 300;
/** The largest --timeout: a day. */
const MAX_TIMEOUT_S = 86_400;

/** Targets a shortlist takes. */
const MAX_COMPARE = 10;

const USAGE = `Usage:
  skillproof audit [dir] [--format text|markdown|json|sarif|badge] [--config FILE] [--min-score N] [--out FILE] [--timeout SECONDS]
  skillproof audit owner/repo[@ref] [--candidate @user]   audit a GitHub repository
  skillproof audit @username [--max-repos N]              audit a GitHub user's portfolio
  skillproof audit <dir|owner/repo|@user> --role ID|FILE  add the fit for a role: stack found and missing, top 3 gaps
  skillproof compare <target> <target>... --role ID|FILE  a shortlist: 2-${MAX_COMPARE} dirs, owner/repo or @users, best fit first
  skillproof rules                 list every rule: id, skill, title
  skillproof rules test [id...]    run the rules' pass/fail examples (for rule authors)
  skillproof roles                 list every role: id, title
  skillproof roles test            run the roles' examples (for role authors)

Options:
  --format      report format (default: text); sarif and badge are for one repository.
                badge: a shields.io endpoint JSON to publish yourself (the Action's badge-file);
                the GitHub App serves a live one for public repositories at <app>/badge/owner/repo.svg
                and .json, with the report page at <app>/r/owner/repo
  --config      config file (default: <dir>/.github/skillproof.yml when present);
                GitHub audits and compare use only its portfolio.maxRepos and roles: (one scale for every candidate)
  --min-score   exit 1 when the score is below N (default: the config's threshold)
  --out         write the report to FILE instead of standard output
  --rules       rules directory (default: the rules shipped with skillproof)
  --role        a role id (skillproof roles), one defined under roles: in the config, or a role YAML file;
                the report adds the fit (0-100), the role's stack found and missing, the three gaps worth most,
                and a plan in six two-week steps (docs/roles.md). compare requires it
  --candidate   GitHub user whose share of a repository's commits is shown (default: its owner)
  --max-repos   repositories audited in a portfolio, 1-${MAX_REPOS} (default: ${DEFAULT_MAX_REPOS})
  --timeout     seconds the whole audit may take, reading GitHub included (default: ${DEFAULT_TIMEOUT_S});
                past it: exit 2 with "audit ran out of time"
  --verbose     print how many GitHub API requests were used

GitHub: token from GITHUB_TOKEN or GH_TOKEN (without one: public repositories,
60 requests an hour); GITHUB_API_URL for GitHub Enterprise Server. A local
directory that exists wins over an owner/repo argument.

compare audits every target on one scale: the default config (a --config file lends only its roles: and
portfolio.maxRepos); a target that cannot be audited is a row with its error. Options: --role, --format
text|markdown|json, --out, --timeout (per target), --max-repos, --config, --rules, --verbose.

Exit codes: 0 done, 1 score below the minimum (or a rule or role example failed), 2 bad input
(compare: every target failed).`;

/** A problem with what the user gave us: one line on stderr, exit 2. */
class UsageError extends Error {}

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  /** Progress bars go to stderr only when it is a terminal. */
  stderrIsTTY?: boolean;
  env: NodeJS.ProcessEnv;
  /**
   * Called once an audit ran out of time, after its line is written: work
   * still under way (a GitHub download) must not keep the process alive.
   */
  abandon?: (code: number) => void;
}

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  env: process.env,
  // Unref'd: when nothing else is pending the process ends by itself; otherwise the pending work is cut short.
  abandon: (code) => setTimeout(() => process.exit(code), 0).unref(),
};

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      io.stdout(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === "--version" || command === "-v") {
      const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
      io.stdout(`${pkg.version}\n`);
      return 0;
    }
    if (command === "audit") return await auditCommand(rest, io);
    if (command === "rules") return await rulesCommand(rest, io);
    if (command === "compare") return await compareCommand(rest, io);
    if (command === "roles") return await rolesCommand(rest, io);
    throw new UsageError(`unknown command "${command}" (try: skillproof --help)`);
  } catch (err) {
    io.stderr(`skillproof: ${errorLine(err)}\n`);
    if (err instanceof AuditTimeoutError) io.abandon?.(2);
    return 2;
  }
}

function errorLine(err: unknown): string {
  if (err instanceof AuditTimeoutError) return `audit ran out of time after ${formatBudget(err.budgetMs)}`;
  if (err instanceof Error && err.name === "RecruitError") return err.message;
  if (err instanceof Error && err.name === "RoleError") return err.message;
  if (err instanceof UsageError || err instanceof ConfigError || err instanceof RuleLoadError) {
    const prefix = err instanceof RuleLoadError ? "invalid rule " : err instanceof ConfigError ? "invalid config " : "";
    return `${prefix}${err.message}`;
  }
  if (err instanceof Error && "code" in err && typeof (err as { code: unknown }).code === "string") {
    const code = (err as { code: string }).code;
    // Node's message for an option argument that starts with a dash runs over three lines: the first says it.
    if (code.startsWith("ERR_PARSE_ARGS")) return `${err.message.split("\n")[0]} (try: skillproof --help)`;
  }
  return `internal error: ${err instanceof Error ? err.message : String(err)}`;
}

function parse(args: string[], options: NonNullable<ParseArgsConfig["options"]>) {
  return parseArgs({ args, options, allowPositionals: true, strict: true });
}

/** `withExamples` for `rules test`; audits use the bundled rules, which are faster to load. */
function loadRules(dir: string | undefined, withExamples = false): RuleSet {
  if (dir === undefined) return withExamples ? loadRuleSet(BUILTIN_RULES_DIR) : loadBuiltinRuleSet();
  const rulesDir = resolve(dir);
  if (!existsSync(join(rulesDir, "schema.json"))) throw new UsageError(`rules directory "${dir}" has no schema.json`);
  return loadRuleSet(rulesDir);
}

const FORMATS = ["text", "markdown", "json", "sarif", "badge"] as const;
type Format = (typeof FORMATS)[number];

async function auditCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: "string", default: "text" },
    config: { type: "string" },
    "min-score": { type: "string" },
    out: { type: "string" },
    rules: { type: "string" },
    candidate: { type: "string" },
    "max-repos": { type: "string" },
    timeout: { type: "string" },
    role: { type: "string" },
    verbose: { type: "boolean", default: false },
  });
  const budgetMs = timeoutOf(values.timeout as string | undefined);
  // Date.now(): the engine reads the same clock (src/engine/budget.ts).
  const deadline = Date.now() + budgetMs;
  if (positionals.length > 1) throw new UsageError(`audit takes one directory, owner/repo or @username, got ${positionals.length}`);
  const arg = positionals[0] ?? ".";
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format "${format}" (${FORMATS.join(", ")})`);
  let minScore: number | undefined;
  if (values["min-score"] !== undefined) {
    minScore = Number(values["min-score"]);
    if (!Number.isFinite(minScore) || minScore < 0 || minScore > 100) throw new UsageError(`--min-score must be a number from 0 to 100, got "${values["min-score"]}"`);
  }
  // A local directory that exists always wins: "owner/repo" may well be a path.
  const stat = statSync(arg, { throwIfNoEntry: false });
  const github = stat ? undefined : parseGitHubTarget(arg);
  if (github) return await withinBudget(budgetMs, () => auditGitHub(github, { ...values, format, minScore } as GitHubAuditOptions, io));
  if (values.candidate !== undefined || values["max-repos"] !== undefined) {
    throw new UsageError(`--${values.candidate !== undefined ? "candidate" : "max-repos"} applies to GitHub audits (owner/repo or @username)`);
  }
  if (!stat) throw new UsageError(`no such directory: ${arg}`);
  if (!stat.isDirectory()) throw new UsageError(`not a directory: ${arg}`);
  const dir = arg;

  const ruleSet = loadRules(values.rules as string | undefined);
  const config = loadConfig(dir, values.config as string | undefined, ruleSet);
  const role = roleOf(values.role as string | undefined, config, ruleSet);
  const report = await withinBudget(budgetMs, () =>
    auditToReport(new LocalDirectorySource(dir), ruleSet, config, { threshold: minScore, deadline, budgetMs, ...(role ? { role } : {}) }),
  );
  const color = values.out === undefined && io.isTTY && !io.env.NO_COLOR;
  const text =
    format === "json"
      ? renderJson(report)
      : format === "markdown"
        ? renderMarkdown(report)
        : format === "sarif"
          ? renderSarif(report)
          : format === "badge"
            ? renderBadge(report)
            : renderText(report, { color });
  output(text, values.out as string | undefined, io);
  return report.passed === false ? 1 : 0;
}

/** --timeout in milliseconds: a positive number of seconds, at most a day. */
function timeoutOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_S * 1000;
  const seconds = Number(value);
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_TIMEOUT_S) {
    throw new UsageError(`--timeout must be a number of seconds above 0, at most ${MAX_TIMEOUT_S}, got "${value}"`);
  }
  return seconds * 1000;
}

/**
 * `work`, or AuditTimeoutError once `budgetMs` has passed. The timer fires
 * while the work waits (on GitHub, on a read); the engine's own deadline
 * check stops it while it computes, when the timer cannot fire.
 */
async function withinBudget<T>(budgetMs: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AuditTimeoutError(budgetMs)), budgetMs);
  });
  const working = work();
  // Once the timer has won, a later failure of the abandoned work is no one's to handle.
  working.catch(() => {});
  try {
    return await Promise.race([working, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function output(text: string, out: string | undefined, io: Io): void {
  if (out === undefined) return io.stdout(text);
  try {
    writeFileSync(out, text);
  } catch (err) {
    throw new UsageError(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

interface GitHubAuditOptions {
  format: Format;
  minScore?: number;
  config?: string;
  out?: string;
  rules?: string;
  candidate?: string;
  "max-repos"?: string;
  role?: string;
  verbose: boolean;
}

/** `audit owner/repo[@ref]` and `audit @username`: read through the API, never through Probot. */
async function auditGitHub(target: GitHubTarget, o: GitHubAuditOptions, io: Io): Promise<number> {
  const ruleSet = loadRules(o.rules);
  // Resolved before any request: a bad role id costs nothing.
  const role = roleOf(o.role, o.config === undefined ? undefined : parseConfig(readConfigText(o.config), o.config, ruleSet.rules.map((r) => r.id)), ruleSet);
  const { gitHubClient, progressBar } = await import("./github.js");
  const { auditPortfolio, auditRepository, renderPortfolio, renderRepoAudit } = await import("../recruit/index.js");
  const { octokit, authenticated } = gitHubClient(io.env);
  const color = o.out === undefined && io.isTTY && !io.env.NO_COLOR;
  let requests: number;
  let code: number;
  if (target.kind === "repo") {
    if (o["max-repos"] !== undefined) throw new UsageError("--max-repos applies to @username portfolios");
    const candidate = o.candidate?.replace(/^@/, "");
    const audit = await auditRepository(octokit, target, {
      ruleSet,
      graphql: authenticated,
      ...(candidate !== undefined ? { candidate } : {}),
      ...(o.minScore !== undefined ? { threshold: o.minScore } : {}),
      ...(role ? { role } : {}),
    });
    const text =
      o.format === "sarif" ? renderSarif(audit.report) : o.format === "badge" ? renderBadge(audit.report) : renderRepoAudit(audit, o.format, { color });
    output(text, o.out, io);
    requests = audit.requests;
    code = audit.report.passed === false ? 1 : 0;
  } else {
    if (o.candidate !== undefined) throw new UsageError("--candidate applies to owner/repo audits (a portfolio's candidate is its user)");
    if (o.format === "sarif" || o.format === "badge") throw new UsageError(`--format ${o.format} is for one repository; a portfolio renders text, markdown or json`);
    const maxRepos = maxReposOf(o);
    const bar = io.stderrIsTTY ? progressBar(io.stderr, `auditing @${target.user}`) : undefined;
    let portfolio;
    try {
      portfolio = await auditPortfolio(octokit, target.user, {
        ruleSet,
        graphql: authenticated,
        ...(maxRepos !== undefined ? { maxRepos } : {}),
        ...(role ? { role } : {}),
        ...(bar ? { onProgress: (done: number, total: number, repo: string) => bar.update(done, total, repo) } : {}),
      });
    } finally {
      bar?.clear();
    }
    const format = o.format === "markdown" || o.format === "json" ? o.format : "text";
    if (role) {
      const { portfolioFit, renderPortfolioWithRole } = await import("./rolePortfolio.js");
      output(renderPortfolioWithRole(portfolio, portfolioFit(portfolio, role), format, { color }), o.out, io);
    } else {
      output(renderPortfolio(portfolio, format, { color }), o.out, io);
    }
    requests = portfolio.requests;
    code = o.minScore !== undefined && portfolio.score < o.minScore ? 1 : 0;
  }
  // Said after the report, so that an error stays the only line on stderr.
  if (!authenticated) io.stderr("skillproof: no GITHUB_TOKEN or GH_TOKEN: GitHub allows 60 requests an hour without a token (see docs/portfolio.md)\n");
  if (o.verbose) io.stderr(`skillproof: ${requests} GitHub API request${requests === 1 ? "" : "s"} used\n`);
  return code;
}

/** --max-repos, else the --config file's portfolio.maxRepos, else the default. */
function maxReposOf(o: GitHubAuditOptions): number | undefined {
  if (o["max-repos"] !== undefined) {
    const n = Number(o["max-repos"]);
    if (!Number.isInteger(n) || n < 1 || n > MAX_REPOS) throw new UsageError(`--max-repos must be a whole number from 1 to ${MAX_REPOS}, got "${o["max-repos"]}"`);
    return n;
  }
  if (o.config === undefined) return undefined;
  return parseConfig(readConfigText(o.config), o.config, []).portfolio?.maxRepos;
}

function loadConfig(dir: string, explicit: string | undefined, ruleSet: RuleSet): AppliedConfig {
  const ids = ruleSet.rules.map((r) => r.id);
  let file = explicit;
  if (file === undefined) {
    // lstat: the audited folder's own config is part of what is audited, and a link out of the folder is not followed
    // (its target's lines would show in the config error). A --config FILE is the user's own choice.
    const found = [".github/skillproof.yml", ".github/skillproof.yaml"]
      .map((f) => ({ file: join(dir, f), stat: lstatSync(join(dir, f), { throwIfNoEntry: false }) }))
      .find((f) => f.stat !== undefined);
    if (found === undefined) return DEFAULT_CONFIG;
    file = found.file;
    if (found.stat!.isSymbolicLink() || lstatSync(join(dir, ".github")).isSymbolicLink()) {
      throw new ConfigError(file, "is a symbolic link; the audited folder's config is not read through links");
    }
  }
  return parseConfig(readConfigText(file), file, ids);
}

/** A config file's text; one over MAX_CONFIG_BYTES is refused from its size, before it is read. */
function readConfigText(file: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    if (fstatSync(fd).size > MAX_CONFIG_BYTES) throw configTooLarge(file);
    return readFileSync(fd, "utf8");
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new UsageError(`cannot read config ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function rulesCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { rules: { type: "string" } });
  const ruleSet = loadRules(values.rules as string | undefined, positionals[0] === "test");
  if (positionals[0] === "test") {
    const only = positionals.slice(1);
    for (const id of only) if (!ruleSet.rules.some((r) => r.id === id)) throw new UsageError(`unknown rule id "${id}"`);
    const outcomes = await runRuleExamples(ruleSet, only.length ? (id) => only.includes(id) : undefined);
    const failed = outcomes.filter((o) => !o.ok);
    for (const o of failed) {
      const name = `${o.file}: ${o.kind} example ${o.index + 1}${o.description ? ` (${o.description})` : ""}`;
      if (o.actual !== o.kind) io.stdout(`✗ ${name} was ${o.actual}, expected ${o.kind}\n`);
      if (o.undetected) io.stdout(`✗ ${name} claims ${o.undetected.join(", ")}, which the stack detector does not find in its files\n`);
    }
    const rules = new Set(outcomes.map((o) => o.ruleId)).size;
    io.stdout(`${outcomes.length - failed.length} passed, ${failed.length} failed (${outcomes.length} examples of ${rules} rules)\n`);
    return failed.length > 0 ? 1 : 0;
  }
  if (positionals.length > 0) throw new UsageError(`unknown rules subcommand "${positionals[0]}" (try: skillproof rules test)`);
  const width = Math.max(...ruleSet.rules.map((r) => r.id.length));
  for (const r of ruleSet.rules) io.stdout(`${r.id.padEnd(width)}  ${r.title}\n`);
  io.stdout(`${ruleSet.rules.length} rules in ${ruleSet.skills.length} skills\n`);
  return 0;
}

/** The shipped roles, loaded once (schema-checked YAML). */
let builtinRoles: RoleSet | undefined;
function shippedRoles(ruleSet?: RuleSet): RoleSet {
  return (builtinRoles ??= loadBuiltinRoles(ruleSet));
}

/**
 * --role: a shipped role's id, one the config defines under `roles:`, or a
 * role file; undefined without --role. Resolved before any audit, so a bad
 * id is one line and costs no read.
 */
function roleOf(arg: string | undefined, config: AppliedConfig | undefined, ruleSet: RuleSet): Role | undefined {
  if (arg === undefined) return undefined;
  if (arg.trim() === "") throw new UsageError("--role needs a role id or a role file (try: skillproof roles)");
  return resolveRole(arg, shippedRoles(ruleSet), configRoles(config), ruleSet);
}

function configRoles(config: AppliedConfig | undefined): Role[] {
  return config?.roles ?? [];
}

const COMPARE_FORMATS = ["text", "markdown", "json"] as const;
type CompareFormat = (typeof COMPARE_FORMATS)[number];

/**
 * `skillproof compare <target>... --role <id>`: each target audited in turn,
 * on one scale (the default config: a candidate's own config does not weigh
 * their audit), one table best fit first. A target that cannot be audited is
 * a row with its one-line error; only when every target fails is it exit 2.
 */
async function compareCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: "string", default: "text" },
    config: { type: "string" },
    out: { type: "string" },
    rules: { type: "string" },
    role: { type: "string" },
    "max-repos": { type: "string" },
    timeout: { type: "string" },
    verbose: { type: "boolean", default: false },
  });
  const format = values.format as CompareFormat;
  if (!COMPARE_FORMATS.includes(format)) throw new UsageError(`unknown format "${format}" for compare (${COMPARE_FORMATS.join(", ")})`);
  if (values.role === undefined) throw new UsageError("compare needs --role <id|file> (try: skillproof roles)");
  if (positionals.length < 2 || positionals.length > MAX_COMPARE) {
    throw new UsageError(`compare takes 2 to ${MAX_COMPARE} targets (directories, owner/repo or @username), got ${positionals.length}`);
  }
  const budgetMs = timeoutOf(values.timeout as string | undefined);
  const ruleSet = loadRules(values.rules as string | undefined);
  const configFile = values.config as string | undefined;
  const config = configFile === undefined ? undefined : parseConfig(readConfigText(configFile), configFile, ruleSet.rules.map((r) => r.id));
  const role = roleOf(values.role as string, config, ruleSet)!;
  const maxRepos = maxReposOf({ "max-repos": values["max-repos"] as string | undefined, ...(configFile !== undefined ? { config: configFile } : {}) } as GitHubAuditOptions);

  let github: Promise<{ client: import("./github.js").GitHubClient; recruit: typeof import("../recruit/index.js"); fit: typeof import("./rolePortfolio.js") }> | undefined;
  const gitHub = () =>
    (github ??= (async () => {
      const { gitHubClient } = await import("./github.js");
      return { client: gitHubClient(io.env), recruit: await import("../recruit/index.js"), fit: await import("./rolePortfolio.js") };
    })());
  let requests = 0;
  let usedGitHub = false;

  const auditOne = async (target: string): Promise<ShortlistRow> => {
    const deadline = Date.now() + budgetMs;
    const stat = statSync(target, { throwIfNoEntry: false });
    const gh = stat ? undefined : parseGitHubTarget(target);
    if (!gh) {
      if (!stat) throw new UsageError(`no such directory: ${target}`);
      if (!stat.isDirectory()) throw new UsageError(`not a directory: ${target}`);
      const report = await auditToReport(new LocalDirectorySource(target), ruleSet, DEFAULT_CONFIG, { deadline, budgetMs, role });
      return candidateRow(target, { role: fitOf(report), score: report.score, skills: report.skills, attributions: [] });
    }
    const { client, recruit, fit } = await gitHub();
    usedGitHub = true;
    const common = { ruleSet, graphql: client.authenticated, role, budget: { deadline, ms: budgetMs } };
    if (gh.kind === "repo") {
      const audit = await recruit.auditRepository(client.octokit, gh, common);
      requests += audit.requests;
      const name = `${audit.report.target.kind === "github" ? `${audit.report.target.owner}/${audit.report.target.repo}` : target}`;
      return candidateRow(target, {
        role: fitOf(audit.report),
        score: audit.report.score,
        skills: audit.report.skills,
        attributions: audit.attribution ? [{ repo: name, attribution: audit.attribution }] : [],
      });
    }
    const portfolio = await recruit.auditPortfolio(client.octokit, gh.user, { ...common, ...(maxRepos !== undefined ? { maxRepos } : {}) });
    requests += portfolio.requests;
    const { repoName } = await import("../recruit/aggregate.js");
    return candidateRow(target, {
      role: fit.portfolioFit(portfolio, role),
      score: portfolio.score,
      skills: portfolio.skills,
      attributions: portfolio.repos.flatMap((a) => (a.attribution ? [{ repo: repoName(a), attribution: a.attribution }] : [])),
    });
  };

  const rows: ShortlistRow[] = [];
  for (const target of positionals) {
    try {
      rows.push(await withinBudget(budgetMs, () => auditOne(target)));
    } catch (err) {
      rows.push(errorRow(target, errorLine(err)));
    }
  }
  const shortlist = { role: { id: role.id, title: role.title }, candidates: sortShortlist(rows) };
  const color = values.out === undefined && io.isTTY && !io.env.NO_COLOR;
  const text = format === "json" ? renderShortlistJson(shortlist) : format === "markdown" ? renderShortlistMarkdown(shortlist) : renderShortlistText(shortlist, { color });
  output(text, values.out as string | undefined, io);
  if (usedGitHub && !(await gitHub()).client.authenticated) {
    io.stderr("skillproof: no GITHUB_TOKEN or GH_TOKEN: GitHub allows 60 requests an hour without a token (see docs/portfolio.md)\n");
  }
  if (values.verbose && usedGitHub) io.stderr(`skillproof: ${requests} GitHub API request${requests === 1 ? "" : "s"} used\n`);
  return rows.every((r) => r.error !== undefined) ? 2 : 0;
}

/** The report's role section: the pipeline fills it whenever a role is given. */
function fitOf(report: Report): NonNullable<Report["role"]> {
  if (!report.role) throw new Error("the audit returned no role fit");
  return report.role;
}

/** `skillproof roles` lists the shipped roles; `roles test` runs their examples (exit 1 on a failure, each listed). */
async function rolesCommand(args: string[], io: Io): Promise<number> {
  const { positionals } = parse(args, {});
  const roles = shippedRoles();
  if (positionals[0] === "test") {
    if (positionals.length > 1) throw new UsageError("roles test takes no arguments (it runs every role's examples)");
    const outcomes = await runRoleExamples(roles);
    for (const o of outcomes) {
      io.stdout(o.ok ? `✓ ${o.role}: ${printable(o.example)}\n` : `✗ ${o.role}: ${printable(o.example)}: ${printable(o.problems.join("; "))}\n`);
    }
    const failed = outcomes.filter((o) => !o.ok).length;
    io.stdout(`${outcomes.length - failed} passed, ${failed} failed (${outcomes.length} examples of ${new Set(outcomes.map((o) => o.role)).size} roles)\n`);
    return failed > 0 ? 1 : 0;
  }
  if (positionals.length > 0) throw new UsageError(`unknown roles subcommand "${positionals[0]}" (try: skillproof roles test)`);
  const width = Math.max(...roles.roles.map((r) => r.id.length));
  for (const r of roles.roles) io.stdout(`${r.id.padEnd(width)}  ${r.title}\n`);
  io.stdout(`${roles.roles.length} roles\n`);
  return 0;
}
