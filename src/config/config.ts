import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ErrorObject } from "ajv";
import { closest } from "fastest-levenshtein";
import type { Node } from "yaml";
import { describeAjvError, newAjv, pointerSegments } from "../engine/loadRules.js";
import { yamlLib } from "../engine/yamlLibs.js";
import { RoleError } from "../roles/errors.js";
import { checkRole, loadBuiltinRoles } from "../roles/load.js";
import type { Role } from "../roles/types.js";
import { globProblem, MAX_GLOBS, showGlob } from "./globs.js";

/**
 * Bytes of config text parsed at most, the repository's own and an extended
 * one alike: a real config is a few hundred bytes, and YAML parsing costs
 * about a hundred times the text's size in memory (16.5 MB took 1.6 GB).
 */
export const MAX_CONFIG_BYTES = 64 * 1024;

export interface RepoConfig {
  ignore: string[];
  disable: string[];
  weights: Record<string, number>;
  threshold?: number;
  issue: boolean;
  /** Recruiter audits of a user (`@username`): how many repositories to audit. */
  portfolio?: { maxRepos?: number };
  /** The role a candidate aims for (a shipped role or one of `roles`): the report ends with a plan for it. */
  role?: string;
  /** A hiring repository's own roles (schemas/role.schema.json), usable by id with `--role` and `/skillproof ... --role`. */
  roles?: Role[];
}

/** The config an audit ran with, as the report shows it. */
export interface AppliedConfig extends RepoConfig {
  /** Where it came from, or null for defaults. */
  source: string | null;
  /** `_extends` as written: the GitHub App merges that config under this one; the CLI cannot fetch it. */
  extends?: string;
}

export const DEFAULT_CONFIG: AppliedConfig = { source: null, ignore: [], disable: [], weights: {}, issue: true };

/** A config problem with its place: the CLI prints it on one line, the app puts it in the check run. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line ? `:${line}${column ? `:${column}` : ""}` : ""}: ${problem}`);
    this.name = "ConfigError";
  }
}

const SCHEMA = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../schemas/config.schema.json", import.meta.url)), "utf8"),
) as object;
let validator: ReturnType<ReturnType<typeof newAjv>["compile"]> | undefined;

/** The first schema violation, or undefined. The validator is compiled on first use. */
function schemaError(data: unknown): ErrorObject | undefined {
  validator ??= newAjv({ allErrors: false }).compile(SCHEMA);
  return validator(data) ? undefined : (validator.errors?.[0] ?? undefined);
}

/** Parses and validates config text. `ruleIds` are the known rules, for "did you mean" on a typo. */
export function parseConfig(text: string, file: string, ruleIds: readonly string[]): AppliedConfig {
  return parseConfigFile(text, file, ruleIds).config;
}

/**
 * parseConfig, with the top-level keys the text sets (what an `_extends`
 * merge lets it override), from the same parse: a file is parsed once.
 */
export function parseConfigFile(text: string, file: string, ruleIds: readonly string[]): { config: AppliedConfig; keys: Set<string> } {
  checkConfigSize(text, file);
  const { isMap, LineCounter, parseDocument } = yamlLib();
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const pos = lc.linePos(err.pos[0]);
    throw new ConfigError(file, `YAML syntax error: ${err.message.split("\n")[0]}`, pos.line, pos.col);
  }
  const data: unknown = doc.toJS() ?? {};
  const where = (path: (string | number)[]): { line?: number; column?: number } => {
    const node = path.length === 0 ? doc.contents : nodeAt(path);
    if (!node?.range) return {};
    const pos = lc.linePos(node.range[0]);
    return { line: pos.line, column: pos.col };
  };
  // For a map key (weights.<id>) point at the key itself, where the typo is.
  const nodeAt = (path: (string | number)[]): Node | undefined => {
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    if (isMap(parent)) {
      const pair = parent.items.find((p) => String((p.key as { value?: unknown } | null)?.value) === String(path[path.length - 1]));
      if (pair) return (path[0] === "weights" ? pair.key : pair.value) as Node;
    }
    return doc.getIn(path, true) as Node | undefined;
  };
  const e = schemaError(data);
  if (e) {
    const path = pointerSegments(e.instancePath).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const at = where(path);
    throw new ConfigError(file, describeAjvError(e), at.line, at.column);
  }
  const cfg = data as Partial<RepoConfig>;
  const globs = cfg.ignore ?? [];
  if (globs.length > MAX_GLOBS) {
    const at = where(["ignore"]);
    throw new ConfigError(file, `ignore: ${globs.length} globs, at most ${MAX_GLOBS}`, at.line, at.column);
  }
  globs.forEach((glob, i) => {
    const problem = globProblem(glob);
    if (!problem) return;
    const at = where(["ignore", i]);
    throw new ConfigError(file, `ignore: glob ${showGlob(glob)} ${problem}`, at.line, at.column);
  });
  const known = new Set(ruleIds);
  const checkId = (id: string, path: (string | number)[], what: string): void => {
    if (known.has(id)) return;
    const at = where(path);
    const hint = ruleIds.length > 0 ? ` (did you mean "${closest(id, [...ruleIds])}"?)` : "";
    throw new ConfigError(file, `${what}: unknown rule id "${id}"${hint}`, at.line, at.column);
  };
  (cfg.disable ?? []).forEach((id, i) => checkId(id, ["disable", i], "disable"));
  for (const id of Object.keys(cfg.weights ?? {})) checkId(id, ["weights", id], "weights");
  const roles = (cfg.roles ?? []).map((data, i) => {
    try {
      return { ...checkRole(data, `roles ${i + 1}`, { fromConfig: true, ruleSet: ruleSetFromIds(ruleIds) }), file: `${file} (roles ${i + 1})` };
    } catch (err) {
      if (!(err instanceof RoleError)) throw err;
      const at = where(["roles", i]);
      throw new ConfigError(file, err.message, at.line, at.column);
    }
  });
  if (cfg.role !== undefined) {
    const known = [...roles.map((r) => r.id), ...loadBuiltinRoles().roles.map((r) => r.id)];
    if (!known.includes(cfg.role)) {
      const at = where(["role"]);
      throw new ConfigError(file, `role: unknown role "${cfg.role}" (did you mean "${closest(cfg.role, known)}"?)`, at.line, at.column);
    }
  }
  const config: AppliedConfig = {
    source: file,
    ignore: cfg.ignore ?? [],
    disable: cfg.disable ?? [],
    weights: cfg.weights ?? {},
    ...(cfg.threshold !== undefined ? { threshold: cfg.threshold } : {}),
    issue: cfg.issue ?? true,
    ...(cfg.portfolio !== undefined ? { portfolio: { ...cfg.portfolio } } : {}),
    ...(cfg.role !== undefined ? { role: cfg.role } : {}),
    ...(cfg.roles !== undefined ? { roles } : {}),
    ...(typeof (cfg as { _extends?: unknown })._extends === "string" ? { extends: (cfg as { _extends: string })._extends } : {}),
  };
  return { config, keys: new Set(Object.keys(cfg)) };
}

/** Refuses config text over MAX_CONFIG_BYTES before any parsing. */
export function checkConfigSize(text: string, file: string): void {
  // A character is at least one byte: a long text is refused without counting its bytes.
  if (text.length > MAX_CONFIG_BYTES || Buffer.byteLength(text, "utf8") > MAX_CONFIG_BYTES) throw configTooLarge(file);
}

/** The error for a config over MAX_CONFIG_BYTES, for callers that know its size before reading it. */
export function configTooLarge(file: string): ConfigError {
  return new ConfigError(file, `larger than ${MAX_CONFIG_BYTES / 1024} KiB, the most a config may be`);
}

/** The top-level keys a config text sets, so a merge knows what it overrides. */
export function configKeys(text: string, file = "config"): Set<string> {
  checkConfigSize(text, file);
  const data: unknown = yamlLib().parseDocument(text).toJS();
  return new Set(data && typeof data === "object" ? Object.keys(data) : []);
}

/**
 * `local` over `base`, as Probot's `_extends` does: every key the local file
 * sets replaces the base's, except `weights`, which merge rule by rule.
 */
export function mergeConfigs(base: AppliedConfig, local: AppliedConfig, localKeys: ReadonlySet<string>): AppliedConfig {
  return {
    source: `${local.source} (extends ${base.source})`,
    ignore: localKeys.has("ignore") ? local.ignore : base.ignore,
    disable: localKeys.has("disable") ? local.disable : base.disable,
    weights: { ...base.weights, ...local.weights },
    ...((localKeys.has("threshold") ? local.threshold : base.threshold) !== undefined
      ? { threshold: (localKeys.has("threshold") ? local.threshold : base.threshold)! }
      : {}),
    issue: localKeys.has("issue") ? local.issue : base.issue,
    ...((localKeys.has("portfolio") ? local.portfolio : base.portfolio) !== undefined
      ? { portfolio: (localKeys.has("portfolio") ? local.portfolio : base.portfolio)! }
      : {}),
    ...((localKeys.has("role") ? local.role : base.role) !== undefined ? { role: (localKeys.has("role") ? local.role : base.role)! } : {}),
    ...((localKeys.has("roles") ? local.roles : base.roles) !== undefined ? { roles: (localKeys.has("roles") ? local.roles : base.roles)! } : {}),
  };
}

/** Skills and rules named by rule ids alone, for checking a config's roles (no ids: nothing checked). */
function ruleSetFromIds(ruleIds: readonly string[]): { skills: Array<{ id: string; title: string; weight: number; description: string }>; rules: Array<{ id: string }> } {
  const skills = [...new Set(ruleIds.map((id) => id.split("/")[0]!))].map((id) => ({ id, title: id, weight: 1, description: id }));
  return { skills, rules: ruleIds.map((id) => ({ id })) };
}
