import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import type { Ajv as AjvClass, ErrorObject } from "ajv";
import { yamlLib } from "./yamlLibs.js";
import type { Rule, RuleSet, Skill } from "./types.js";

/** The rules shipped with skillproof: <package root>/rules. */
export const BUILTIN_RULES_DIR = fileURLToPath(new URL("../../rules/", import.meta.url));

/** A rule set problem, with the file it comes from; the CLI prints it as one line. */
export class RuleLoadError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "RuleLoadError";
  }
}

const require = createRequire(import.meta.url);

/** ajv, loaded on first use: audits with the bundled rules and no config never need it. */
export function newAjv(options: ConstructorParameters<typeof AjvClass>[0]): AjvClass {
  const { Ajv } = require("ajv") as typeof import("ajv");
  return new Ajv(options);
}

// One validator per rules folder: each folder ships its own schema.json.
const validators = new Map<string, ReturnType<AjvClass["compile"]>>();

function ruleValidator(rulesDir: string): ReturnType<AjvClass["compile"]> {
  const cached = validators.get(rulesDir);
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(join(rulesDir, "schema.json"), "utf8")) as object;
  const ajv = newAjv({ allErrors: false, strict: true, strictRequired: false });
  // ajv-formats is CommonJS with its function on `default`.
  const addFormats = (require("ajv-formats") as { default: (ajv: AjvClass, formats?: string[]) => AjvClass }).default;
  addFormats(ajv, ["regex"]);
  const validate = ajv.compile(schema);
  validators.set(rulesDir, validate);
  return validate;
}

/** JSON Pointer segments, unescaped (a rule id key such as "docs/readme" arrives as "docs~1readme"). */
export function pointerSegments(pointer: string): string[] {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function describeAjvError(e: ErrorObject): string {
  const where = e.instancePath ? pointerSegments(e.instancePath).join(".") : "(top level)";
  if (e.keyword === "additionalProperties") return `${where}: unknown property "${String(e.params.additionalProperty)}"`;
  if (e.keyword === "enum") return `${where}: must be one of ${JSON.stringify(e.params.allowedValues)}`;
  return `${where}: ${e.message ?? e.keyword}`;
}

/**
 * A YAML data file (a rule, a role), its problems as one line each: a syntax
 * error with its line and column, or why it could not be read. `fail` makes
 * the caller's own error (RuleLoadError, RoleError).
 */
export function readYamlFile(path: string, shown: string, fail: (file: string, problem: string) => Error): unknown {
  try {
    return yamlLib().parse(readFileSync(path, "utf8"), { prettyErrors: true });
  } catch (err) {
    if (err instanceof yamlLib().YAMLParseError) {
      const pos = err.linePos?.[0];
      const at = pos ? `line ${pos.line}, column ${pos.col}` : "unknown position";
      throw fail(shown, `YAML syntax error at ${at}: ${err.message.split("\n")[0]}`);
    }
    throw fail(shown, `cannot read: ${(err as Error).message}`);
  }
}

const readYaml = (path: string, shown: string): unknown => readYamlFile(path, shown, (file, problem) => new RuleLoadError(file, problem));

function loadSkills(rulesDir: string): Skill[] {
  const data = readYaml(join(rulesDir, "skills.yml"), "skills.yml");
  if (!Array.isArray(data)) throw new RuleLoadError("skills.yml", "must be a list of skills");
  const skills: Skill[] = [];
  for (const [i, s] of data.entries()) {
    const ok =
      s && typeof s === "object" && typeof s.id === "string" && typeof s.title === "string" &&
      typeof s.weight === "number" && s.weight > 0 && typeof s.description === "string";
    if (!ok) throw new RuleLoadError("skills.yml", `entry ${i + 1} needs id, title, weight > 0 and description`);
    skills.push({ id: s.id, title: s.title, weight: s.weight, description: s.description });
  }
  return skills;
}

function ruleFiles(rulesDir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(rulesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const f of readdirSync(join(rulesDir, entry.name), { withFileTypes: true })) {
      if (f.isFile() && /\.ya?ml$/.test(f.name)) out.push(join(rulesDir, entry.name, f.name));
    }
  }
  return out.sort();
}

/**
 * Loads rules/skills.yml and every rules/<skill>/<name>.yml, rejecting a rule
 * that fails the schema, whose id does not match its path, whose skill is
 * unknown, or whose `requires` or `requiresAny` names a missing rule (or itself).
 */
export function loadRuleSet(rulesDir: string = BUILTIN_RULES_DIR): RuleSet {
  const skills = loadSkills(rulesDir);
  const skillIds = new Set(skills.map((s) => s.id));
  const validate = ruleValidator(rulesDir);
  const rules: Rule[] = [];
  for (const file of ruleFiles(rulesDir)) {
    const shown = relative(rulesDir, file).split(sep).join("/");
    const data = readYaml(file, shown);
    if (!validate(data)) {
      const first = validate.errors?.[0];
      throw new RuleLoadError(shown, first ? describeAjvError(first) : "does not match rules/schema.json");
    }
    const rule = data as unknown as Rule;
    const expectedId = shown.replace(/\.ya?ml$/, "");
    if (rule.id !== expectedId) throw new RuleLoadError(shown, `id "${rule.id}" does not match its path (expected "${expectedId}")`);
    if (rule.skill !== expectedId.split("/")[0]) throw new RuleLoadError(shown, `skill "${rule.skill}" does not match its folder`);
    if (!skillIds.has(rule.skill)) throw new RuleLoadError(shown, `unknown skill "${rule.skill}" (not in skills.yml)`);
    checkRegexes(rule, shown);
    rules.push({ ...rule, file: shown });
  }
  const ids = new Set(rules.map((r) => r.id));
  for (const r of rules) {
    for (const [key, list] of [["requires", r.requires], ["requiresAny", r.requiresAny]] as const) {
      for (const req of list ?? []) {
        if (!ids.has(req)) throw new RuleLoadError(r.file!, `${key} unknown rule "${req}"`);
        if (req === r.id) throw new RuleLoadError(r.file!, `${key} itself`);
      }
    }
  }
  return { skills, rules };
}

/** The schema's "regex" format accepts any pattern; the engine adds flags, so compile with them too. */
function checkRegexes(rule: Rule, shown: string): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (["pattern", "run", "uses", "image", "argsPattern", "ignoreJobsMatching", "with"].includes(key) && typeof value === "string") {
        try {
          new RegExp(value, "m");
        } catch (err) {
          throw new RuleLoadError(shown, `invalid regular expression in ${key}: ${(err as Error).message}`);
        }
      } else visit(value);
    }
  };
  visit(rule.match);
}
