import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError, DEFAULT_CONFIG, parseConfig, type AppliedConfig } from "../config/config.js";
import { runRuleExamples } from "../engine/examples.js";
import { BUILTIN_RULES_DIR, loadRuleSet, RuleLoadError } from "../engine/loadRules.js";
import { loadBuiltinRuleSet } from "../engine/ruleBundle.js";
import type { RuleSet } from "../engine/types.js";
import { auditToReport } from "../pipeline.js";
import { renderJson } from "../report/json.js";
import { renderMarkdown } from "../report/markdown.js";
import { renderText } from "../report/text.js";
import { LocalDirectorySource } from "../sources/local.js";

const USAGE = `Usage:
  skillproof audit [dir] [--format text|markdown|json] [--config FILE] [--min-score N] [--out FILE]
  skillproof rules                 list every rule: id, skill, title
  skillproof rules test [id...]    run the rules' pass/fail examples (for rule authors)

Options:
  --format      report format (default: text)
  --config      config file (default: <dir>/.github/skillproof.yml when present)
  --min-score   exit 1 when the score is below N (default: the config's threshold)
  --out         write the report to FILE instead of standard output
  --rules       rules directory (default: the rules shipped with skillproof)

Exit codes: 0 done, 1 score below the minimum (or a rule example failed), 2 bad input.`;

/** A problem with what the user gave us: one line on stderr, exit 2. */
class UsageError extends Error {}

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
};

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      io.stdout(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === "--version" || command === "-v") {
      const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
      io.stdout(`${pkg.version}\n`);
      return 0;
    }
    if (command === "audit") return await auditCommand(rest, io);
    if (command === "rules") return await rulesCommand(rest, io);
    throw new UsageError(`unknown command "${command}" (try: skillproof --help)`);
  } catch (err) {
    io.stderr(`skillproof: ${errorLine(err)}\n`);
    return 2;
  }
}

function errorLine(err: unknown): string {
  if (err instanceof UsageError || err instanceof ConfigError || err instanceof RuleLoadError) {
    const prefix = err instanceof RuleLoadError ? "invalid rule " : err instanceof ConfigError ? "invalid config " : "";
    return `${prefix}${err.message}`;
  }
  if (err instanceof Error && "code" in err && typeof (err as { code: unknown }).code === "string") {
    const code = (err as { code: string }).code;
    if (code.startsWith("ERR_PARSE_ARGS")) return `${err.message} (try: skillproof --help)`;
  }
  return `internal error: ${err instanceof Error ? err.message : String(err)}`;
}

function parse(args: string[], options: NonNullable<ParseArgsConfig["options"]>) {
  return parseArgs({ args, options, allowPositionals: true, strict: true });
}

/** `withExamples` for `rules test`; audits use the bundled rules, which are faster to load. */
function loadRules(dir: string | undefined, withExamples = false): RuleSet {
  if (dir === undefined) return withExamples ? loadRuleSet(BUILTIN_RULES_DIR) : loadBuiltinRuleSet();
  const rulesDir = resolve(dir);
  if (!existsSync(join(rulesDir, "schema.json"))) throw new UsageError(`rules directory "${dir}" has no schema.json`);
  return loadRuleSet(rulesDir);
}

async function auditCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: "string", default: "text" },
    config: { type: "string" },
    "min-score": { type: "string" },
    out: { type: "string" },
    rules: { type: "string" },
  });
  if (positionals.length > 1) throw new UsageError(`audit takes one directory, got ${positionals.length}`);
  const dir = positionals[0] ?? ".";
  const format = values.format as string;
  if (!["text", "markdown", "json"].includes(format)) throw new UsageError(`unknown format "${format}" (text, markdown or json)`);
  let minScore: number | undefined;
  if (values["min-score"] !== undefined) {
    minScore = Number(values["min-score"]);
    if (!Number.isFinite(minScore) || minScore < 0 || minScore > 100) throw new UsageError(`--min-score must be a number from 0 to 100, got "${values["min-score"]}"`);
  }
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`no such directory: ${dir}`);
  if (!stat.isDirectory()) throw new UsageError(`not a directory: ${dir}`);

  const ruleSet = loadRules(values.rules as string | undefined);
  const config = loadConfig(dir, values.config as string | undefined, ruleSet);
  const report = await auditToReport(new LocalDirectorySource(dir), ruleSet, config, { threshold: minScore });
  const toFile = values.out !== undefined;
  const color = !toFile && io.isTTY && !io.env.NO_COLOR;
  const text =
    format === "json" ? renderJson(report) : format === "markdown" ? renderMarkdown(report) : renderText(report, { color });
  if (toFile) {
    try {
      writeFileSync(values.out as string, text);
    } catch (err) {
      throw new UsageError(`cannot write ${values.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  } else io.stdout(text);
  return report.passed === false ? 1 : 0;
}

function loadConfig(dir: string, explicit: string | undefined, ruleSet: RuleSet): AppliedConfig {
  const ids = ruleSet.rules.map((r) => r.id);
  let file = explicit;
  if (file === undefined) {
    file = [".github/skillproof.yml", ".github/skillproof.yaml"].map((f) => join(dir, f)).find((f) => existsSync(f));
    if (file === undefined) return DEFAULT_CONFIG;
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read config ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseConfig(text, file, ids);
}

async function rulesCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { rules: { type: "string" } });
  const ruleSet = loadRules(values.rules as string | undefined, positionals[0] === "test");
  if (positionals[0] === "test") {
    const only = positionals.slice(1);
    for (const id of only) if (!ruleSet.rules.some((r) => r.id === id)) throw new UsageError(`unknown rule id "${id}"`);
    const outcomes = await runRuleExamples(ruleSet, only.length ? (id) => only.includes(id) : undefined);
    const failed = outcomes.filter((o) => !o.ok);
    for (const o of failed) {
      io.stdout(`✗ ${o.file}: ${o.kind} example ${o.index + 1}${o.description ? ` (${o.description})` : ""} was ${o.actual}, expected ${o.kind}\n`);
    }
    const rules = new Set(outcomes.map((o) => o.ruleId)).size;
    io.stdout(`${outcomes.length - failed.length} passed, ${failed.length} failed (${outcomes.length} examples of ${rules} rules)\n`);
    return failed.length > 0 ? 1 : 0;
  }
  if (positionals.length > 0) throw new UsageError(`unknown rules subcommand "${positionals[0]}" (try: skillproof rules test)`);
  const width = Math.max(...ruleSet.rules.map((r) => r.id.length));
  for (const r of ruleSet.rules) io.stdout(`${r.id.padEnd(width)}  ${r.title}\n`);
  io.stdout(`${ruleSet.rules.length} rules in ${ruleSet.skills.length} skills\n`);
  return 0;
}
