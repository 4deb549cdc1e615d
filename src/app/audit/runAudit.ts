import type { Logger } from "probot";
import { ConfigError, type AppliedConfig } from "../../config/config.js";
import type { RuleSet } from "../../engine/types.js";
import { auditToReport } from "../../pipeline.js";
import { renderMarkdown } from "../../report/markdown.js";
import type { Report } from "../../report/model.js";
import { printable } from "../../report/printable.js";
import { codeSpan, cutWithin, inlineText, plainText } from "../../report/safeMarkdown.js";
import { EmptyRepositoryError } from "../../sources/github.js";
import type { GitHubTreeClient } from "../../sources/github/client.js";
import { openGitHubSource, type CountedSource } from "../../sources/github/open.js";
import { annotationsFor, checkTitle, conclusionFor, createCompletedCheckRun, MAX_OUTPUT_LENGTH, type CheckOutput } from "../publish/checkRun.js";
import { CONFIG_PATH, loadAuditConfig } from "./config.js";
import { compareReports, deltaLine, renderDelta, signed } from "./delta.js";
import { githubMessage, statusOf, type AppOctokit } from "../github/octokit.js";
import type { KeyedLock } from "../state/types.js";
import { externalId, type AuditRequest, type AuditResult } from "./request.js";
import { MAX_ISSUE_BODY, upsertReportIssue, type IssueOutcome } from "../publish/reportIssue.js";
import { badgeMarkdown } from "../../report/badge.js";
import { pageLinks, type PageLinkSet } from "../pages/links.js";
import type { ReportStore } from "../pages/store/types.js";
import { publishUnfinishedCheckRun, unfinishedOutput, type AuditBudget, type UnfinishedConclusion, type UnfinishedOutput } from "../publish/timedOut.js";

export interface AuditDeps {
  octokit: AppOctokit;
  log: Logger;
  ruleSet: () => RuleSet;
  /** Serialises report-issue writes per repository. */
  issueLock: KeyedLock;
  /**
   * Asked when reading the repository failed (GitHub 5xx, a network error, a
   * bug): true lets the error out of runAudit, with nothing published yet,
   * so a queue that retries can run the job again; false (or absent) turns
   * it into a completed check run that says what happened.
   */
  retry?: (err: unknown) => boolean;
  /** Told of every audit that ends (metrics): its result and how long it took. */
  recordAudit?: (result: AuditResult, seconds: number) => void;
  /**
   * The audit's wall-clock budget. Reading the repository is aborted at its
   * deadline and the engine stops between units of work past it; the audit
   * then ends with a completed "ran out of time" check run, never retried.
   */
  budget?: AuditBudget;
  /** Where a public repository's default-branch audits are kept for the report pages and badges (src/app/pages). */
  reports?: ReportStore;
  /** The app's public address (SKILLPROOF_PUBLIC_URL): with it, check runs and report issues link to the page and offer the badge. */
  publicUrl?: string;
}

export interface AuditOutcome {
  result: AuditResult;
  checkRunId?: number;
  conclusion?: CheckOutput["conclusion"] | UnfinishedConclusion;
  issue?: IssueOutcome | "disabled" | "failed";
  /** Kept for the report pages ("saved"), refused because the repository was made private ("hidden"), or not kept ("failed"). */
  page?: "saved" | "hidden" | "failed";
  score?: number;
  /** Requests the sources made (tarballs, tree listings, GraphQL reads). */
  sourceRequests: number;
}

interface Produced {
  output: CheckOutput | UnfinishedOutput;
  report?: Report;
  config?: AppliedConfig;
}

/**
 * One audit, start to finish. Never throws (unless `deps.retry` asks for an
 * error): whatever goes wrong (bad config, GitHub errors, a bug) ends as a
 * completed check run that says what happened. Writes, each a request in the installation's throttling lane:
 * the check run (one, created completed) and, on the default branch, the
 * report issue when its content changed. Everything else is a read.
 * Logs one line per audit, "skillproof: audit done", with its outcome and
 * duration (the caller's logger adds the delivery, installation and job).
 */
export async function runAudit(deps: AuditDeps, req: AuditRequest): Promise<AuditOutcome> {
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const outcome = await audit(deps, req);
    const duration = seconds();
    deps.recordAudit?.(outcome.result, duration);
    deps.log.info(
      {
        repo: `${req.owner}/${req.repo}`,
        sha: req.sha,
        purpose: req.purpose,
        outcome: outcome.result,
        durationMs: Math.round(duration * 1000),
        conclusion: outcome.conclusion,
        score: outcome.score,
        checkRun: outcome.checkRunId,
        issue: outcome.issue,
        ...(outcome.page ? { page: outcome.page } : {}),
        sourceRequests: outcome.sourceRequests,
      },
      "skillproof: audit done",
    );
    return outcome;
  } catch (err) {
    // Only when deps.retry asked for the error: this run ends here, a later one may report.
    const duration = seconds();
    deps.recordAudit?.("error", duration);
    deps.log.info({ repo: `${req.owner}/${req.repo}`, sha: req.sha, purpose: req.purpose, outcome: "error", durationMs: Math.round(duration * 1000) }, "skillproof: audit done");
    throw err;
  }
}

async function audit(deps: AuditDeps, req: AuditRequest): Promise<AuditOutcome> {
  const { octokit, log } = deps;
  const at = { owner: req.owner, repo: req.repo };
  const outcome: AuditOutcome = { result: "error", sourceRequests: 0 };
  const sources: CountedSource[] = [];
  // Aborts the repository's reads at the deadline (timers of AbortSignal.timeout do not hold the process open).
  const outOfTime = deps.budget ? AbortSignal.timeout(Math.max(0, deps.budget.deadline - Date.now())) : undefined;
  const reader: GitHubTreeClient = outOfTime ? readsUntil(octokit, outOfTime) : octokit;
  const open = (sha: string, ref?: string): CountedSource => {
    const s = openGitHubSource({ octokit: reader, ...at, sha, ...(ref ? { ref } : {}), ...(req.sizeKb !== undefined ? { sizeKb: req.sizeKb } : {}), graphql: true });
    sources.push(s);
    return s;
  };

  let produced: Produced;
  let result: AuditResult = "reported";
  try {
    produced = await withinBudget(produce(deps, req, open), outOfTime);
  } catch (err) {
    if (deps.budget && (outOfTime?.aborted || Date.now() >= deps.budget.deadline)) {
      // Out of time: whatever the last read or rule threw, the answer is the budget, and a retry would run out again.
      log.warn({ err, budgetMs: deps.budget.ms }, `skillproof: audit of ${req.owner}/${req.repo}@${req.sha} ran out of time`);
      produced = { output: unfinishedOutput({ kind: "time", budgetMs: deps.budget.ms }) };
      return await finish(deps, req, outcome, sources, produced, "timed-out");
    }
    const settled = err instanceof ConfigError || err instanceof EmptyRepositoryError;
    result = err instanceof ConfigError ? "invalid-config" : err instanceof EmptyRepositoryError ? "empty" : "error";
    if (!settled && deps.retry?.(err)) {
      log.warn({ err, status: statusOf(err) }, `skillproof: audit of ${req.owner}/${req.repo}@${req.sha} failed, to be retried`);
      throw err;
    }
    produced = { output: failureOutput(err) };
    if (!settled) {
      log.error({ err, status: statusOf(err) }, `skillproof: audit of ${req.owner}/${req.repo}@${req.sha} failed`);
    }
  }
  return finish(deps, req, outcome, sources, produced, result);
}

/** Publishes what the audit produced: the check run, and on the default branch the report issue. */
async function finish(deps: AuditDeps, req: AuditRequest, outcome: AuditOutcome, sources: CountedSource[], produced: Produced, result: AuditResult): Promise<AuditOutcome> {
  const at = { owner: req.owner, repo: req.repo };
  outcome.sourceRequests = sources.reduce((n, s) => n + s.requestCount, 0);
  outcome.conclusion = produced.output.conclusion;
  if (produced.report) outcome.score = produced.report.score;

  // Kept before the check run is published: when the check run shows the score, so do the page and the badge.
  if (servesPage(deps, req) && produced.report) outcome.page = await keepForPages(deps, req, produced.report);
  const checkRunId = await publishCheckRun(deps, { ...at, sha: req.sha, externalId: externalId(req) }, produced.output);
  if (checkRunId !== undefined) outcome.checkRunId = checkRunId;
  // A report nobody can see (GitHub refused its check run) is a failure too.
  outcome.result = checkRunId === undefined ? "error" : result;

  if (req.purpose === "default" && produced.report && produced.config) {
    if (!produced.config.issue) outcome.issue = "disabled";
    else outcome.issue = await writeIssue(deps, req, produced.report);
  }
  return outcome;
}

/**
 * The audit's work, or the budget's end, whichever comes first: a read that
 * ignores the abort (a config file, a slow answer) cannot hold the job past
 * its deadline. The abandoned work ends on its own: its reads are aborted and
 * the engine stops at its next unit of work.
 */
async function withinBudget<T>(work: Promise<T>, outOfTime: AbortSignal | undefined): Promise<T> {
  if (!outOfTime) return work;
  work.catch(() => {});
  if (outOfTime.aborted) throw outOfTime.reason;
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(outOfTime.reason);
    outOfTime.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    outOfTime.removeEventListener("abort", onAbort);
  }
}

/**
 * The installation's client as the repository's sources use it, with every
 * read aborted when `signal` fires (the tarball's own timeout still holds).
 */
function readsUntil(octokit: AppOctokit, signal: AbortSignal): GitHubTreeClient {
  const until = (own?: AbortSignal): AbortSignal => (own ? AbortSignal.any([own, signal]) : signal);
  return {
    request: (route, params) => octokit.request(route, { ...params, request: { ...params.request, signal: until(params.request.signal) } }),
    rest: {
      git: {
        getTree: (params) => octokit.rest.git.getTree({ ...params, request: { signal } }),
        getBlob: (params) => octokit.rest.git.getBlob({ ...params, request: { signal } }),
      },
    },
    graphql: (query, variables) => octokit.graphql(query, { ...variables, request: { signal } }),
  };
}

async function produce(deps: AuditDeps, req: AuditRequest, newSource: (sha: string, ref?: string) => CountedSource): Promise<Produced> {
  const ruleSet = deps.ruleSet();
  const head = newSource(req.sha, req.ref);
  // A fork's head is its author's to write: its config comes from the base commit, whose source the delta reuses.
  const baseSource = req.purpose === "pull" && req.pull?.fork ? newSource(req.pull.baseSha) : undefined;
  const config = await loadAuditConfig(baseSource ?? head, deps.octokit, req.owner, req.repo, ruleSet.rules.map((r) => r.id));
  // The engine stops between units of work once past the deadline (AuditTimeoutError).
  const bounds = deps.budget ? { deadline: deps.budget.deadline, budgetMs: deps.budget.ms } : {};
  const report = await auditToReport(head, ruleSet, config, bounds);
  const conclusion = conclusionFor(report);
  const annotations = annotationsFor(report);

  if (req.purpose !== "pull" || !req.pull) {
    const links = pageLinksFor(deps, req);
    const top = links ? pageLine(links) : "";
    const summary = top + renderMarkdown(report, { maxLength: MAX_OUTPUT_LENGTH - top.length, heading: false });
    return { output: { conclusion, title: checkTitle(report), summary, annotations, ...(links ? { detailsUrl: links.page } : {}) }, report, config };
  }

  // The base is audited with the head's config (a fork's: the base's), so the delta shows what the change did, not a config difference.
  let base: Report | undefined;
  let baseProblem: string | undefined;
  try {
    base = await auditToReport(baseSource ?? newSource(req.pull.baseSha), ruleSet, config, bounds);
  } catch (err) {
    if (deps.budget && Date.now() >= deps.budget.deadline) throw err; // out of time: the whole audit is
    // GitHub's message, or a source's error naming a file of the base: escaped, since it is put in Markdown.
    baseProblem = err instanceof EmptyRepositoryError ? "the base commit is empty" : `the base commit could not be audited (${inlineText(githubMessage(err))})`;
    deps.log.warn({ err }, `skillproof: base ${req.pull.baseSha} of pull request #${req.pull.number}`);
  }
  if (!base) {
    const note = `_No comparison with the base branch: ${baseProblem}._\n\n---\n\n`;
    const summary = note + renderMarkdown(report, { maxLength: MAX_OUTPUT_LENGTH - note.length, heading: false });
    return { output: { conclusion, title: checkTitle(report), summary, annotations }, report, config };
  }
  const delta = compareReports(base, report);
  const top = renderDelta(delta, base);
  const summary = top + renderMarkdown(report, { maxLength: MAX_OUTPUT_LENGTH - top.length, heading: false });
  return {
    output: { conclusion, title: checkTitle(report, ` (${signed(delta.change)})`), summary, text: `${deltaLine(delta)}\n`, annotations },
    report,
    config,
  };
}

/**
 * What the check run says when there is no report. A config error's file is
 * named by the repository (`_extends`) and its problem quotes the config's
 * keys and values, so both are escaped; so is any error's message, which may
 * name a file of the repository.
 */
export function failureOutput(err: unknown): CheckOutput {
  if (err instanceof ConfigError) {
    const place = err.line ? `${err.file}:${err.line}${err.column ? `:${err.column}` : ""}` : err.file;
    return {
      conclusion: "failure",
      title: `Invalid config: ${plainText(place)}`,
      summary:
        `Skillproof did not audit this commit because its configuration is invalid.\n\n` +
        `- **File:** ${codeSpan(err.file)}\n` +
        (err.line ? `- **Line:** ${err.line}${err.column ? `, column ${err.column}` : ""}\n` : "") +
        `- **Problem:** ${inlineText(err.problem)}\n\n` +
        `Fix the file and push again (the format is described in the skillproof README), or use **Re-run audit** after fixing an org-wide config.\n`,
      // The repository's own file can be annotated on the offending line.
      annotations:
        err.file === CONFIG_PATH && err.line
          ? [{ path: CONFIG_PATH, start_line: err.line, end_line: err.line, annotation_level: "failure", title: "Invalid skillproof config", message: plainText(err.problem) }]
          : [],
    };
  }
  if (err instanceof EmptyRepositoryError) {
    return {
      conclusion: "neutral",
      title: "Empty repository: nothing to audit",
      summary: "This commit has no files, so there is no evidence to audit yet. Push some code and Skillproof will audit it.\n",
    };
  }
  const status = statusOf(err);
  const hint =
    status === 403 || status === 429
      ? "GitHub refused the request: the app may lack a permission on this repository, or hit a rate limit."
      : status === 404
        ? "GitHub could not find the commit or repository: it may have been deleted or force-pushed away, or the app uninstalled."
        : status !== undefined && status >= 500
          ? "GitHub had a temporary problem."
          : "Skillproof hit an internal error.";
  const detail = cutWithin(`${status !== undefined ? `GitHub answered ${status}: ` : ""}${githubMessage(err)}`, 2000);
  return {
    conclusion: "neutral",
    title: status !== undefined ? `Audit could not run (GitHub answered ${status})` : "Audit could not run (internal error)",
    summary: `${hint}\n\n${codeBlock(detail)}\n\nUse **Re-run audit** to try again.\n`,
  };
}

/**
 * `text` as a fenced code block that nothing in it can close (the fence is
 * longer than any run of backticks inside), each line without control
 * characters (a carriage return would end a line the fence does not see).
 */
function codeBlock(text: string): string {
  const lines = text.split("\n").map(printable);
  const longest = Math.max(0, ...lines.flatMap((l) => l.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}\n${lines.join("\n")}\n${fence}`;
}

/**
 * Creates the completed check run. If GitHub rejects the full output, one
 * more request publishes a short one, so the commit still shows a result and
 * a re-run button. Without the checks permission (403) or with the commit
 * gone (404) there is nothing to retry: the issue can still be kept current.
 */
async function publishCheckRun(deps: AuditDeps, at: { owner: string; repo: string; sha: string; externalId: string }, output: CheckOutput | UnfinishedOutput): Promise<number | undefined> {
  try {
    return output.conclusion === "timed_out" ? await publishUnfinishedCheckRun(deps.octokit, at, output as UnfinishedOutput) : await createCompletedCheckRun(deps.octokit, at, output as CheckOutput);
  } catch (err) {
    const status = statusOf(err);
    if (status === 403 || status === 404) {
      deps.log.warn({ err, status }, `skillproof: cannot create check run on ${at.owner}/${at.repo}@${at.sha}`);
      return undefined;
    }
    deps.log.error({ err, status }, `skillproof: GitHub rejected the check run of ${at.owner}/${at.repo}@${at.sha}`);
    try {
      return await createCompletedCheckRun(deps.octokit, at, {
        conclusion: "neutral",
        title: "Audit report could not be shown",
        summary: `GitHub rejected the report (${inlineText(cutWithin(githubMessage(err), 500))}). Use **Re-run audit** to try again.\n`,
      });
    } catch (again) {
      deps.log.error({ err: again }, `skillproof: no check run for ${at.owner}/${at.repo}@${at.sha}`);
      return undefined;
    }
  }
}

async function writeIssue(deps: AuditDeps, req: AuditRequest, report: Report): Promise<IssueOutcome | "failed"> {
  const at = { owner: req.owner, repo: req.repo };
  try {
    return await deps.issueLock.run(`${req.owner}/${req.repo}`.toLowerCase(), async () => {
      const date = req.commitDate ?? (await commitDate(deps.octokit, at, req.sha));
      const links = pageLinksFor(deps, req);
      const share = links ? shareSection(links) : "";
      const markdown = share + renderMarkdown(report, { maxLength: MAX_ISSUE_BODY - 120 - share.length, chart: true });
      const { outcome, number } = await upsertReportIssue(deps.octokit, at, { sha: req.sha, at: normaliseDate(date) }, markdown);
      deps.log.info({ repo: `${req.owner}/${req.repo}`, issue: number, outcome }, "skillproof: report issue");
      return outcome;
    });
  } catch (err) {
    deps.log.error({ err, status: statusOf(err) }, `skillproof: cannot write the report issue of ${req.owner}/${req.repo}`);
    return "failed";
  }
}

async function commitDate(octokit: AppOctokit, at: { owner: string; repo: string }, sha: string): Promise<string> {
  const { data } = await octokit.rest.git.getCommit({ ...at, commit_sha: sha });
  return data.committer.date;
}

/** Marker dates in UTC ISO form; an unparseable date is kept as is (and never blocks an update). */
function normaliseDate(date: string): string {
  const t = Date.parse(date);
  return Number.isFinite(t) ? new Date(t).toISOString() : date.replace(/\s/g, "");
}

/** A default-branch audit of a repository GitHub says is public, with a store to keep it in: the only audits the pages show. */
function servesPage(deps: AuditDeps, req: AuditRequest): boolean {
  return req.purpose === "default" && req.public === true && deps.reports !== undefined;
}

/** The page's and badge's addresses, when the audit is kept for the pages and the app knows its public address. */
function pageLinksFor(deps: AuditDeps, req: AuditRequest): PageLinkSet | undefined {
  return servesPage(deps, req) && deps.publicUrl ? pageLinks(deps.publicUrl, req.owner, req.repo) : undefined;
}

/** The check run's first line: where the always-current report lives. */
function pageLine(links: PageLinkSet): string {
  return `**[Report page](${links.page})** · [badge](${links.badgeSvg}) · always the default branch's latest audit\n\n---\n\n`;
}

/** The report issue's first section: the page, and the badge's Markdown for a README or a CV. */
function shareSection(links: PageLinkSet): string {
  return (
    `**Share it:** the [report page](${links.page}) always shows the default branch's latest audit. ` +
    `Put the live badge in a README or a CV:\n\n${badgeMarkdown(links.badgeSvg, links.page)}\n\n` +
    "```markdown\n" +
    `${badgeMarkdown(links.badgeSvg, links.page)}\n` +
    "```\n\n---\n\n"
  );
}

/** Keeps the audit for the report pages; a store that fails costs the page its update, never the check run. */
async function keepForPages(deps: AuditDeps, req: AuditRequest, report: Report): Promise<"saved" | "hidden" | "failed"> {
  try {
    const saved = await deps.reports!.save({
      owner: req.owner,
      repo: req.repo,
      defaultBranch: (req.ref ?? "").replace(/^refs\/heads\//, "") || "main",
      commit: req.sha,
      auditedAt: new Date().toISOString(),
      ...(req.commitDate ? { committedAt: normaliseDate(req.commitDate) } : {}),
      ...(req.fork ? { fork: true } : {}),
      report,
    });
    return saved ? "saved" : "hidden";
  } catch (err) {
    deps.log.error({ err }, `skillproof: cannot keep the audit of ${req.owner}/${req.repo} for its report page`);
    return "failed";
  }
}
