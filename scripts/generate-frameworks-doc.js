#!/usr/bin/env node
// Writes docs/frameworks.md, the framework × rule matrix: for every framework the
// stack detector names, which idiom of that framework each rule counts. It is
// made from the rules' own examples: a pass example that claims `frameworks`
// credits its `idiom` to them (the rule test checks the detector really names
// those frameworks in the example's tree), a rule's `frameworks.any` is the same
// evidence everywhere, `frameworks.notApplicable` is "n/a", and the rest is
// "not yet": the to-do list of the rule maintainers.
//
//   node scripts/generate-frameworks-doc.js           regenerate docs/frameworks.md
//   node scripts/generate-frameworks-doc.js --check   exit 1 if it is out of date (CI)
//   --rules DIR --doc FILE                            other rules and output (tests)
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { runGeneratedDoc } from "./generated-doc.js";
import { inline, ruleFiles, RULES_DIR } from "./generate-rules-doc.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const DOC_FILE = join(ROOT, "docs", "frameworks.md");

/**
 * The matrix's rows, as the stack detector names frameworks. Routers of one
 * language that share every idiom but the router's own are one row.
 */
export const ROWS = [
  { row: "Spring Boot", frameworks: ["Spring Boot"] },
  { row: "Quarkus", frameworks: ["Quarkus"] },
  { row: "Micronaut", frameworks: ["Micronaut"] },
  { row: "Ktor", frameworks: ["Ktor"] },
  { row: "Play", frameworks: ["Play"] },
  { row: "Django · DRF", frameworks: ["Django", "Django REST Framework"] },
  { row: "FastAPI", frameworks: ["FastAPI"] },
  { row: "Flask", frameworks: ["Flask"] },
  { row: "Express", frameworks: ["Express"] },
  { row: "Fastify", frameworks: ["Fastify"] },
  { row: "Koa", frameworks: ["Koa"] },
  { row: "Hapi", frameworks: ["Hapi"] },
  { row: "NestJS", frameworks: ["NestJS"] },
  { row: "Next.js", frameworks: ["Next.js"] },
  { row: "Rails", frameworks: ["Rails"] },
  { row: "Sinatra", frameworks: ["Sinatra"] },
  { row: "Laravel", frameworks: ["Laravel"] },
  { row: "Symfony", frameworks: ["Symfony"] },
  { row: "ASP.NET Core", frameworks: ["ASP.NET Core"] },
  { row: "Gin · Echo · Fiber · Chi", frameworks: ["Gin", "Echo", "Fiber", "Chi"] },
  { row: "Actix Web · Axum · Rocket", frameworks: ["Actix Web", "Axum", "Rocket"] },
  { row: "Phoenix", frameworks: ["Phoenix"] },
];

/** The skills whose rules must name an idiom for every framework (issue 13's bar). */
export const REQUIRED_SKILLS = ["testing", "data", "api", "security", "observability"];

const NOT_YET = "not yet";

/** Text safe inside a Markdown table cell. */
function cell(text) {
  return inline(text).replace(/\|/g, "\\|");
}

/** What one rule counts for one row: idioms, "n/a", the rule's `any`, or "not yet". */
export function cellFor(rule, row) {
  const idioms = [];
  for (const example of rule.examples?.pass ?? []) {
    if (!example.frameworks?.some((f) => row.frameworks.includes(f))) continue;
    if (!idioms.includes(example.idiom)) idioms.push(example.idiom);
  }
  if (idioms.length) return { kind: "idiom", text: idioms.join("; ") };
  const na = rule.frameworks?.notApplicable ?? {};
  if (row.frameworks.every((f) => f in na)) return { kind: "n/a", text: "n/a" };
  if (rule.frameworks?.any) return { kind: "any", text: "any" };
  return { kind: "not yet", text: NOT_YET };
}

export function loadRules(rulesDir = RULES_DIR) {
  const skills = parse(readFileSync(join(rulesDir, "skills.yml"), "utf8"));
  const rules = ruleFiles(rulesDir).map((file) => ({ file: relative(rulesDir, file).split("\\").join("/"), ...parse(readFileSync(file, "utf8")) }));
  return { skills, rules };
}

/** The whole of docs/frameworks.md for the rules in `rulesDir`. */
export function renderFrameworksDoc(rulesDir = RULES_DIR) {
  const { skills, rules } = loadRules(rulesDir);
  const counts = new Map(skills.map((s) => [s.id, 0]));
  const sections = [];
  for (const s of skills) {
    const skillRules = rules.filter((r) => r.skill === s.id);
    if (!skillRules.length) continue;
    const tail = (r) => r.id.slice(r.id.indexOf("/") + 1);
    const lines = ["", `## ${s.title}`, ""];
    lines.push(`| Framework | ${skillRules.map((r) => `[${tail(r)}](../rules/${r.file})`).join(" | ")} |`);
    lines.push(`|---|${skillRules.map(() => "---").join("|")}|`);
    for (const row of ROWS) {
      const cells = skillRules.map((r) => cellFor(r, row));
      counts.set(s.id, counts.get(s.id) + cells.filter((c) => c.kind === "not yet").length);
      lines.push(`| ${row.row} | ${cells.map((c) => (c.kind === "not yet" ? `*${NOT_YET}*` : cell(c.text))).join(" | ")} |`);
    }
    const anyRules = skillRules.filter((r) => r.frameworks?.any);
    const naRules = skillRules.filter((r) => r.frameworks?.notApplicable);
    if (anyRules.length || naRules.length) lines.push("");
    for (const r of anyRules) lines.push(`- \`${r.id}\`, *any*: ${cell(r.frameworks.any)}, whatever the framework.`);
    for (const r of naRules) {
      for (const [f, why] of Object.entries(r.frameworks.notApplicable)) lines.push(`- \`${r.id}\`, *n/a* for ${f}: ${cell(why)}`);
    }
    sections.push(...lines);
  }
  const todo = skills.filter((s) => counts.get(s.id) > 0);
  const out = [
    "<!-- Generated by scripts/generate-frameworks-doc.js from rules/. Do not edit by hand: run `node scripts/generate-frameworks-doc.js`. -->",
    "",
    "# Frameworks × rules",
    "",
    "What each rule counts as evidence in each framework the stack detector names: one table per skill,",
    "one row per framework, one column per rule. A cell names the framework's own idiom that passes the",
    "rule; each comes from a pass example in the rule file, which the rule test runs (it must pass, a",
    "near-miss fail example of the same framework must fail, and the stack detector must name the",
    "framework in the example's files). *any* is evidence that does not depend on the framework;",
    "*n/a* is a rule that cannot apply there (the reason is under the table); *not yet* is a to-do.",
    "",
    "To fill a cell, add a pass and a fail example with `frameworks: [<name>]` and `idiom: <a few words>`",
    "to the rule ([writing-rules.md](writing-rules.md#frameworks)), make the rule pass it, and run",
    "`node scripts/generate-frameworks-doc.js`.",
    "",
    `${ROWS.length} frameworks, ${rules.length} rules. Cells still *not yet*: ${
      todo.length ? todo.map((s) => `${s.title} ${counts.get(s.id)}`).join(", ") : "none"
    }.`,
    ...sections,
  ];
  return `${out.join("\n").trimEnd()}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runGeneratedDoc({ name: "generate-frameworks-doc", source: "rules", defaultDir: RULES_DIR, defaultDoc: DOC_FILE, render: renderFrameworksDoc });
}
