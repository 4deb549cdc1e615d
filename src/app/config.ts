import { ConfigError, DEFAULT_CONFIG, parseConfig, type AppliedConfig } from "../config/config.js";
import type { Source } from "../sources/source.js";
import { statusOf, type AppOctokit } from "./octokit.js";

export const CONFIG_PATH = ".github/skillproof.yml";

/**
 * The config an audit runs with, read as raw text so that a mistake is
 * reported with its file, line and column (Probot's `context.config` would
 * only say "invalid YAML", and reads the default branch rather than the
 * audited commit):
 *
 * 1. `.github/skillproof.yml` in the audited commit itself, read through the
 *    audit's own source: the listing is shared with the audit, so a repository
 *    without the file pays no request, and a pull request that edits the
 *    config is audited with its edit;
 * 2. else `.github/skillproof.yml` on the default branch of the owner's
 *    `.github` repository (the org-wide default, as Probot apps do);
 * 3. else the defaults.
 *
 * `_extends` is not supported: the config schema rejects unknown keys, so it
 * fails loudly instead of being silently ignored. Throws ConfigError.
 */
export async function loadAuditConfig(
  source: Source,
  octokit: AppOctokit,
  owner: string,
  repo: string,
  ruleIds: readonly string[],
): Promise<AppliedConfig> {
  const files = await source.listFiles();
  if (files.some((f) => f.path === CONFIG_PATH)) {
    const [content] = await source.readFiles([CONFIG_PATH]);
    if (!content || !("text" in content)) {
      const why = content && "skipped" in content ? content.skipped : "unreadable";
      throw new ConfigError(CONFIG_PATH, `cannot be read (${why})`);
    }
    return parseConfig(content.text, CONFIG_PATH, ruleIds);
  }
  if (repo === ".github") return DEFAULT_CONFIG;
  const text = await orgConfigText(octokit, owner);
  return text === undefined ? DEFAULT_CONFIG : parseConfig(text, `${owner}/.github:${CONFIG_PATH}`, ruleIds);
}

/** The org-wide config's text, or undefined when there is none (or the app cannot see the `.github` repository). */
async function orgConfigText(octokit: AppOctokit, owner: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ owner, repo: ".github", path: CONFIG_PATH, mediaType: { format: "raw" } });
    if (typeof data !== "string") throw new ConfigError(`${owner}/.github:${CONFIG_PATH}`, "is not a file");
    return data;
  } catch (err) {
    // 404: no .github repository or no file; 403: the installation does not cover it.
    const status = statusOf(err);
    if (status === 404 || status === 403) return undefined;
    throw err;
  }
}
