import { describe, expect, it } from "vitest";
import { attributionFlags, candidateRow, errorRow, renderShortlistMarkdown, renderShortlistText, sortShortlist, type Shortlist } from "../../src/report/compare.js";
import type { Attribution } from "../../src/recruit/types.js";
import type { RoleFit } from "../../src/roles/types.js";
import { inspectMarkdown } from "../helpers/githubMarkdown.js";

const role = (fit: number): RoleFit => ({
  id: "backend-java",
  title: "Backend developer (Java)",
  summary: "",
  fit,
  stack: [
    { name: "Spring Boot", required: true, present: true, evidence: { path: "pom.xml" } },
    { name: "PostgreSQL", required: true, present: false, evidence: null },
    { name: "Redis", required: false, present: true, evidence: { path: "compose.yml" } },
  ],
  gaps: [],
});

const skills = [
  { id: "testing", title: "Testing", score: 80, weight: 2 },
  { id: "containers", title: "Containers", score: 80, weight: 1 },
  { id: "iac", title: "IaC", score: 0, weight: 1 },
  { id: "k8s", title: "Kubernetes", score: null, weight: 1 },
];

const fork: Attribution = {
  candidate: "alice",
  forkOf: "bigco/web",
  template: null,
  defaultBranch: "main",
  commits: { total: 900, byCandidate: 18, share: 0.02 },
  lastPush: null,
  ci: "failing",
  stars: 0,
  lowShare: true,
  ownWork: false,
};

describe("shortlist", () => {
  it("a row: required stack present n/m, strongest (heavier on a tie) and weakest scored skill", () => {
    const row = candidateRow("./a", { role: role(70), score: 61, skills, attributions: [] });
    expect(row).toMatchObject({ target: "./a", fit: 70, score: 61, requiredPresent: 1, requiredTotal: 2, flags: [] });
    expect(row.strongest).toEqual({ id: "testing", title: "Testing", score: 80 });
    expect(row.weakest).toEqual({ id: "iac", title: "IaC", score: 0 });
  });

  it("flags forks and little own work, naming the repository in a portfolio", () => {
    expect(attributionFlags([{ repo: "alice/web", attribution: fork }])).toEqual(["fork of bigco/web", "little own work (2%)"]);
    expect(attributionFlags([{ repo: "alice/web", attribution: fork }, { repo: "alice/go", attribution: { ...fork, forkOf: null, lowShare: false, template: "acme/tpl" } }])).toEqual([
      "alice/web: fork of bigco/web",
      "alice/web: little own work (2%)",
      "alice/go: template acme/tpl",
    ]);
  });

  it("sorts by fit, then score; failed targets last in the order given", () => {
    const rows = [
      errorRow("@ghost", "GitHub user @ghost was not found."),
      candidateRow("b", { role: role(40), score: 90, skills, attributions: [] }),
      candidateRow("a", { role: role(70), score: 10, skills, attributions: [] }),
      candidateRow("c", { role: role(40), score: 95, skills, attributions: [] }),
      errorRow("./nope", "no such directory: ./nope"),
    ];
    expect(sortShortlist(rows).map((r) => r.target)).toEqual(["a", "c", "b", "@ghost", "./nope"]);
  });

  const hostile: Shortlist = {
    role: { id: "backend-java", title: "Java @team" },
    candidates: [
      candidateRow("x|y @bob", { role: role(50), score: 50, skills, attributions: [{ repo: "a/b", attribution: { ...fork, forkOf: "[z](https://evil.example)" } }] }),
      errorRow("@ghost", "GitHub user @ghost #1 was not found.\x1b[2J"),
    ],
  };

  it("text: one line per candidate, errors in the row, no control characters", () => {
    const text = renderShortlistText(hostile, { color: false });
    const lines = text.split("\n");
    expect(lines[2]).toMatch(/^#\s+Candidate\s+Fit\s+Score\s+Required\s+Strongest\s+Weakest\s+Flags$/);
    expect(lines[3]).toMatch(/^1\s+x\|y @bob\s+50\s+50\s+1\/2\s+Testing 80\s+IaC 0\s+fork of \[z\]/);
    expect(lines[4]).toMatch(/^2\s+@ghost\s+–.*error: GitHub user @ghost #1 was not found\.␛\[2J$/);
    expect(text).not.toContain("\x1b");
  });

  it("markdown: one table row per candidate, no foreign link, mention or broken cell", () => {
    const md = renderShortlistMarkdown(hostile);
    expect(inspectMarkdown(md).problems).toEqual([]);
    const rows = md.split("\n").filter((l) => /^\| \d /.test(l));
    expect(rows).toHaveLength(2);
    // Eight cells each: an escaped `|` in a name does not split a cell.
    for (const r of rows) expect(r.split(/(?<!\\)\|/).length - 2).toBe(8);
  });
});
