import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadRuleSet } from "../../src/engine/loadRules.js";

// The catalog's ids are a public contract. Where the project lives beside the
// shared catalog (developers, CI) check against it; the same list is kept here
// so a fresh clone elsewhere still checks every id.
const CATALOG_IDS = `testing/test-files testing/framework testing/coverage testing/integration ci-cd/pipeline ci-cd/runs-tests
ci-cd/deploy ci-cd/dependency-updates containers/dockerfile containers/multi-stage containers/non-root containers/compose
containers/dockerignore kubernetes/manifests iac/terraform iac/other api/openapi-spec api/openapi-generated api/validation
data/migrations data/sql-database data/indexes data/nosql caching/redis messaging/broker observability/metrics
observability/tracing observability/structured-logging observability/health-check observability/dashboards
security/password-hashing security/auth security/scanning security/policy security/no-committed-secrets resilience/patterns
quality/linter quality/formatter quality/pre-commit quality/static-typing docs/readme docs/diagram docs/run-locally docs/adr
docs/license docs/contributing impact/load-tests impact/benchmarks impact/readme-metrics collab/templates collab/codeowners
collab/changelog`.split(/\s+/);

function sharedCatalogIds(): string[] | undefined {
  try {
    const text = readFileSync(new URL("../../../shared/CATALOG.md", import.meta.url), "utf8");
    return [...text.matchAll(/^\| ([a-z-]+\/[a-z-]+) \|/gm)].map((m) => m[1]!);
  } catch {
    return undefined;
  }
}

describe("catalog coverage", () => {
  const ids = new Set(loadRuleSet().rules.map((r) => r.id));
  it("has a rule for every catalog id", () => {
    expect(CATALOG_IDS.filter((id) => !ids.has(id))).toEqual([]);
    expect(CATALOG_IDS).toHaveLength(52);
  });
  it("agrees with the shared catalog when it is there", () => {
    const shared = sharedCatalogIds();
    if (shared) expect(shared.filter((id) => !ids.has(id))).toEqual([]);
  });
});
