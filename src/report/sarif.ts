import { createHash } from "node:crypto";
import type { Evidence } from "../engine/types.js";
import type { Report } from "./model.js";
import { printable } from "./printable.js";
import { trustedInline } from "./safeMarkdown.js";

/**
 * SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`).
 *
 * One result per missing evidence item (failed rule); every rule of the audit
 * is described under `tool.driver.rules` so a result's rule has its why and fix
 * as help text. A skills report is about the repository, not a line of code,
 * yet code scanning needs one physical location per result: a failed rule that
 * pointed at a file (e.g. the committed secret that made it fail) uses that
 * file and line; any other uses `anchorFile` (default README.md, the page a
 * reviewer reads first) at line 1. See docs/adr/0005-sarif-results-and-locations.md.
 */
export interface SarifOptions {
  /** The file a repository-wide result is pinned to (POSIX path from the repository root). */
  anchorFile?: string;
  /**
   * Where the audited directory sits in the repository (e.g. "services/api"), when it is
   * not the root: prefixed to every URI so code scanning finds the files.
   */
  root?: string;
}

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
/** The project page, as app.yml names it. */
const INFORMATION_URI = "https://github.com/skillproof/skillproof";
/** Root of the audited tree; upload-sarif resolves relative URIs against the checkout. */
const SRCROOT = "%SRCROOT%";

type Rule = Report["rules"][number];

/**
 * A SARIF plain-text message (§3.11.6): code scanning turns `[text](uri)` in
 * it into a link, so literal brackets (and a backslash before one) are
 * escaped, and control characters other than our own line breaks are shown,
 * not obeyed. A repository's file name in a warning then cannot add a link to the alert.
 */
export function sarifText(text: string): string {
  const lines = text.split("\n").map(printable);
  return lines.join("\n").replace(/\\(?=[[\]])/g, "\\\\").replace(/[[\]]/g, "\\$&");
}

export function renderSarif(report: Report, options: SarifOptions = {}): string {
  const anchor = options.anchorFile ?? "README.md";
  const prefix = (options.root ?? "").replace(/^\.?\/+|\/+$/g, "").replace(/^\.$/, "");
  const index = new Map(report.rules.map((r, i) => [r.id, i]));
  const failed = report.rules.filter((r) => r.status === "fail");
  const log = {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "skillproof",
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: report.rules.map((r) => ruleDescriptor(r, report)),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { description: { text: "The root of the audited repository." } } },
        ...(report.target.kind === "github"
          ? {
              versionControlProvenance: [
                { repositoryUri: `https://github.com/${report.target.owner}/${report.target.repo}`, revisionId: report.target.sha },
              ],
            }
          : {}),
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: report.warnings.map((w) => ({ level: "warning", message: { text: sarifText(printable(w)) } })) }],
        results: failed.map((r) => result(r, index.get(r.id)!, anchor, prefix)),
        properties: {
          score: report.score,
          threshold: report.threshold,
          passed: report.passed,
          skills: report.skills.map(({ id, score, passed, applicable }) => ({ id, score, passed, applicable })),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function ruleDescriptor(r: Rule, report: Report) {
  const skill = report.skills.find((s) => s.id === r.skill);
  return {
    id: r.id,
    // SARIF wants a PascalCase identifier here; the id is the stable name users know.
    name: r.id.split(/[/-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(""),
    shortDescription: { text: sarifText(r.title) },
    fullDescription: { text: sarifText(r.why) },
    help: { text: sarifText(`${r.why}\n\nFix: ${r.fix}`), markdown: `${trustedInline(r.why)}\n\n**Fix:** ${trustedInline(r.fix)}` },
    defaultConfiguration: { level: "warning" },
    properties: {
      skill: r.skill,
      skillTitle: skill?.title ?? r.skill,
      weight: r.weight,
      status: r.status,
      tags: ["skillproof", r.skill],
    },
  };
}

function result(r: Rule, ruleIndex: number, anchor: string, prefix: string) {
  const at = r.evidence.find((e) => e.path !== "." && e.path !== "");
  return {
    ruleId: r.id,
    ruleIndex,
    level: "warning",
    kind: "fail",
    message: { text: sarifText(`Missing evidence: ${r.title}. ${r.fix}`) },
    locations: [location(at ?? { path: anchor, line: 1 }, prefix)],
    // The rule id is the identity of a finding: one per rule per repository, wherever it is pinned.
    // Giving primaryLocationLineHash ourselves stops upload-sarif hashing the anchor line, so an
    // edit to the README's first line does not close and reopen every repository-wide alert.
    partialFingerprints: {
      "skillproofRule/v1": r.id,
      primaryLocationLineHash: `${createHash("sha256").update(r.id).digest("hex").slice(0, 16)}:1`,
    },
    properties: { skill: r.skill, weight: r.weight },
  };
}

function location(e: Evidence, prefix: string) {
  const path = prefix ? `${prefix}/${e.path}` : e.path;
  return {
    physicalLocation: {
      artifactLocation: { uri: path.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT },
      region: { startLine: e.line ?? 1 },
    },
  };
}
