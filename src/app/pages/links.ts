/**
 * The addresses of a repository's page and badges on this app (the report's links to
 * GitHub are src/report/html/urls.ts), as the HTTP handler
 * serves them and as check runs and report issues link to them. Owner and
 * repository names are GitHub's ([A-Za-z0-9._-]); they are still encoded.
 */
export interface PageLinkSet {
  page: string;
  badgeSvg: string;
  badgeJson: string;
  historySvg: string;
  portfolio: string;
}

export function pageLinks(base: string, owner: string, repo: string): PageLinkSet {
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
