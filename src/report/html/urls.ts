import { urlSegment } from "../safeMarkdown.js";

/**
 * Links of the report pages. Repository values (owner, repository, commit,
 * file path) only ever enter a URL as percent-encoded path segments, so none
 * can add a path, a query or a fragment, let alone a scheme; `checkedHref`
 * guards the URLs the app hands in.
 */

// eslint-disable-next-line no-control-regex -- browsers drop these inside a URL, which could hide a scheme
const CONTROL_OR_SPACE = /[\x00-\x20\x7f]/;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * `url` when it is an http(s) URL or a path (absolute or relative); throws
 * otherwise. Only the app's own URLs come here: a `javascript:` one would be
 * a bug worth a loud failure, not a page that runs it.
 */
export function checkedHref(url: string): string {
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (CONTROL_OR_SPACE.test(url) || (scheme !== undefined && scheme !== "http" && scheme !== "https")) {
    throw new Error(`unsafe link for a report page: ${JSON.stringify(url)}`);
  }
  return url;
}

/** Links into one repository on GitHub (or a GitHub Enterprise host) at the audited commit. */
export interface RepoLinks {
  repo: string;
  commit: (sha: string) => string;
  /** A file, and a line of it, at the audited commit: a permalink. */
  blob: (path: string, line?: number) => string;
}

export function repoLinks(githubUrl: string, owner: string, repo: string, auditedCommit: string): RepoLinks {
  const base = `${checkedHref(githubUrl).replace(/\/+$/, "")}/${urlSegment(owner)}/${urlSegment(repo)}`;
  return {
    repo: base,
    commit: (sha) => `${base}/commit/${urlSegment(sha)}`,
    blob: (path, line) => {
      const anchor = line !== undefined && Number.isInteger(line) && line > 0 ? `#L${line}` : "";
      return `${base}/blob/${urlSegment(auditedCommit)}/${path.split("/").map(urlSegment).join("/")}${anchor}`;
    },
  };
}
