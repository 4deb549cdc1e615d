import { afterEach, describe, expect, it, vi } from "vitest";
import { audit, considerableFiles } from "../../src/engine/audit.js";
import { AuditTimeoutError, checkDeadline, DeadlineCheck, formatBudget } from "../../src/engine/budget.js";
import { evaluateRules } from "../../src/engine/evaluate.js";
import { AuditFacts } from "../../src/engine/facts.js";
import { FileIndex } from "../../src/engine/fileIndex.js";
import { loadBuiltinRuleSet } from "../../src/engine/ruleBundle.js";
import { InMemorySource } from "../../src/sources/memory.js";
import { rule, ruleSet } from "../helpers/rules.js";

/** A generated tree: `n` Python modules with tests, a Dockerfile and CI. */
function generatedTree(n: number): Record<string, string> {
  const tree: Record<string, string> = {
    Dockerfile: "FROM python:3.12 AS build\nRUN pip install .\nFROM python:3.12-slim\nUSER app\n",
    ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n",
    "pyproject.toml": '[project]\nname = "gen"\ndependencies = ["fastapi"]\n',
  };
  for (let i = 0; i < n; i++) {
    tree[`pkg/mod${i}.py`] = `def f${i}(x):\n    return x + ${i}\n`;
    tree[`tests/test_mod${i}.py`] = `from pkg.mod${i} import f${i}\n\ndef test_f():\n    assert f${i}(1) == ${i + 1}\n`;
  }
  return tree;
}

/** A clock that moves one millisecond each time it is read: the budget then counts clock reads, i.e. units of work. */
function steppingClock(): { start: number } {
  const start = 1_000_000;
  let now = start;
  vi.spyOn(Date, "now").mockImplementation(() => now++);
  return { start };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the audit's time budget", () => {
  const rules = loadBuiltinRuleSet();

  it("a deadline already past stops the audit with AuditTimeoutError, carrying the budget", async () => {
    const err = await audit(new InMemorySource(generatedTree(50)), { ruleSet: rules, deadline: Date.now() - 1, budgetMs: 60_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuditTimeoutError);
    expect(err).toMatchObject({ name: "AuditTimeoutError", budgetMs: 60_000, message: "the audit ran out of time after 60s" });
  });

  it("a deadline far away changes nothing in the result", async () => {
    const tree = generatedTree(200);
    const plain = await audit(new InMemorySource(tree), { ruleSet: rules });
    const timed = await audit(new InMemorySource(tree), { ruleSet: rules, deadline: Date.now() + 3_600_000 });
    expect(timed).toEqual(plain);
    expect(plain.results.find((r) => r.id === "testing/test-files")?.status).toBe("pass");
  });

  it("is checked while the config's globs are matched, path by path, not only between phases", () => {
    const files = Object.keys(generatedTree(1000)).map((path) => ({ path }));
    const { start } = steppingClock();
    // 200 clock reads for 2,003 paths, read every 16 paths: past the deadline well before the end of the list.
    const deadline = new DeadlineCheck(start + 100, 100);
    expect(() => considerableFiles(files, ["never/**"], deadline)).toThrow(AuditTimeoutError);
    expect(Date.now() - start).toBeLessThan(files.length / 16);
    // With room enough, the same work completes.
    const roomy = new DeadlineCheck(Date.now() + 1_000, 1_000);
    expect(considerableFiles(files, ["never/**"], roomy)).toHaveLength(files.length);
  });

  it("is checked file by file while a rule's content patterns run, and rule by rule", async () => {
    const tree = generatedTree(1000);
    // A rule that reads every test file and passes on none, so it looks at all 1,000.
    const slow = rule("t/slow", { content: { include: "tests/**/*.py", pattern: "never matches this" } });
    const { start } = steppingClock();
    const err = await audit(new InMemorySource(tree), { ruleSet: ruleSet(slow), deadline: start + 150 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuditTimeoutError);
    // Filtering 2,003 paths reads the clock 125 times: the rest of the budget ran out inside the content matcher.
    const facts = new AuditFacts(new FileIndex([{ path: "a.py" }]), undefined);
    expect(() => evaluateRules(ruleSet(slow).rules, facts, undefined, new DeadlineCheck(Date.now() - 1, 5))).toThrow(AuditTimeoutError);
  });

  it("checkDeadline and formatBudget, for callers outside the engine", () => {
    expect(() => checkDeadline(undefined, 1)).not.toThrow();
    expect(() => checkDeadline(Date.now() + 60_000, 60_000)).not.toThrow();
    expect(() => checkDeadline(Date.now() - 1, 1)).toThrow("the audit ran out of time after 0.001s");
    expect(formatBudget(300_000)).toBe("300s");
    expect(formatBudget(1_500)).toBe("1.5s");
  });
});
