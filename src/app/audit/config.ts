import { ConfigError, configTooLarge, DEFAULT_CONFIG, MAX_CONFIG_BYTES, mergeConfigs, parseConfigFile, type AppliedConfig } from "../../config/config.js";
import type { Source } from "../../sources/source.js";
import { statusOf, type AppOctokit } from "../github/octokit.js";

export const CONFIG_PATH = ".github/skillproof.yml";

/** The only files `_extends` may name: a repository's own config, under either YAML extension. */
export const EXTENDS_PATHS: readonly string[] = [CONFIG_PATH, ".github/skillproof.yaml"];

/** `_extends` chains stop here: the audited file's base, its base, and one more. */
const MAX_EXTENDS_DEPTH = 3;

/** GitHub's names: an owner is letters, digits and single hyphens; a repository letters, digits, `.`, `_`, `-` (never `.` or `..`). */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^(?!\.{1,2}$)[\w.-]{1,100}$/;

/**
 * The config an audit runs with, read as raw text so that a mistake is
 * reported with its file, line and column (Probot's `context.config` would
 * only say "invalid YAML", and reads the default branch rather than the
 * audited commit):
 *
 * 1. `.github/skillproof.yml` in `source`'s commit, read through the audit's
 *    own source: the listing is shared with the audit, so a repository
 *    without the file pays no request. That commit is the audited one, except
 *    for a pull request from a fork, whose config comes from its base commit
 *    (the caller picks the source; see docs/adr/0002);
 * 2. else `.github/skillproof.yml` on the default branch of the owner's
 *    `.github` repository (the org-wide default, as Probot apps do);
 * 3. else the defaults.
 *
 * `_extends: repo` or `owner/repo` (the same owner), optionally with
 * `:.github/skillproof.yml` or `:.github/skillproof.yaml`, inherits that
 * repository's config (default branch): the local keys win, `weights` merge.
 * Nothing else can be extended, so a config cannot make the app read an
 * arbitrary file of a repository it can see. Each file is at most
 * MAX_CONFIG_BYTES, checked before it is downloaded, and parsed once.
 *
 * Throws ConfigError. Errors about the audited file (and the org-wide
 * default) keep their detail; errors about an extended file name it and say
 * only "not valid" or "cannot be read", never its content, and a missing file
 * reads the same as one the app may not read.
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
    return withExtends(parseConfigFile(content.text, CONFIG_PATH, ruleIds), { octokit, owner, ruleIds });
  }
  if (repo === ".github") return DEFAULT_CONFIG;
  const orgFile = `${owner}/.github:${CONFIG_PATH}`;
  const text = await fetchConfigText(octokit, owner, ".github", CONFIG_PATH);
  if (text === "unreadable") return DEFAULT_CONFIG;
  if (text === "too-large") throw configTooLarge(orgFile);
  return withExtends(parseConfigFile(text, orgFile, ruleIds), { octokit, owner, ruleIds });
}

/** A config file parsed once (parseConfigFile refuses text over MAX_CONFIG_BYTES before parsing it): the config and the top-level keys it sets. */
type Parsed = ReturnType<typeof parseConfigFile>;

interface ExtendsContext {
  octokit: AppOctokit;
  /** The audited repository's owner: the only owner whose configs can be extended. */
  owner: string;
  ruleIds: readonly string[];
}

/** The named config, as `owner/repo:path`. */
interface ExtendedRef {
  owner: string;
  repo: string;
  path: string;
}

const refName = (r: ExtendedRef): string => `${r.owner}/${r.repo}:${r.path}`;

/**
 * Reads `_extends` as written in a config the owner's author controls. The
 * error names the rule, not the value (a chained file's value is that file's
 * content, which is never echoed).
 */
export function parseExtends(value: string, owner: string): ExtendedRef | string {
  const rule = `_extends must name a repository of ${owner} ("repo" or "${owner}/repo"), optionally followed by ":${EXTENDS_PATHS.join('" or ":')}"`;
  const m = /^(?:([^/:]+)\/)?([^/:]+)(?::(.+))?$/.exec(value.trim());
  if (!m) return rule;
  const [baseOwner, baseRepo, basePath] = [m[1] ?? owner, m[2]!, m[3] ?? CONFIG_PATH];
  if (!OWNER.test(baseOwner) || !REPO.test(baseRepo)) return rule;
  if (baseOwner.toLowerCase() !== owner.toLowerCase()) return rule;
  if (!EXTENDS_PATHS.includes(basePath)) return rule;
  return { owner, repo: baseRepo, path: basePath };
}

/**
 * Resolves `_extends` of the audited (or org-wide) config: the base named
 * there and its own chain, each merged under the config that names it.
 */
async function withExtends(local: Parsed, ctx: ExtendsContext): Promise<AppliedConfig> {
  if (local.config.extends === undefined) return local.config;
  const where = local.config.source ?? CONFIG_PATH;
  const ref = parseExtends(local.config.extends, ctx.owner);
  if (typeof ref === "string") throw new ConfigError(where, ref);
  const base = await extendedConfig(ref, ctx, 1);
  if (base === "unreadable") {
    throw new ConfigError(where, `_extends: the config extended from ${refName(ref)} cannot be read: it is missing, the app cannot read it, or it is larger than ${MAX_CONFIG_BYTES / 1024} KiB`);
  }
  if (base === "invalid") throw new ConfigError(where, `_extends: the config extended from ${refName(ref)} is not valid skillproof config`);
  return mergeConfigs(base, local.config, local.keys);
}

/**
 * An extended config with its own chain, or why it cannot be used. Nothing
 * about its content leaves this function: a problem anywhere in the chain
 * makes the first extended file "invalid" (its `_extends` is its content),
 * and a file that is missing, forbidden or too large is "unreadable".
 */
async function extendedConfig(ref: ExtendedRef, ctx: ExtendsContext, depth: number): Promise<AppliedConfig | "unreadable" | "invalid"> {
  const text = await fetchConfigText(ctx.octokit, ref.owner, ref.repo, ref.path);
  if (text === "unreadable" || text === "too-large") return "unreadable";
  let file: Parsed;
  try {
    file = parseConfigFile(text, refName(ref), ctx.ruleIds);
  } catch (err) {
    if (err instanceof ConfigError) return "invalid";
    throw err;
  }
  if (file.config.extends === undefined) return file.config;
  if (depth >= MAX_EXTENDS_DEPTH) return "invalid";
  const next = parseExtends(file.config.extends, ctx.owner);
  if (typeof next === "string") return "invalid";
  const base = await extendedConfig(next, ctx, depth + 1);
  if (typeof base === "string") return "invalid";
  return mergeConfigs(base, file.config, file.keys);
}

/** base64 of MAX_CONFIG_BYTES, with the newline GitHub puts after every 60 characters. */
const MAX_BASE64_CHARS = Math.ceil((MAX_CONFIG_BYTES * 4) / 3 / 60) * 61 + 4;

/**
 * A config file's text on a repository's default branch; "unreadable" when
 * it is absent, not a file, or the app cannot see it; "too-large" over
 * MAX_CONFIG_BYTES. The contents API's JSON answer states the size before
 * any content is decoded (and carries no content at all above 1 MB), so a
 * large file is refused without being downloaded; the decoded text is
 * measured again.
 */
export async function fetchConfigText(octokit: AppOctokit, owner: string, repo: string, path: string): Promise<string | "unreadable" | "too-large"> {
  let data: unknown;
  try {
    ({ data } = await octokit.rest.repos.getContent({ owner, repo, path }));
  } catch (err) {
    // 404: no repository or no file; 403: the installation does not cover it.
    const status = statusOf(err);
    if (status === 404 || status === 403) return "unreadable";
    throw err;
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) return "unreadable";
  const file = data as { type?: unknown; size?: unknown; encoding?: unknown; content?: unknown };
  if (file.type !== "file") return "unreadable";
  if (typeof file.size !== "number" || file.size > MAX_CONFIG_BYTES) return "too-large";
  if (file.encoding !== "base64" || typeof file.content !== "string") return "unreadable";
  if (file.content.length > MAX_BASE64_CHARS) return "too-large";
  const bytes = Buffer.from(file.content, "base64");
  if (bytes.length > MAX_CONFIG_BYTES) return "too-large";
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return "unreadable";
  }
}
