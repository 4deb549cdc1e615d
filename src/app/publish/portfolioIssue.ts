import { wholeLinesWithin } from "../../report/safeMarkdown.js";
import type { AppOctokit } from "../github/octokit.js";
import { statusOf } from "../github/octokit.js";
import { ISSUE_LABEL, listLabelledIssues, MAX_ISSUE_BODY } from "./reportIssue.js";

export function portfolioTitle(user: string): string {
  return `Skillproof portfolio: @${user}`;
}

/** Hidden in the body, first, so trimming never cuts it; GitHub user names are case-insensitive. */
export function portfolioMarker(user: string): string {
  return `<!-- skillproof:portfolio=${user.toLowerCase()} -->`;
}

/** The marker, then the report within GitHub's limit: cut at whole lines if at all (see issueBody). */
export function portfolioBody(user: string, markdown: string): string {
  const head = `${portfolioMarker(user)}\n`;
  return head + wholeLinesWithin(markdown, MAX_ISSUE_BODY - head.length);
}

/** Room the renderer has for the report inside an issue body. */
export function portfolioRoom(user: string): number {
  return MAX_ISSUE_BODY - portfolioMarker(user).length - 1;
}

export interface PortfolioIssue {
  number: number;
  url: string;
  outcome: "created" | "updated" | "unchanged";
}

/**
 * Creates or updates the one portfolio issue of `user` in the repository where
 * the command was typed. It carries the `skillproof` label (so one listing of
 * labelled issues finds it, as it finds the report issue) and is recognised by
 * title, a bot author and the marker together: a person's issue with the same
 * title, or the report issue with the same label, is never taken for it.
 * The caller serialises calls per repository and user.
 */
export async function upsertPortfolioIssue(octokit: AppOctokit, at: { owner: string; repo: string }, user: string, markdown: string): Promise<PortfolioIssue> {
  const title = portfolioTitle(user);
  const body = portfolioBody(user, markdown);
  const existing = await findPortfolioIssue(octokit, at, user);
  if (existing) {
    if (existing.body === body && existing.title === title) return { number: existing.number, url: existing.html_url, outcome: "unchanged" };
    await octokit.rest.issues.update({ ...at, issue_number: existing.number, title, body });
    return { number: existing.number, url: existing.html_url, outcome: "updated" };
  }
  await ensureLabel(octokit, at);
  const { data } = await octokit.rest.issues.create({ ...at, title, body, labels: [ISSUE_LABEL] });
  return { number: data.number, url: data.html_url, outcome: "created" };
}

async function findPortfolioIssue(octokit: AppOctokit, at: { owner: string; repo: string }, user: string) {
  const issues = await listLabelledIssues(octokit, at);
  const title = portfolioTitle(user).toLowerCase();
  const marker = portfolioMarker(user);
  return issues.find(
    (i) => !i.pull_request && i.user?.type === "Bot" && i.title.toLowerCase() === title && (i.body ?? "").startsWith(marker),
  );
}

async function ensureLabel(octokit: AppOctokit, at: { owner: string; repo: string }): Promise<void> {
  try {
    await octokit.rest.issues.createLabel({ ...at, name: ISSUE_LABEL, color: "5319e7", description: "Skills report kept up to date by the Skillproof app" });
  } catch (err) {
    // 422 already_exists: the report issue (or an earlier portfolio) made it.
    if (statusOf(err) !== 422) throw err;
  }
}
