import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit.js";
import { isComposePath } from "../../../src/engine/matchers/compose.js";
import { InMemorySource } from "../../../src/sources/memory.js";
import { rule, ruleSet } from "../../helpers/rules.js";

const compose = `services:
  api:
    build: .
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8080/health"]
  db:
    image: postgres:16
    healthcheck:
      test: ["CMD", "pg_isready"]
`;

describe("compose matcher", () => {
  it("recognises compose file names", () => {
    expect(["docker-compose.yml", "deploy/compose.yaml", "docker-compose.test.yml", "compose.override.yml"].every(isComposePath)).toBe(true);
    expect(isComposePath("composer.json")).toBe(false);
  });

  it("matches services by keys and image", async () => {
    const result = await audit(new InMemorySource({ "docker-compose.yml": compose }), {
      ruleSet: ruleSet(
        rule("o/own-health", { compose: { has: ["build", "healthcheck"] } }),
        rule("d/postgres", { compose: { image: "^postgres" } }),
        rule("c/redis", { compose: { image: "redis" } }),
      ),
    });
    expect(result.results.map((r) => [r.status, r.evidence[0]?.line])).toEqual([
      ["pass", 2],
      ["pass", 6],
      ["fail", undefined],
    ]);
  });
});
