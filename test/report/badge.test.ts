import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import { auditToReport } from "../../src/pipeline.js";
import { BADGE_BANDS, badgeColor, renderBadge } from "../../src/report/badge.js";
import { InMemorySource } from "../../src/sources/memory.js";
import { rule, ruleSet } from "../helpers/rules.js";

const rules = ruleSet(
  rule("docs/readme", { files: { include: "README.md" } }),
  rule("docs/license", { files: { include: "LICENSE" } }),
  rule("docs/contributing", { files: { include: "CONTRIBUTING.md" } }),
  rule("docs/adr", { files: { include: "docs/adr/*.md" } }),
);

async function badgeFor(tree: Record<string, string>) {
  const report = await auditToReport(new InMemorySource(tree), rules, DEFAULT_CONFIG);
  return { score: report.score, badge: JSON.parse(renderBadge(report)) as Record<string, unknown> };
}

describe("renderBadge", () => {
  it("is a shields.io endpoint with the score and its band's colour", async () => {
    const { score, badge } = await badgeFor({ "README.md": "# x", LICENSE: "MIT", "CONTRIBUTING.md": "run npm test" });
    expect(score).toBe(75);
    expect(badge).toEqual({ schemaVersion: 1, label: "skillproof", message: "75/100", color: "green" });
    expect((await badgeFor({})).badge).toMatchObject({ message: "0/100", color: "red" });
    expect((await badgeFor({ "README.md": "", LICENSE: "", "CONTRIBUTING.md": "", "docs/adr/1.md": "" })).badge).toMatchObject({ message: "100/100", color: "brightgreen" });
  });

  it("colours by documented bands, inclusive at each lower bound", () => {
    expect([100, 90, 89, 75, 74, 60, 59, 40, 39, 20, 19, 0].map(badgeColor)).toEqual([
      "brightgreen", "brightgreen", "green", "green", "yellowgreen", "yellowgreen", "yellow", "yellow", "orange", "orange", "red", "red",
    ]);
    expect(BADGE_BANDS.map((b) => b.min)).toEqual([90, 75, 60, 40, 20, 0]);
  });
});
