import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import type { Ajv as AjvClass } from "ajv";
import { closest } from "fastest-levenshtein";
import { globProblem, showGlob } from "../config/globs.js";
import { BUILTIN_RULES_DIR, describeAjvError, newAjv, readYamlFile } from "../engine/loadRules.js";
import { loadBuiltinRuleSet } from "../engine/ruleBundle.js";
import type { RuleSet } from "../engine/types.js";
import { RoleError } from "./errors.js";
import type { Role, RoleSet } from "./types.js";

/** The roles shipped with skillproof: <package root>/roles. */
export const BUILTIN_ROLES_DIR = fileURLToPath(new URL("../../roles/", import.meta.url));
const ROLE_SCHEMA = fileURLToPath(new URL("../../schemas/role.schema.json", import.meta.url));

const require = createRequire(import.meta.url);
let validator: ReturnType<AjvClass["compile"]> | undefined;

/** The role schema, whose stack matchers are the rule schema's (one matcher language). */
function roleValidator(): ReturnType<AjvClass["compile"]> {
  if (validator) return validator;
  const ajv = newAjv({ allErrors: false, strict: true, strictRequired: false });
  const addFormats = (require("ajv-formats") as { default: (ajv: AjvClass, formats?: string[]) => AjvClass }).default;
  addFormats(ajv, ["regex"]);
  ajv.addSchema(JSON.parse(readFileSync(join(BUILTIN_RULES_DIR, "schema.json"), "utf8")) as object);
  validator = ajv.compile(JSON.parse(readFileSync(ROLE_SCHEMA, "utf8")) as object);
  return validator;
}

/** Matcher keys whose value is a regular expression. */
const REGEX_KEYS = ["pattern", "run", "uses", "image", "argsPattern", "ignoreJobsMatching", "with"];

export interface RoleCheckOptions {
  /** The rule set whose skills and rule ids the role may name; with no rules, names are not checked. */
  ruleSet?: { skills: ReadonlyArray<{ id: string }>; rules: ReadonlyArray<{ id: string }> };
  /**
   * A role from a hiring repository's config: its matchers run over other people's repositories in
   * the app, so no regular expressions (a catastrophic pattern would stall the worker) and the
   * config's glob limits.
   */
  fromConfig?: boolean;
  /** Shipped roles must carry examples. */
  requireExamples?: boolean;
}

/** Validates one role's data; throws RoleError naming `where`. */
export function checkRole(data: unknown, where: string, options: RoleCheckOptions = {}): Role {
  const validate = roleValidator();
  if (!validate(data)) {
    const first = validate.errors?.[0];
    throw new RoleError(where, first ? describeAjvError(first) : "does not match schemas/role.schema.json");
  }
  const role = data as Role;
  const names = new Set<string>();
  for (const item of role.stack) {
    if (names.has(item.name)) throw new RoleError(where, `stack item "${item.name}" is listed twice`);
    names.add(item.name);
    checkMatcher(item.match, `stack item "${item.name}"`, where, options.fromConfig ?? false);
  }
  if (options.ruleSet && options.ruleSet.rules.length > 0) {
    const skillIds = options.ruleSet.skills.map((s) => s.id);
    for (const id of Object.keys(role.skills)) {
      if (!skillIds.includes(id)) throw new RoleError(where, `skills: unknown skill "${id}" (did you mean "${closest(id, skillIds)}"?)`);
    }
    const ruleIds = options.ruleSet.rules.map((r) => r.id);
    for (const id of role.mustHave ?? []) {
      if (!ruleIds.includes(id)) throw new RoleError(where, `mustHave: unknown rule "${id}" (did you mean "${closest(id, ruleIds)}"?)`);
    }
  }
  const examples = role.examples ?? [];
  if (options.requireExamples && examples.length === 0) throw new RoleError(where, "examples: a shipped role needs at least one example");
  examples.forEach((ex, i) => {
    for (const name of [...ex.present, ...(ex.absent ?? [])]) {
      if (!names.has(name)) throw new RoleError(where, `examples ${i + 1}: "${name}" is not a stack item of the role`);
    }
  });
  return { ...role, mustHave: role.mustHave ?? [], examples };
}

function checkMatcher(node: unknown, what: string, where: string, fromConfig: boolean): void {
  if (Array.isArray(node)) return node.forEach((n) => checkMatcher(n, what, where, fromConfig));
  if (!node || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (REGEX_KEYS.includes(key)) {
      if (fromConfig) throw new RoleError(where, `${what}: "${key}" is a regular expression, which a role in a config may not use (use names, files or language)`);
      if (typeof value === "string") {
        try {
          new RegExp(value, "m");
        } catch (err) {
          throw new RoleError(where, `${what}: invalid regular expression in ${key}: ${(err as Error).message}`);
        }
      }
    } else if (fromConfig && (key === "include" || key === "exclude")) {
      for (const glob of [value].flat()) {
        const problem = typeof glob === "string" ? globProblem(glob) : undefined;
        if (problem) throw new RoleError(where, `${what}: glob ${showGlob(glob as string)} ${problem}`);
      }
    } else checkMatcher(value, what, where, fromConfig);
  }
}

const readYaml = (path: string, shown: string): unknown => readYamlFile(path, shown, (file, problem) => new RoleError(file, problem));

/** Reads and checks one role file; `expectId` holds its id to its file name. */
export function loadRoleFile(path: string, options: RoleCheckOptions & { shown?: string; expectId?: boolean } = {}): Role {
  const shown = options.shown ?? path;
  const role = checkRole(readYaml(path, shown), shown, options);
  const expected = basename(path).replace(/\.ya?ml$/, "");
  if (options.expectId && role.id !== expected) throw new RoleError(shown, `id "${role.id}" does not match its file name (expected "${expected}")`);
  return { ...role, file: shown };
}

export function roleSetOf(roles: Role[]): RoleSet {
  return { roles, byId: new Map(roles.map((r) => [r.id, r])) };
}

/** Every roles/<id>.yml of `dir`, checked against the rule set. */
export function loadRolesDir(dir: string, ruleSet: RuleSet): RoleSet {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  return roleSetOf(files.map((f) => loadRoleFile(join(dir, f), { shown: `roles/${f}`, expectId: true, ruleSet, requireExamples: true })));
}

let builtin: RoleSet | undefined;

/** The roles shipped with skillproof, checked against the shipped rules (or `ruleSet`). */
export function loadBuiltinRoles(ruleSet?: RuleSet): RoleSet {
  if (ruleSet) return loadRolesDir(BUILTIN_ROLES_DIR, ruleSet);
  builtin ??= loadRolesDir(BUILTIN_ROLES_DIR, loadBuiltinRuleSet());
  return builtin;
}

/**
 * A role by id (a config-defined role first, so a hiring repository may
 * redefine a shipped one) or a path to a role YAML file.
 */
export function resolveRole(idOrFile: string, roles: RoleSet, configRoles: readonly Role[] = [], ruleSet?: RuleSet): Role {
  const fromConfig = configRoles.find((r) => r.id === idOrFile);
  if (fromConfig) return fromConfig;
  const shipped = roles.byId.get(idOrFile);
  if (shipped) return shipped;
  if (/\.ya?ml$/.test(idOrFile)) {
    if (!existsSync(idOrFile)) throw new RoleError(idOrFile, "no such role file");
    return loadRoleFile(idOrFile, { ruleSet: ruleSet ?? loadBuiltinRuleSet() });
  }
  const known = [...configRoles.map((r) => r.id), ...roles.roles.map((r) => r.id)];
  const hint = known.length > 0 ? ` (did you mean "${closest(idOrFile, known)}"? known: ${[...new Set(known)].join(", ")})` : "";
  throw new RoleError("--role", `unknown role "${idOrFile}"${hint}`);
}
