import { ConfigError, MAX_CONFIG_BYTES, parseConfig, type AppliedConfig } from "../../config/config.js";
import type { RuleSet } from "../../engine/types.js";
import { loadBuiltinRoles } from "../../roles/index.js";
import type { Role, RoleSet } from "../../roles/types.js";
import { CONFIG_PATH, fetchConfigText } from "../audit/config.js";
import type { AppOctokit } from "../github/octokit.js";

/**
 * `.github/skillproof.yml` on the default branch of the repository where the
 * command was typed (one request). No file: undefined. Only this file's own
 * keys count (`_extends` is not followed here: its settings are the hiring
 * repository's, not an inherited audit setting). An invalid file throws
 * ConfigError with its line and column. The file is read through the
 * contents API's JSON, whose `size` is checked before any content is
 * decoded: a hiring repository's config is capped like any other.
 */
export async function hiringConfig(octokit: AppOctokit, at: { owner: string; repo: string }, ruleSet: RuleSet): Promise<AppliedConfig | undefined> {
  const text = await fetchConfigText(octokit, at.owner, at.repo, CONFIG_PATH);
  if (text === "unreadable") return undefined;
  if (text === "too-large") throw new ConfigError(CONFIG_PATH, `larger than ${MAX_CONFIG_BYTES / 1024} KiB`);
  return parseConfig(text, CONFIG_PATH, ruleSet.rules.map((r) => r.id));
}

/**
 * `portfolio.maxRepos` from the hiring repository's config (only asked when
 * the command has no `--max-repos`); undefined: the audit's default.
 */
export async function configuredMaxRepos(octokit: AppOctokit, at: { owner: string; repo: string }, ruleSet: RuleSet): Promise<number | undefined> {
  return (await hiringConfig(octokit, at, ruleSet))?.portfolio?.maxRepos;
}

/** A `--role` id no shipped role and no `roles:` entry of the hiring repository's config has. */
export class UnknownRoleError extends Error {
  constructor(id: string, known: string[]) {
    super(`there is no role "${id}" (known: ${known.join(", ")}; a repository may define more under roles: in .github/skillproof.yml).`);
    this.name = "UnknownRoleError";
  }
}

/** The shipped roles, loaded once per rule set (schema-checked YAML). */
const shipped = new WeakMap<RuleSet, RoleSet>();

/**
 * The role a command's `--role` names: one of the hiring repository's own
 * `roles:` first (so it may redefine a shipped one), then a shipped role.
 * Only ids: a comment never names a file on the app's disk.
 */
export function findRole(id: string, ruleSet: RuleSet, configRoles: readonly Role[]): Role {
  let roles = shipped.get(ruleSet);
  if (!roles) shipped.set(ruleSet, (roles = loadBuiltinRoles(ruleSet)));
  const role = configRoles.find((r) => r.id === id) ?? roles.byId.get(id);
  if (role) return role;
  throw new UnknownRoleError(id, [...new Set([...configRoles.map((r) => r.id), ...roles.roles.map((r) => r.id)])].sort());
}

export { ConfigError };
