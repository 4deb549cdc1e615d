/** What `skillproof audit <arg>` names on GitHub, when it is not a local directory. */
export type GitHubTarget = { kind: "repo"; owner: string; repo: string; ref?: string } | { kind: "user"; user: string };

/**
 * "@user", "owner/repo", "owner/repo@ref" or a github.com URL of a user or
 * repository; undefined for anything else (then it is taken as a path).
 * Names are checked later, with the API's own error sentences.
 */
export function parseGitHubTarget(arg: string): GitHubTarget | undefined {
  const s = arg.replace(/^https?:\/\/(www\.)?github\.com\//, "").replace(/(\.git)?\/*$/, "");
  if (s.startsWith("@")) return { kind: "user", user: s.slice(1) };
  if (s !== arg && !s.includes("/")) return { kind: "user", user: s };
  // Only characters GitHub allows in names: "./build" or "C:/x" stay paths.
  const m = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)(?:@(.+))?$/.exec(s);
  if (!m) return undefined;
  return { kind: "repo", owner: m[1]!, repo: m[2]!, ...(m[3] !== undefined ? { ref: m[3] } : {}) };
}
