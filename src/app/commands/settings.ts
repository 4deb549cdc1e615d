import { ConfigError, parseConfig } from "../../config/config.js";
import type { RuleSet } from "../../engine/types.js";
import { CONFIG_PATH } from "../audit/config.js";
import { statusOf, type AppOctokit } from "../github/octokit.js";

/**
 * `portfolio.maxRepos` from `.github/skillproof.yml` on the default branch of
 * the repository where the command was typed (one request; only asked when
 * the command has no `--max-repos`). No file: undefined, the audit's default.
 * Only this file's own keys count (`_extends` is not followed here: the
 * setting is the hiring repository's, not an inherited audit setting).
 * An invalid file throws ConfigError with its line and column.
 */
export async function configuredMaxRepos(octokit: AppOctokit, at: { owner: string; repo: string }, ruleSet: RuleSet): Promise<number | undefined> {
  let text: string;
  try {
    const { data } = await octokit.rest.repos.getContent({ ...at, path: CONFIG_PATH, mediaType: { format: "raw" } });
    if (typeof data !== "string") return undefined;
    text = data;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
  const config = parseConfig(text, CONFIG_PATH, ruleSet.rules.map((r) => r.id));
  return config.portfolio?.maxRepos;
}

export { ConfigError };
