import { ConfigError, MAX_CONFIG_BYTES, parseConfig } from "../../config/config.js";
import type { RuleSet } from "../../engine/types.js";
import { CONFIG_PATH, fetchConfigText } from "../audit/config.js";
import type { AppOctokit } from "../github/octokit.js";

/**
 * `portfolio.maxRepos` from `.github/skillproof.yml` on the default branch of
 * the repository where the command was typed (one request; only asked when
 * the command has no `--max-repos`). No file: undefined, the audit's default.
 * Only this file's own keys count (`_extends` is not followed here: the
 * setting is the hiring repository's, not an inherited audit setting).
 * An invalid file throws ConfigError with its line and column. The file is
 * read through the contents API's JSON, whose `size` is checked before any
 * content is decoded: a hiring repository's config is capped like any other.
 */
export async function configuredMaxRepos(octokit: AppOctokit, at: { owner: string; repo: string }, ruleSet: RuleSet): Promise<number | undefined> {
  const text = await fetchConfigText(octokit, at.owner, at.repo, CONFIG_PATH);
  if (text === "unreadable") return undefined;
  if (text === "too-large") throw new ConfigError(CONFIG_PATH, `larger than ${MAX_CONFIG_BYTES / 1024} KiB`);
  const config = parseConfig(text, CONFIG_PATH, ruleSet.rules.map((r) => r.id));
  return config.portfolio?.maxRepos;
}

export { ConfigError };
