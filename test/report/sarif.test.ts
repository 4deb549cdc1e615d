import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import type { Ajv as AjvClass } from "ajv";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import { auditToReport } from "../../src/pipeline.js";
import { renderSarif } from "../../src/report/sarif.js";
import { InMemorySource } from "../../src/sources/memory.js";
import { rule as matcherRule, ruleSet } from "../helpers/rules.js";

const require = createRequire(import.meta.url);
const { Ajv } = require("ajv") as typeof import("ajv");
const addFormats = (require("ajv-formats") as { default: (ajv: AjvClass) => AjvClass }).default;

// The official OASIS SARIF 2.1.0 schema (draft-07); see test/fixtures/sarif/README.md.
const schema = JSON.parse(readFileSync(new URL("../fixtures/sarif/sarif-schema-2.1.0.json", import.meta.url), "utf8")) as object;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const validate = ajv.compile(schema);

function expectValid(sarif: unknown): void {
  const ok = validate(sarif);
  expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
  expect(ok).toBe(true);
}

const rules = ruleSet(
  matcherRule("containers/dockerfile", { files: { include: "**/Dockerfile" } }, { title: "Dockerfile", why: "Containers ship the same everywhere.", fix: "Add a Dockerfile." }),
  matcherRule("docs/license", { files: { include: "LICENSE" } }, { title: "Licence", why: "Others may reuse it.", fix: "Add a LICENSE file.", weight: 2 }),
  matcherRule("security/no-secrets", { not: { content: { include: "**/*.env", pattern: "SECRET=\\w+" } } }, { title: "No committed secrets", why: "Leaked keys get abused.", fix: "Remove the secret and rotate it." }),
);

async function sarifFor(tree: Record<string, string>, target?: ConstructorParameters<typeof InMemorySource>[1]) {
  const report = await auditToReport(new InMemorySource(tree, target), rules, DEFAULT_CONFIG);
  return { report, sarif: JSON.parse(renderSarif(report)) as SarifLog };
}

interface SarifLog {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; rules: Array<{ id: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string }; properties: { skill: string; weight: number } }> } };
    results: Array<{ ruleId: string; ruleIndex: number; partialFingerprints: Record<string, string>; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }>;
    versionControlProvenance?: Array<{ repositoryUri: string; revisionId: string }>;
    properties: { score: number };
  }>;
}

describe("renderSarif", () => {
  it("gives one result per failed rule, with its fix as the message and every rule described", async () => {
    const { report, sarif } = await sarifFor({ "api/Dockerfile": "FROM node:20\n", "config/.env": "SECRET=abc123\n" });
    expectValid(sarif);
    const run = sarif.runs[0]!;
    expect(sarif.version).toBe("2.1.0");
    expect(run.tool.driver.name).toBe("skillproof");
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(["containers/dockerfile", "docs/license", "security/no-secrets"]);
    const license = run.tool.driver.rules[1]!;
    expect(license.shortDescription.text).toBe("Licence");
    expect(license.fullDescription.text).toBe("Others may reuse it.");
    expect(license.help.text).toContain("Fix: Add a LICENSE file.");
    expect(license.properties).toMatchObject({ skill: "docs", weight: 2 });

    expect(run.results.map((r) => r.ruleId)).toEqual(["docs/license", "security/no-secrets"]);
    expect(report.rules.filter((r) => r.status === "fail")).toHaveLength(run.results.length);
    const [missing, secret] = run.results;
    expect(missing!.message.text).toBe("Missing evidence: Licence. Add a LICENSE file.");
    expect(run.tool.driver.rules[missing!.ruleIndex]!.id).toBe("docs/license");
    // A rule that fails for lack of a file is pinned to the anchor file...
    expect(missing!.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: "README.md", uriBaseId: "%SRCROOT%" }, region: { startLine: 1 } });
    // ...and one that fails on what it found, to that file and line.
    expect(secret!.locations[0]!.physicalLocation.artifactLocation.uri).toBe("config/.env");
    expect(secret!.locations[0]!.physicalLocation.region.startLine).toBe(1);
    expect(run.properties.score).toBe(report.score);
    // A stable identity per rule, whatever file it is pinned to.
    const again = JSON.parse(renderSarif(report, { anchorFile: "docs/index.md" })) as SarifLog;
    expect(again.runs[0]!.results.map((r) => r.partialFingerprints)).toEqual(run.results.map((r) => r.partialFingerprints));
    expect(missing!.partialFingerprints).toEqual({ "skillproofRule/v1": "docs/license", primaryLocationLineHash: expect.stringMatching(/^[0-9a-f]{16}:1$/) });
    expect(secret!.partialFingerprints.primaryLocationLineHash).not.toBe(missing!.partialFingerprints.primaryLocationLineHash);
  });

  it("is valid with no failures, and names the audited commit for a GitHub target", async () => {
    const { sarif } = await sarifFor(
      { Dockerfile: "FROM node:20\n", LICENSE: "MIT License\n" },
      { kind: "github", owner: "octo", repo: "svc", sha: "0123456789abcdef0123456789abcdef01234567" },
    );
    expectValid(sarif);
    expect(sarif.runs[0]!.results).toEqual([]);
    expect(sarif.runs[0]!.versionControlProvenance).toEqual([{ repositoryUri: "https://github.com/octo/svc", revisionId: "0123456789abcdef0123456789abcdef01234567" }]);
  });

  it("honours another anchor file and a subfolder root, and encodes paths as URIs", async () => {
    const report = await auditToReport(new InMemorySource({ "my docs/a.env": "SECRET=x1\n" }), rules, DEFAULT_CONFIG);
    const sarif = JSON.parse(renderSarif(report, { anchorFile: "docs/index.md" })) as SarifLog;
    expectValid(sarif);
    const uris = sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toEqual(["docs/index.md", "docs/index.md", "my%20docs/a.env"]);
    // Audited from a subfolder of the repository: URIs stay relative to the repository root.
    const nested = JSON.parse(renderSarif(report, { root: "./services/api/" })) as SarifLog;
    expectValid(nested);
    expect(nested.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual([
      "services/api/README.md", "services/api/README.md", "services/api/my%20docs/a.env",
    ]);
    expect(JSON.parse(renderSarif(report, { root: "." })).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("README.md");
  });

  it("the schema check can fail: a result without a message is rejected", async () => {
    const { sarif } = await sarifFor({});
    const broken = structuredClone(sarif) as unknown as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    delete broken.runs[0]!.results[0]!.message;
    expect(validate(broken)).toBe(false);
  });
});
