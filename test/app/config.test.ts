import nock from "nock";
import { ProbotOctokit } from "probot";
import { describe, expect, it, vi } from "vitest";
import { CONFIG_PATH, loadAuditConfig, parseExtends } from "../../src/app/audit/config.js";
import { ConfigError, MAX_CONFIG_BYTES } from "../../src/config/config.js";
import { yamlLib } from "../../src/engine/yamlLibs.js";
import { InMemorySource } from "../../src/sources/memory.js";
import { useNock } from "../helpers/nock.js";
import { API, contentsFile } from "../fixtures/app/fakeGitHub.js";

useNock({ noUnmatched: true });

// Counts YAML parses: each config file is parsed once. The yaml library is loaded on first
// use through yamlLibs (not imported), so the spy goes on what yamlLib() hands out.
vi.mock("../../src/engine/yamlLibs.js", async (original) => {
  const libs = await original<typeof import("../../src/engine/yamlLibs.js")>();
  const yaml = libs.yamlLib();
  const spied = { ...yaml, parseDocument: vi.fn(yaml.parseDocument) };
  return { ...libs, yamlLib: () => spied };
});
const parseDocument = yamlLib().parseDocument;

const IDS = ["docs/readme", "containers/multi-stage", "data/migrations"];
const octokit = () => new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
const own = (text: string) => new InMemorySource({ "README.md": "# hi\n", [CONFIG_PATH]: text });
const load = (text: string) => loadAuditConfig(own(text), octokit(), "acme", "hiring", IDS);
const contentsPath = (repo: string, path = CONFIG_PATH) => `/repos/acme/${repo}/contents/${encodeURIComponent(path)}`;

/** Serves one config file of acme as the contents API does, once. */
function serve(repo: string, text: string | { size: number }, path = CONFIG_PATH): nock.Scope {
  return nock(API).get(contentsPath(repo, path)).reply(200, contentsFile("acme", repo, path, text));
}

async function configError(p: Promise<unknown>): Promise<ConfigError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe("parseExtends", () => {
  it("takes a repository of the same owner, optionally with the config's own path", () => {
    expect(parseExtends(".github", "acme")).toEqual({ owner: "acme", repo: ".github", path: ".github/skillproof.yml" });
    expect(parseExtends("ACME/shared", "acme")).toEqual({ owner: "acme", repo: "shared", path: ".github/skillproof.yml" });
    expect(parseExtends("acme/shared:.github/skillproof.yaml", "acme")).toEqual({ owner: "acme", repo: "shared", path: ".github/skillproof.yaml" });
  });

  it("refuses other owners, other paths and names that are not GitHub's, naming the rule and not the value", () => {
    for (const value of ["attacker/cfg", "attacker/cfg:big.yml", "acme/secrets:config/db.yml", "acme/x:.github/../db.yml", "..", "acme/..", "a/b/c", "acme/x:"]) {
      const problem = parseExtends(value, "acme");
      expect(typeof problem).toBe("string");
      expect(problem).toContain("_extends must name a repository of acme");
      if (value.includes("attacker") || value.includes("secrets")) expect(problem).not.toContain(value);
    }
  });
});

describe("loadAuditConfig: _extends", () => {
  it("merges a same-owner base under the local file, reading each file once", async () => {
    const base = serve(".github", "threshold: 99\nissue: false\nweights:\n  docs/readme: 2\n");
    vi.mocked(parseDocument).mockClear();
    const config = await load("_extends: .github\nthreshold: 1\nweights:\n  data/migrations: 3\n");
    expect(config).toMatchObject({ threshold: 1, issue: false, weights: { "docs/readme": 2, "data/migrations": 3 } });
    expect(config.source).toBe(".github/skillproof.yml (extends acme/.github:.github/skillproof.yml)");
    expect(base.isDone()).toBe(true);
    expect(parseDocument).toHaveBeenCalledTimes(2);
  });

  it("follows a chain of same-owner bases, at most three deep", async () => {
    serve("a", "_extends: b\nthreshold: 10\n");
    serve("b", "_extends: acme/c:.github/skillproof.yaml\nissue: false\n", CONFIG_PATH);
    serve("c", "weights:\n  docs/readme: 4\n", ".github/skillproof.yaml");
    expect(await load("_extends: a\n")).toMatchObject({ threshold: 10, issue: false, weights: { "docs/readme": 4 } });

    serve("a", "_extends: b\n");
    serve("b", "_extends: c\n");
    serve("c", "_extends: d\n");
    const err = await configError(load("_extends: a\n"));
    expect(err.problem).toBe("_extends: the config extended from acme/a:.github/skillproof.yml is not valid skillproof config");
  });

  it("refuses another owner's file without asking GitHub for it", async () => {
    const err = await configError(load("_extends: attacker/cfg:big.yml\n"));
    expect(err.file).toBe(CONFIG_PATH);
    expect(err.problem).toMatch(/^_extends must name a repository of acme/);
    // useNock({ noUnmatched }) fails the test on any request.
  });

  it("refuses a file over the size cap from the contents API's size, before any content is read", async () => {
    // Above 1 MB GitHub's JSON carries no content at all; the size alone decides.
    serve("shared", { size: 40 * 1024 * 1024 });
    const err = await configError(load("_extends: shared\n"));
    expect(err.problem).toBe(
      `_extends: the config extended from acme/shared:.github/skillproof.yml cannot be read: it is missing, the app cannot read it, or it is larger than ${MAX_CONFIG_BYTES / 1024} KiB`,
    );
    serve("shared", "# " + "x".repeat(MAX_CONFIG_BYTES));
    expect((await configError(load("_extends: shared\n"))).problem).toBe(err.problem);
  });

  it("measures the decoded text too, whatever size the answer claimed", async () => {
    const body = contentsFile("acme", "shared", CONFIG_PATH, "# " + "x".repeat(MAX_CONFIG_BYTES));
    nock(API).get(contentsPath("shared")).reply(200, { ...body, size: 10 });
    expect((await configError(load("_extends: shared\n"))).problem).toMatch(/cannot be read/);
  });

  it("never echoes an extended file's content: property names, rule ids, values", async () => {
    for (const text of ["db_password_is_hunter2: 1\n", "disable: [sk_live_hunter2]\n", "threshold: hunter2\n", "ignore: [\n  hunter2\n", "_extends: hunter2/x\n"]) {
      serve("shared", text);
      const err = await configError(load("_extends: shared\n"));
      expect(err.problem).toBe("_extends: the config extended from acme/shared:.github/skillproof.yml is not valid skillproof config");
      expect(err.message).not.toContain("hunter2");
      expect(err.line).toBeUndefined();
    }
  });

  it("reads missing, forbidden, a folder and a non-file the same way", async () => {
    const problems: string[] = [];
    nock(API).get(contentsPath("shared")).reply(404, { message: "Not Found" });
    problems.push((await configError(load("_extends: shared\n"))).problem);
    nock(API).get(contentsPath("shared")).reply(403, { message: "Resource not accessible by integration" });
    problems.push((await configError(load("_extends: shared\n"))).problem);
    nock(API).get(contentsPath("shared")).reply(200, [{ type: "file", name: "x", path: ".github/skillproof.yml/x" }]);
    problems.push((await configError(load("_extends: shared\n"))).problem);
    nock(API).get(contentsPath("shared")).reply(200, { type: "symlink", target: "x", size: 1 });
    problems.push((await configError(load("_extends: shared\n"))).problem);
    expect(new Set(problems).size).toBe(1);
    expect(problems[0]).toMatch(/cannot be read: it is missing, the app cannot read it, or it is larger than/);
  });

  it("keeps the detail of the audited repository's own mistakes", async () => {
    const err = await configError(load("disable:\n  - containers/multistage\n"));
    expect(err).toMatchObject({ file: CONFIG_PATH, line: 2 });
    expect(err.problem).toContain('unknown rule id "containers/multistage"');
  });

  it("refuses the repository's own config over the cap before parsing it", async () => {
    const err = await configError(load(`ignore: []\n# ${"x".repeat(MAX_CONFIG_BYTES)}\n`));
    expect(err.file).toBe(CONFIG_PATH);
    expect(err.problem).toMatch(/KiB/);
  });
});

describe("loadAuditConfig: the org-wide default", () => {
  it("applies the owner's .github config when the repository has none, and defaults when it is missing", async () => {
    const none = new InMemorySource({ "README.md": "# hi\n" });
    serve(".github", "threshold: 42\n");
    expect(await loadAuditConfig(none, octokit(), "acme", "hiring", IDS)).toMatchObject({ threshold: 42, source: "acme/.github:.github/skillproof.yml" });
    nock(API).get(contentsPath(".github")).reply(404, { message: "Not Found" });
    expect((await loadAuditConfig(none, octokit(), "acme", "hiring", IDS)).source).toBeNull();
  });

  it("refuses an org-wide config over the cap without reading it", async () => {
    serve(".github", { size: 40 * 1024 * 1024 });
    const err = await configError(loadAuditConfig(new InMemorySource({ "README.md": "# hi\n" }), octokit(), "acme", "hiring", IDS));
    expect(err).toMatchObject({ file: "acme/.github:.github/skillproof.yml" });
    expect(err.problem).toMatch(/larger than 64 KiB/);
  });
});
