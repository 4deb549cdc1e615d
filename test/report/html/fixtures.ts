import { DEFAULT_CONFIG } from "../../../src/config/config.js";
import type { AuditedRule } from "../../../src/engine/depth/index.js";
import { buildReport } from "../../../src/report/model.js";
import type { HistoryPoint, StoredAudit } from "../../../src/report/stored.js";
import { scoreResults } from "../../../src/scoring/score.js";

export const COMMIT = "0123456789abcdef0123456789abcdef01234567";

const SKILLS = [
  { id: "testing", title: "Testing", weight: 3, description: "" },
  { id: "containers", title: "Containers", weight: 1, description: "" },
  { id: "api", title: "API design", weight: 2, description: "" },
  { id: "iac", title: "Infrastructure as code", weight: 1, description: "" },
];

const rule = (over: Partial<AuditedRule> & Pick<AuditedRule, "id" | "status">): AuditedRule => ({
  skill: over.id.split("/")[0]!,
  title: over.id.split("/")[1]!.replace(/-/g, " "),
  evidence: [],
  fix: "Add it.",
  why: "It matters.",
  ...over,
});

/** The verdicts of a small Spring service: full and token passes, a fail with a stack fix, rules that do not apply. */
export function results(extra: AuditedRule[] = []): AuditedRule[] {
  return [
    rule({
      id: "testing/unit-tests",
      status: "pass",
      summary: "143 test files, test-to-source ratio 0.41",
      depth: "full",
      evidence: [
        { path: "src/test/java/com/acme/OrderServiceTest.java", line: 12, snippet: "@Test void placesAnOrder() {" },
        { path: "src/test/java/com/acme/Order Repo Test.java", line: 3, snippet: "class OrderRepoTest" },
      ],
    }),
    rule({
      id: "testing/integration-tests",
      status: "pass",
      depth: "token",
      depthReason: "one test class uses `@SpringBootTest`",
      evidence: [{ path: "src/test/java/com/acme/AppIT.java", line: 7 }],
    }),
    rule({
      id: "testing/coverage-gate",
      status: "fail",
      fix: "Add the JaCoCo plugin with a `check` goal and a minimum ratio.",
      fixFor: "Maven",
      generalFix: "Fail the build below a coverage threshold.",
      why: "A gate keeps coverage from eroding.",
    }),
    rule({ id: "containers/dockerfile", status: "pass", evidence: [{ path: "Dockerfile", line: 1, snippet: "FROM eclipse-temurin:21 AS build" }] }),
    rule({ id: "containers/non-root", status: "fail", fix: "Add a `USER app` line to the final stage.", evidence: [{ path: "Dockerfile", line: 9, snippet: "USER root" }] }),
    rule({ id: "api/openapi", status: "pass", evidence: [{ path: "openapi.yaml", line: 1, snippet: "openapi: 3.1.0" }] }),
    rule({ id: "iac/terraform", status: "not-applicable" }),
    rule({ id: "iac/terraform-tests", status: "not-applicable", unmetRequires: ["iac/terraform"] }),
    ...extra,
  ];
}

export function storedAudit(over: { owner?: string; repo?: string; fork?: boolean; results?: AuditedRule[]; warnings?: string[] } = {}): StoredAudit {
  const owner = over.owner ?? "octo";
  const repo = over.repo ?? "orders";
  const rs = over.results ?? results();
  const scored = scoreResults(rs, SKILLS, new Map(rs.map((r) => [r.id, 1])));
  const report = buildReport(
    {
      target: { kind: "github", owner, repo, sha: COMMIT },
      results: rs,
      stack: {
        languages: [
          { name: "Java", files: 81, share: 0.81 },
          { name: "Shell", files: 9, share: 0.09 },
        ],
        mainLanguage: "Java",
        frameworks: [{ name: "Spring Boot", evidence: { path: "pom.xml", line: 21 } }],
      },
      files: { listed: 120, considered: 100, read: 40 },
      rounds: 1,
      warnings: over.warnings ?? ["pom.xml: could not parse a <dependency> block"],
      notes: ["Rules disabled by the config: none"],
    },
    scored,
    DEFAULT_CONFIG,
  );
  return {
    owner,
    repo,
    defaultBranch: "main",
    commit: COMMIT,
    auditedAt: "2026-11-30T10:15:30.000Z",
    committedAt: "2026-11-29T08:00:00Z",
    ...(over.fork ? { fork: true } : {}),
    report,
  };
}

export function history(n: number): HistoryPoint[] {
  return Array.from({ length: n }, (_, i) => ({
    commit: `${String(i).padStart(2, "0")}${"a".repeat(38)}`,
    date: new Date(Date.UTC(2026, 10, 1 + i, 12)).toISOString(),
    score: 40 + i,
    skills: { testing: 40 + i },
  }));
}

export const LINKS = {
  githubUrl: "https://github.com",
  css: "/assets/skillproof.css",
  badgeSvg: "https://skillproof.example/badge/octo/orders.svg",
  badgeJson: "https://skillproof.example/badge/octo/orders.json",
  historySvg: "/r/octo/orders/history.svg",
  portfolio: "/u/octo",
  self: "https://skillproof.example/r/octo/orders",
};
