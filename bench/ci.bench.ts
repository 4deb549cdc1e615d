/**
 * The CI matcher on a large GitHub Actions workflow: parsing it into jobs
 * and steps, and matching rules' `ci` leaves against the parsed steps.
 */
import { bench, describe } from "vitest";
import { AuditFacts } from "../src/engine/facts.js";
import { FileIndex } from "../src/engine/fileIndex.js";
import { evaluateCi, parseGitHubWorkflow } from "../src/engine/matchers/ci.js";
import { loadBuiltinRuleSet } from "../src/engine/ruleBundle.js";
import type { CiMatcher } from "../src/engine/types.js";
import { bigWorkflow } from "./contents.js";

const JOBS = 60;
const workflow = { path: ".github/workflows/ci.yml", text: bigWorkflow(JOBS) };
const lines = workflow.text.split("\n").length;
const index = new FileIndex([{ path: workflow.path }]);

function ciLeaves(x: unknown, out: Array<CiMatcher["ci"]> = []): Array<CiMatcher["ci"]> {
  if (Array.isArray(x)) for (const v of x) ciLeaves(v, out);
  else if (x && typeof x === "object") {
    for (const [k, v] of Object.entries(x)) {
      if (k === "examples") continue;
      if (k === "ci" && v && typeof v === "object" && !Array.isArray(v)) out.push(v as CiMatcher["ci"]);
      else ciLeaves(v, out);
    }
  }
  return out;
}
const rules = loadBuiltinRuleSet().rules;
const runsTests = ciLeaves(rules.find((r) => r.id === "ci-cd/runs-tests"))[0];
if (!runsTests) throw new Error("ci-cd/runs-tests has no ci leaf");
const allLeaves = ciLeaves(rules);

const facts = () => {
  const f = new AuditFacts(index, "TypeScript");
  f.store([workflow]);
  return f;
};
const check = evaluateCi(runsTests, facts());
if (check.state !== "known" || !check.ok) throw new Error("bench workflow should pass ci-cd/runs-tests");

describe(`CI matcher, ${JOBS}-job workflow (${lines} lines)`, () => {
  bench("parseGitHubWorkflow (YAML load + locate steps)", () => {
    parseGitHubWorkflow(workflow.text);
  }, { time: 700 });

  bench("evaluateCi: ci-cd/runs-tests' test-command leaf (parse + match)", () => {
    evaluateCi(runsTests, facts());
  }, { time: 700 });

  bench(`evaluateCi: all ${allLeaves.length} ci leaves of the shipped rules (one parse)`, () => {
    const f = facts();
    for (const leaf of allLeaves) evaluateCi(leaf, f);
  }, { time: 700 });
});
