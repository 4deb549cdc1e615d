/**
 * The addresses of a repository's page and badges, as the HTTP handler
 * serves them and as check runs and report issues link to them. Owner and
 * repository names are GitHub's ([A-Za-z0-9._-]); they are still encoded.
 */
export interface RepoLinks {
  page: string;
  badgeSvg: string;
  badgeJson: string;
  historySvg: string;
  portfolio: string;
}

export function repoLinks(base: string, owner: string, repo: string): RepoLinks {
  const o = encodeURIComponent(owner);
  const r = encodeURIComponent(repo);
  return {
    page: `${base}/r/${o}/${r}`,
    badgeSvg: `${base}/badge/${o}/${r}.svg`,
    badgeJson: `${base}/badge/${o}/${r}.json`,
    historySvg: `${base}/r/${o}/${r}/history.svg`,
    portfolio: `${base}/u/${o}`,
  };
}

/** The Markdown a candidate puts in a README or a CV: the live badge, linking to the report page. */
export function badgeMarkdown(links: Pick<RepoLinks, "page" | "badgeSvg">): string {
  return `[![skillproof](${links.badgeSvg})](${links.page})`;
}
