import { wholeLinesWithin } from "../../report/safeMarkdown.js";
import type { AppOctokit } from "../github/octokit.js";
import { statusOf } from "../github/octokit.js";
import { ISSUE_LABEL, listLabelledIssues, MAX_ISSUE_BODY } from "./reportIssue.js";

/** One shortlist issue per role in the hiring repository, as portfolio issues are one per user. */
export function shortlistTitle(roleId: string): string {
  return `Skillproof shortlist: ${roleId}`;
}

/** Hidden in the body, first, so trimming never cuts it. Role ids are lower case (parse.ts). */
export function shortlistMarker(roleId: string): string {
  return `<!-- skillproof:shortlist=${roleId.toLowerCase()} -->`;
}

/** The marker, then the table within GitHub's limit, cut at whole lines if at all. */
export function shortlistBody(roleId: string, markdown: string): string {
  const head = `${shortlistMarker(roleId)}\n`;
  return head + wholeLinesWithin(markdown, MAX_ISSUE_BODY - head.length);
}

export interface ShortlistIssue {
  number: number;
  url: string;
  outcome: "created" | "updated" | "unchanged";
}

/**
 * Creates or updates the one shortlist issue of `roleId` in the repository
 * where the command was typed. Recognised by title, a bot author and the
 * marker together (and the `skillproof` label, which lists it): a person's
 * issue with the same title is never taken for it. The caller serialises
 * calls per repository and role.
 */
export async function upsertShortlistIssue(octokit: AppOctokit, at: { owner: string; repo: string }, roleId: string, markdown: string): Promise<ShortlistIssue> {
  const title = shortlistTitle(roleId);
  const body = shortlistBody(roleId, markdown);
  const issues = await listLabelledIssues(octokit, at);
  const marker = shortlistMarker(roleId);
  const existing = issues.find((i) => !i.pull_request && i.user?.type === "Bot" && i.title.toLowerCase() === title.toLowerCase() && (i.body ?? "").startsWith(marker));
  if (existing) {
    if (existing.body === body && existing.title === title) return { number: existing.number, url: existing.html_url, outcome: "unchanged" };
    await octokit.rest.issues.update({ ...at, issue_number: existing.number, title, body });
    return { number: existing.number, url: existing.html_url, outcome: "updated" };
  }
  try {
    await octokit.rest.issues.createLabel({ ...at, name: ISSUE_LABEL, color: "5319e7", description: "Skills report kept up to date by the Skillproof app" });
  } catch (err) {
    // 422 already_exists: the report issue or a portfolio made it.
    if (statusOf(err) !== 422) throw err;
  }
  const { data } = await octokit.rest.issues.create({ ...at, title, body, labels: [ISSUE_LABEL] });
  return { number: data.number, url: data.html_url, outcome: "created" };
}
