import { configKeys, ConfigError, DEFAULT_CONFIG, mergeConfigs, parseConfig, type AppliedConfig } from "../../config/config.js";
import type { Source } from "../../sources/source.js";
import { statusOf, type AppOctokit } from "../github/octokit.js";

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
 * `_extends: repo`, `owner/repo` or `owner/repo:path` inherits another
 * repository's config (default branch), as Probot's `context.config` does:
 * the local keys win, `weights` merge. Throws ConfigError.
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
    return withExtends(parseConfig(content.text, CONFIG_PATH, ruleIds), content.text, octokit, owner, ruleIds, 0);
  }
  if (repo === ".github") return DEFAULT_CONFIG;
  const text = await orgConfigText(octokit, owner, ".github", CONFIG_PATH);
  if (text === undefined) return DEFAULT_CONFIG;
  return withExtends(parseConfig(text, `${owner}/.github:${CONFIG_PATH}`, ruleIds), text, octokit, owner, ruleIds, 0);
}

/** Resolves `_extends` (a chain of at most three), merging each base under the config that names it. */
async function withExtends(
  config: AppliedConfig,
  text: string,
  octokit: AppOctokit,
  owner: string,
  ruleIds: readonly string[],
  depth: number,
): Promise<AppliedConfig> {
  if (!config.extends) return config;
  const where = config.source ?? CONFIG_PATH;
  if (depth >= 3) throw new ConfigError(where, "_extends: too many levels (at most 3)");
  const m = /^(?:([\w.-]+)\/)?([\w.-]+)(?::(.+))?$/.exec(config.extends);
  if (!m) throw new ConfigError(where, `_extends: "${config.extends}" is not "repo", "owner/repo" or "owner/repo:path"`);
  const [baseOwner, baseRepo, basePath] = [m[1] ?? owner, m[2]!, m[3] ?? CONFIG_PATH];
  const baseText = await orgConfigText(octokit, baseOwner, baseRepo, basePath);
  if (baseText === undefined) throw new ConfigError(where, `_extends: ${baseOwner}/${baseRepo}:${basePath} was not found or is not readable by the app`);
  const base = await withExtends(parseConfig(baseText, `${baseOwner}/${baseRepo}:${basePath}`, ruleIds), baseText, octokit, baseOwner, ruleIds, depth + 1);
  return mergeConfigs(base, config, configKeys(text));
}

/** A config file's text on another repository's default branch, or undefined when it is absent (or the app cannot see it). */
async function orgConfigText(octokit: AppOctokit, owner: string, repo: string, path: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ owner, repo, path, mediaType: { format: "raw" } });
    if (typeof data !== "string") throw new ConfigError(`${owner}/${repo}:${path}`, "is not a file");
    return data;
  } catch (err) {
    // 404: no .github repository or no file; 403: the installation does not cover it.
    const status = statusOf(err);
    if (status === 404 || status === 403) return undefined;
    throw err;
  }
}
