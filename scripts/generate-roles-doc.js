#!/usr/bin/env node
// Writes docs/roles.md, the roles reference: how the fit is computed and every
// role of roles/ with its skills, stack items and must-have rules.
//
//   node scripts/generate-roles-doc.js           regenerate docs/roles.md
//   node scripts/generate-roles-doc.js --check   exit 1 if docs/roles.md is out of date (CI)
//   --roles DIR --doc FILE                       other roles and output (tests)
//
// It reads the YAML directly (no build needed); the role loader and
// `skillproof roles test` are what validate the roles themselves.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { runGeneratedDoc } from "./generated-doc.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const ROLES_DIR = join(ROOT, "roles");
export const DOC_FILE = join(ROOT, "docs", "roles.md");

// Kept equal to src/roles/fit.ts (test/docs/roles-doc.test.ts checks it).
export const REQUIRED_STACK_PENALTY = 15;
export const MUST_HAVE_PENALTY = 10;

function inline(text) {
  return String(text).replace(/\s*\n\s*/g, " ").trim();
}

const FORMULA = [
  "## Fit",
  "",
  "`skillproof audit <target> --role <id|file>` adds a role section to the report. Its fit, an integer from 0 to 100:",
  "",
  "```",
  `fit = clamp(0, 100, round(100 × Σ w_s·score_s / Σ w_s − ${REQUIRED_STACK_PENALTY} × missing required stack items − ${MUST_HAVE_PENALTY} × must-haves not passed))`,
  "```",
  "",
  "- `w_s` is the role's weight of skill `s`; `score_s` is the skill's earned weight over its applicable weight, as in the",
  "  report's skill scores (a pass on token evidence earns a quarter, docs/depth.md), and 0 when no rule of the skill applies:",
  "  a role counts a skill it wants and the repository does not show.",
  `- Each **required** stack item that is not found costs ${REQUIRED_STACK_PENALTY} points; preferred items cost nothing (they show`,
  "  in the stack and in the plan).",
  `- Each **must-have** rule that does not pass (fails, is not applicable, or is disabled) costs ${MUST_HAVE_PENALTY} points.`,
  "",
  "So a repository in the wrong language and framework for a role loses 30 points or more to the penalties alone: that is",
  "the margin between a Spring Boot repository's fit for backend-java and a Flask repository's, and the other way round for",
  "backend-python, even when their overall scores are close.",
  "",
  "The stack items are found in the same audit as the rules: each becomes a hidden rule (`role:<role>/<item>`) whose reads",
  "are planned with the others, then removed before scoring, so the score is the same with or without a role.",
  "",
  "**Gaps** are the three failed rules whose pass would raise the fit most: each is passed in turn (earning its whole",
  "weight, and lifting its must-have penalty) and the fit recomputed before clamping; each shows the report's fix for the",
  "detected stack.",
  "",
  "For a portfolio (`@user`), each rule counts at its best verdict over the audited repositories and each stack item comes",
  "from the first repository that has it, named with its evidence.",
  "",
  "## Plan",
  "",
  "A candidate's own config may name the role they aim for (`role: backend-python` in `.github/skillproof.yml`); with a",
  "role, the report ends with a plan: the must-haves not passed, the stack items missing (required first) and the failed",
  "rules of the role's skills (heaviest skill first), each with its fix, in the guide's six two-week steps (steps with",
  "nothing to do are left out): 1 foundations (weeks 1-2: a CRUD API with auth and tests), 2 data (schema, indexes,",
  "caching), 3 APIs (pagination, rate limits, idempotency, OpenAPI, a queue), 4 delivery (Docker, CI, a deploy), 5 security",
  "and testing (JWT, secrets, coverage gates), 6 observability and polish (metrics, traces, dashboards, README, a diagram).",
  "Which step a rule or stack item goes to is one table, in src/roles/plan.ts.",
  "",
  "## Writing a role",
  "",
  "A role is `roles/<id>.yml` (its `id` must be the file name), checked against",
  "[schemas/role.schema.json](../schemas/role.schema.json): `title`, `summary`, `skills` (skill id of",
  "[rules/skills.yml](../rules/skills.yml) → weight), `stack` (each item a `name`, a `level` of `required` or `preferred`, a",
  "`match` in the rules' matcher language, [writing-rules.md](writing-rules.md), and an optional `fix`), `mustHave` (rule",
  "ids) and `examples` (a file tree, the stack items it must find, `present`, and those it must not, `absent`), run by",
  "`skillproof roles test` and the test suite. A hiring repository may define its own under `roles:` in",
  "`.github/skillproof.yml` (same schema, examples optional); their matchers may not use regular expressions, since they",
  "run over candidates' repositories.",
];

/** The whole of docs/roles.md for the roles in `rolesDir`. */
export function renderRolesDoc(rolesDir = ROLES_DIR) {
  const roles = readdirSync(rolesDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ file: f, ...parse(readFileSync(join(rolesDir, f), "utf8")) }));
  const out = [
    "<!-- Generated by scripts/generate-roles-doc.js from roles/. Do not edit by hand: run `node scripts/generate-roles-doc.js`. -->",
    "",
    "# Roles reference",
    "",
    `${roles.length} roles. A role says what a team hires for: the skills it weighs, the stack it looks for and the rules it`,
    "cannot do without. The fit of a repository or a portfolio for a role, and the plan for a candidate, follow.",
    "",
    "| Role | Id | Required stack |",
    "|---|---|---|",
  ];
  for (const r of roles) {
    const required = (r.stack ?? []).filter((s) => s.level === "required").map((s) => s.name).join(", ");
    out.push(`| [${inline(r.title)}](#${r.id}) | \`${r.id}\` | ${required} |`);
  }
  out.push("", ...FORMULA, "", "## Roles");
  for (const r of roles) {
    out.push("", `### ${r.id}`, "", `**${inline(r.title)}** · [roles/${r.file}](../roles/${r.file})`, "", inline(r.summary), "");
    const skills = Object.entries(r.skills ?? {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    out.push(`- **Skills:** ${skills.map(([id, w]) => `${id} ${w}`).join(", ")}`);
    out.push(`- **Required stack:** ${(r.stack ?? []).filter((s) => s.level === "required").map((s) => s.name).join(", ") || "none"}`);
    out.push(`- **Preferred stack:** ${(r.stack ?? []).filter((s) => s.level === "preferred").map((s) => s.name).join(", ") || "none"}`);
    out.push(`- **Must-haves:** ${(r.mustHave ?? []).map((id) => `\`${id}\``).join(", ") || "none"}`);
  }
  return `${out.join("\n").trimEnd()}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runGeneratedDoc({ name: "generate-roles-doc", source: "roles", defaultDir: ROLES_DIR, defaultDoc: DOC_FILE, render: renderRolesDoc });
}
