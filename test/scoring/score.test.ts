import { describe, expect, it } from "vitest";
import type { RuleResult } from "../../src/engine/types.js";
import { scoreResults, TOKEN_SHARE } from "../../src/scoring/score.js";

const r = (id: string, status: RuleResult["status"]): RuleResult => ({ id, skill: id.split("/")[0]!, title: id, status, evidence: [], fix: "f", why: "w" });
const skills = [
  { id: "testing", title: "Testing", weight: 3, description: "" },
  { id: "docs", title: "Docs", weight: 1, description: "" },
  { id: "data", title: "Data", weight: 2, description: "" },
];

describe("scoreResults", () => {
  it("scores skills by passed over applicable weight and overall by skill weight", () => {
    const weights = new Map([["testing/a", 3], ["testing/b", 1], ["docs/a", 1], ["data/a", 1], ["data/b", 1]]);
    const report = scoreResults(
      [r("testing/a", "pass"), r("testing/b", "fail"), r("docs/a", "pass"), r("data/a", "not-applicable"), r("data/b", "not-applicable")],
      skills,
      weights,
    );
    expect(report.skills.map((s) => [s.id, s.score, s.passed, s.applicable])).toEqual([
      ["testing", 75, 1, 2],
      ["docs", 100, 1, 1],
      ["data", null, 0, 0],
    ]);
    // (3 * 0.75 + 1 * 1) / 4 = 0.8125; data has no applicable rule and does not count
    expect(report.score).toBe(81);
    expect(report.counts).toEqual({ passed: 2, failed: 1, notApplicable: 2, applicable: 3 });
    expect(report.rules.find((x) => x.id === "testing/a")).toMatchObject({ weight: 3, earned: 3 });
  });

  it("gives 0 when nothing applies", () => {
    expect(scoreResults([], skills, new Map()).score).toBe(0);
  });

  it("weights change scores, never verdicts", () => {
    const results = [r("testing/a", "pass"), r("testing/b", "fail")];
    const light = scoreResults(results, skills, new Map([["testing/a", 1], ["testing/b", 9]]));
    const heavy = scoreResults(results, skills, new Map([["testing/a", 9], ["testing/b", 1]]));
    expect(light.score).toBe(10);
    expect(heavy.score).toBe(90);
    expect(light.rules.map((x) => x.status)).toEqual(heavy.rules.map((x) => x.status));
  });

  it("gives a pass on token evidence a share of its weight, never the whole, and still counts it as passed", () => {
    const weights = new Map([["testing/a", 4], ["testing/b", 4]]);
    const token = scoreResults([{ ...r("testing/a", "pass"), depth: "token", depthReason: "one trivial test" }, r("testing/b", "pass")], skills, weights);
    const full = scoreResults([{ ...r("testing/a", "pass"), depth: "full" }, r("testing/b", "pass")], skills, weights);
    expect(TOKEN_SHARE).toBeGreaterThan(0);
    expect(TOKEN_SHARE).toBeLessThan(1);
    expect(token.rules[0]).toMatchObject({ status: "pass", weight: 4, earned: 4 * TOKEN_SHARE });
    expect(token.skills[0]).toMatchObject({ passed: 2, applicable: 2, score: Math.round(((4 * TOKEN_SHARE + 4) / 8) * 100) });
    expect(full.skills[0]!.score).toBe(100);
    expect(token.score).toBeLessThan(full.score);
    expect(token.counts.passed).toBe(2);
  });
});
