import { describe, expect, it } from "vitest";
import { planSectionMarkdown, roleSectionMarkdown } from "../../src/report/markdown.js";
import { planSectionText, roleSectionText } from "../../src/report/text.js";
import type { PlanStep, RoleFit } from "../../src/roles/types.js";
import type { Target } from "../../src/sources/source.js";
import { inspectMarkdown } from "../helpers/githubMarkdown.js";

const fit: RoleFit = {
  id: "backend-java",
  title: "Backend developer (Java)",
  summary: "A Java service team on Spring Boot, PostgreSQL and Redis.",
  fit: 64,
  stack: [
    { name: "Spring Boot", required: true, present: true, evidence: { path: "pom.xml", line: 12 } },
    { name: "PostgreSQL", required: true, present: false, evidence: null },
    { name: "Redis", required: false, present: true, evidence: { path: "docker-compose.yml" } },
  ],
  gaps: [{ ruleId: "testing/coverage", title: "Test coverage measured", gain: 6, fix: "Add JaCoCo to `pom.xml`.", fixFor: "Java · Maven" }],
};

const plan: PlanStep[] = [
  { step: 2, weeks: "3-4", name: "data", items: [{ stackItem: "PostgreSQL", title: "Use PostgreSQL", fix: "Add a PostgreSQL service to compose." }] },
  { step: 1, weeks: "1-2", name: "foundations", items: [] },
];

const github: Target = { kind: "github", owner: "octo", repo: "svc", sha: "0123456789abcdef0123456789abcdef01234567" };

describe("role section", () => {
  it("text: fit, required stack before preferred with the proving file, gaps with their fix", () => {
    const text = roleSectionText(fit, { color: false }).join("\n");
    expect(text).toContain("Role fit: Backend developer (Java) [backend-java] · 64/100");
    expect(text).toMatch(/Required stack \(1\/2\)\n\s+✓ Spring Boot\s+pom\.xml:12\n\s+✗ PostgreSQL\s+missing\n\s+Preferred stack \(1\/1\)\n\s+✓ Redis\s+docker-compose\.yml/);
    expect(text).toMatch(/1\. Test coverage measured \[testing\/coverage\] {2}\+6\n\s+fix \(Java · Maven\): Add JaCoCo/);
  });

  it("text: the plan's steps earliest first; control characters in role text are shown, not sent", () => {
    const lines = planSectionText(plan, { color: false });
    expect(lines.findIndex((l) => l.includes("weeks 1-2"))).toBeLessThan(lines.findIndex((l) => l.includes("weeks 3-4")));
    const hostile = roleSectionText({ ...fit, title: "evil\x1b[2J", stack: [{ name: "x\nforged", required: true, present: true, evidence: { path: "a\x1b]8;;b", repo: "o/r" } }] }, { color: false }).join("\n");
    expect(hostile).not.toContain("\x1b");
    expect(hostile).toContain("o/r: a");
  });

  it("markdown: links proof at the audited commit, names the repository in a portfolio, no foreign link or mention", () => {
    const md = roleSectionMarkdown(fit, () => github).join("\n");
    expect(md).toContain("[`pom.xml:12`](https://github.com/octo/svc/blob/0123456789abcdef0123456789abcdef01234567/pom.xml#L12)");
    expect(md).toContain("| PostgreSQL | required | ❌ missing | – |");
    expect(inspectMarkdown(md).problems).toEqual([]);
    const hostile: RoleFit = {
      ...fit,
      title: "@everyone [x](https://evil.example)",
      summary: "<img src=x> #1",
      stack: [{ name: "a|b @admin", required: true, present: true, evidence: { path: "x|`y`](https://evil.example)", repo: "o/r" } }],
    };
    const out = roleSectionMarkdown(hostile, () => undefined).join("\n") + "\n" + planSectionMarkdown([{ step: 1, weeks: "1-2", name: "foundations", items: [{ stackItem: "@x", title: "www.evil.example", fix: "[y](https://evil.example) @team" }] }]).join("\n");
    expect(inspectMarkdown(out).problems).toEqual([]);
    expect(out).toContain("| Repository |");
  });
});
