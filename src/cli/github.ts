import { createRequire } from "node:module";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import type { RecruitOctokit } from "../recruit/index.js";

const pkg = createRequire(import.meta.url)("../../package.json") as { version: string };

/** What the CLI reads GitHub with: the token decides whether GraphQL is used. */
export interface GitHubClient {
  octokit: RecruitOctokit;
  authenticated: boolean;
}

/** Retries of a failed request (5xx, network): waits 1 s, then 4 s, before giving up. */
const RETRIES = 2;

/**
 * @octokit/rest with the throttling and retry plugins, as the CLI uses it:
 * token from GITHUB_TOKEN or GH_TOKEN (none: public repositories only, 60
 * requests an hour), GITHUB_API_URL for GitHub Enterprise Server. An
 * exhausted rate limit is not waited out: the CLI says when it resets.
 */
export function gitHubClient(env: NodeJS.ProcessEnv): GitHubClient {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN || undefined;
  const baseUrl = (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");
  const RestWithPlugins = Octokit.plugin(throttling, retry);
  const octokit = new RestWithPlugins({
    ...(token ? { auth: token } : {}),
    baseUrl,
    userAgent: `skillproof/${pkg.version}`,
    retry: { retries: RETRIES },
    throttle: {
      // A primary limit resets within the hour: better to say when than to hang.
      onRateLimit: () => false,
      // A secondary limit asks for a short pause: wait once.
      onSecondaryRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < 1 && retryAfter <= 60,
    },
    // Octokit's own console warnings (deprecations) would break "one line on stderr".
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  return { octokit: octokit as unknown as RecruitOctokit, authenticated: Boolean(token) };
}

/** A one-line progress bar on stderr, redrawn in place (only used when stderr is a TTY). */
export function progressBar(write: (s: string) => void, label: string): { update(done: number, total: number, repo: string): void; clear(): void } {
  let drawn = false;
  return {
    update(done, total, repo) {
      const width = 20;
      const full = total > 0 ? Math.round((done / total) * width) : 0;
      write(`\r\x1b[2K${label} [${"█".repeat(full)}${"░".repeat(width - full)}] ${done}/${total} ${repo}`);
      drawn = true;
    },
    clear() {
      if (drawn) write("\r\x1b[2K");
      drawn = false;
    },
  };
}
