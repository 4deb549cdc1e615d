/**
 * ReDoS gate for the shipped rules: no regular expression a rule ships may backtrack
 * catastrophically on a file a candidate controls.
 *
 * Design: recheck (https://makenowjust-labs.github.io/recheck/) takes seconds per pattern and
 * minutes for the catalog, and its "unknown" verdicts depend on the machine's speed, so it does
 * not run over every pattern on every test run. Instead test/engine/redos-verified.json records,
 * like a lockfile, every shipped pattern keyed by (flags, source) with recheck's verdict at the
 * time it was checked; `node scripts/redos.js --update` writes it. This test:
 *   (a) checks that every shipped pattern has a record with the same source and flags. A new or
 *       changed pattern without one is checked by recheck here (its native binary when installed,
 *       else its pure-JavaScript engine) and fails unless safe, telling the author to run the script;
 *   (b) fails on any exponential record (those must be rewritten) and on any polynomial record
 *       without its degree and a one-line `bounded` reason: why the input that pattern sees is
 *       small (lines are cut at MAX_LINE_CHARS before any regex sees them, src/engine/facts.ts;
 *       files are read up to MAX_READ_BYTES, src/sources/source.ts; `ci.run` is tested one line
 *       of a run step at a time, src/engine/matchers/ci.ts);
 *   (c) fails on records of patterns no longer shipped, so the record stays exact.
 * A normal run does no recheck work at all unless a pattern changed.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadRuleSet } from "../../src/engine/loadRules.js";
import { checkPattern, readRecord, recordKey, shippedPatterns } from "../../scripts/redos.js";

interface ShippedPattern {
  file: string;
  where: string;
  source: string;
  flags: string;
}
interface PatternRecord {
  flags: string;
  source: string;
  status: string;
  complexity?: string;
  degree?: number;
  bounded?: string;
}

const shipped = shippedPatterns(loadRuleSet().rules) as ShippedPattern[];
const record = readRecord() as PatternRecord[];
const recorded = new Map(record.map((r) => [recordKey(r), r]));
const unrecorded = [...new Map(shipped.filter((p) => !recorded.has(recordKey(p))).map((p) => [recordKey(p), p])).values()];
const where = (p: Pick<ShippedPattern, "source" | "flags">) =>
  shipped
    .filter((s) => recordKey(s) === recordKey(p))
    .map((s) => `${s.file} ${s.where}`)
    .join(", ");

// recheck's budget for a pattern checked here; past it the verdict is "unknown", which fails.
const RECHECK_TIMEOUT_MS = 10_000;
const UPDATE = "run `node scripts/redos.js --update` and commit test/engine/redos-verified.json";

describe("rule regular expressions cannot backtrack catastrophically (recheck, test/engine/redos-verified.json)", () => {
  it(
    "every shipped pattern has a record, or recheck finds it safe now",
    async () => {
      const failures: string[] = [];
      for (const p of unrecorded) {
        const v = await checkPattern(p.source, p.flags, RECHECK_TIMEOUT_MS);
        if (v.status === "safe") continue;
        const verdict =
          v.status === "vulnerable"
            ? `${v.complexity}${v.degree ? ` of degree ${v.degree}` : ""} backtracking, attack ${v.attack}`
            : `recheck could not decide (${v.error}) in ${RECHECK_TIMEOUT_MS / 1000} s: simplify it`;
        failures.push(`${where(p)}: /${p.source}/${p.flags} has no record and is ${verdict}; rewrite it, or ${UPDATE}`);
      }
      expect(failures).toEqual([]);
    },
    unrecorded.length * (RECHECK_TIMEOUT_MS + 5_000) + 5_000,
  );

  it("no record is exponential, and every polynomial one says why its input is bounded", () => {
    const bad = record.flatMap((r) => {
      if (r.status === "safe") return [];
      const name = `${where(r) || "(not shipped)"}: /${r.source}/${r.flags}`;
      if (r.status !== "vulnerable") return [`${name}: status "${r.status}" is neither safe nor vulnerable`];
      if (r.complexity !== "polynomial") return [`${name}: ${r.complexity} backtracking: rewrite the pattern`];
      if (!Number.isInteger(r.degree) || r.degree! < 2) return [`${name}: polynomial without its degree`];
      if (!r.bounded?.trim()) return [`${name}: polynomial of degree ${r.degree} without a "bounded" reason`];
      return [];
    });
    expect(bad).toEqual([]);
  });

  it("records only patterns that are still shipped", () => {
    const live = new Set(shipped.map(recordKey));
    expect(record.filter((r) => !live.has(recordKey(r))).map((r) => `/${r.source}/${r.flags}: not shipped any more; ${UPDATE}`)).toEqual([]);
  });

  it("covers every regex-valued field of the rule schema", () => {
    const schema = JSON.parse(readFileSync(new URL("../../rules/schema.json", import.meta.url), "utf8")) as { definitions: Record<string, unknown> };
    const regexFields = new Set<string>();
    const walk = (node: unknown, path: string[]): void => {
      if (!node || typeof node !== "object") return;
      const o = node as Record<string, unknown>;
      if (o.$ref === "#/definitions/regex") regexFields.add(path.filter((s) => s !== "properties" && s !== "additionalProperties").join("."));
      for (const [k, v] of Object.entries(o)) walk(v, [...path, k]);
    };
    walk(schema.definitions.matcher, []);
    // The rule matcher's own "properties" wrapper and "within.dependency" nesting read like the engine's paths.
    expect([...regexFields].sort()).toEqual(
      ["ci.ignoreJobsMatching", "ci.run", "ci.uses", "ci.with", "compose.image", "content.pattern", "content.within.dependency.pattern", "dependency.pattern", "dockerfile.argsPattern"].sort(),
    );
  });
});
