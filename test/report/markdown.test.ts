import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import type { RuleResult } from "../../src/engine/types.js";
import { buildReport } from "../../src/report/model.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { renderText } from "../../src/report/text.js";
import { scoreResults } from "../../src/scoring/score.js";
import type { Target } from "../../src/sources/source.js";

function report(target: Target, results: RuleResult[]) {
  const skills = [{ id: "containers", title: "Containers", weight: 1, description: "" }];
  const scored = scoreResults(results, skills, new Map(results.map((r) => [r.id, 1])));
  const audit = { target, results, stack: { languages: [{ name: "Go", files: 3, share: 1 }], mainLanguage: "Go", frameworks: [] }, files: { listed: 3, considered: 3, read: 1 }, rounds: 1, warnings: [], notes: [] };
  return buildReport(audit, scored, DEFAULT_CONFIG);
}

const result = (id: string, status: RuleResult["status"], evidence: RuleResult["evidence"] = []): RuleResult => ({
  id,
  skill: "containers",
  title: id.split("/")[1]!,
  status,
  evidence,
  fix: "Add a multi-stage Dockerfile.",
  why: "Small images ship faster.",
});

const github: Target = { kind: "github", owner: "octo", repo: "svc", sha: "0123456789abcdef0123456789abcdef01234567" };

describe("renderMarkdown", () => {
  it("links evidence to the audited commit and lists the fix for what is missing", () => {
    const md = renderMarkdown(report(github, [result("containers/dockerfile", "pass", [{ path: "api/Dockerfile", line: 3, snippet: "FROM golang:1.22 AS build" }]), result("containers/multi-stage", "fail")]));
    expect(md).toContain("[`api/Dockerfile:3`](https://github.com/octo/svc/blob/0123456789abcdef0123456789abcdef01234567/api/Dockerfile#L3)");
    expect(md).toMatch(/❌ \*\*multi-stage\*\* \(`containers\/multi-stage`\)\n {2}- Why it matters: .*\n {2}- \*\*Fix:\*\* Add a multi-stage Dockerfile\./);
    expect(md).toMatch(/^## Skillproof report: 50\/100/);
  });

  it("steps down detail to fit a size limit, and says so", () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      result(`containers/rule-${i}`, "pass", Array.from({ length: 5 }, (_, j) => ({ path: `some/long/path/to/file-${i}-${j}.txt`, line: j + 1, snippet: "x".repeat(150) }))),
    );
    const full = renderMarkdown(report(github, many));
    const limit = Math.floor(full.length / 2);
    const trimmed = renderMarkdown(report(github, many), { maxLength: limit });
    expect(trimmed.length).toBeLessThanOrEqual(limit);
    expect(trimmed).toContain("left out to fit GitHub's size limit");
    const tiny = renderMarkdown(report(github, many), { maxLength: 1000 });
    expect(tiny.length).toBeLessThanOrEqual(1000);
    expect(tiny).toContain("report cut to fit");
  });

  it("shows a snippet as it is, in a code span its backticks cannot close", () => {
    const md = renderMarkdown(report(github, [result("containers/dockerfile", "pass", [{ path: "Dockerfile", line: 1, snippet: "RUN a | b <c> `x`" }])]));
    expect(md).toContain("— `` RUN a | b <c> `x` ``");
  });
});

describe("renderText", () => {
  it("colours only when asked", () => {
    const r = report({ kind: "local", path: "/x" }, [result("containers/dockerfile", "pass", [{ path: "Dockerfile" }])]);
    expect(renderText(r, { color: false })).not.toContain("\x1b[");
    expect(renderText(r, { color: true })).toContain("\x1b[32m✓");
  });

  it("shows control characters in a file name instead of sending them to the terminal", () => {
    const r = report({ kind: "local", path: "/x" }, [result("containers/dockerfile", "pass", [{ path: "a\x1b[2Jb\nfake: line\u202e.Dockerfile" }])]);
    const text = renderText(r, { color: false });
    expect(text).not.toContain("\x1b");
    expect(text).not.toContain("\u202e");
    expect(text).toContain("a␛[2Jb␊fake: line\ufffd.Dockerfile");
  });
});
