import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit.js";
import { MAX_LINE_CHARS } from "../../../src/engine/facts.js";
import { isCiPath, parseGitHubWorkflow } from "../../../src/engine/matchers/ci.js";
import type { CiMatcher } from "../../../src/engine/types.js";
import { InMemorySource } from "../../../src/sources/memory.js";
import { rule, ruleSet } from "../../helpers/rules.js";

async function check(m: CiMatcher["ci"], files: Record<string, string>) {
  const result = await audit(new InMemorySource(files), { ruleSet: ruleSet(rule("ci-cd/x", { ci: m })) });
  return result.results[0]!;
}

const workflow = (jobs: string) => ({ ".github/workflows/ci.yml": `name: ci\non: push\njobs:\n${jobs}` });

describe("ci matcher", () => {
  it("knows CI file locations", () => {
    expect([".github/workflows/a.yaml", ".gitlab-ci.yml", "Jenkinsfile", ".circleci/config.yml", "azure-pipelines.yml"].every(isCiPath)).toBe(true);
    expect(["docs/.github/workflows/a.yml", ".github/workflows/README.md"].some(isCiPath)).toBe(false);
  });

  it("matches run lines with their line numbers", async () => {
    const files = workflow("  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          npm ci\n          npm test\n");
    expect(await check({ run: "\\bnpm test\\b" }, files)).toMatchObject({ status: "pass", evidence: [{ path: ".github/workflows/ci.yml", line: 10, snippet: "npm test" }] });
  });

  it("ignores jobs and steps disabled with if: false", async () => {
    const disabledJob = workflow("  deploy:\n    if: false\n    runs-on: x\n    steps:\n      - run: docker push a/b\n");
    const disabledStep = workflow("  deploy:\n    runs-on: x\n    steps:\n      - if: ${{ false }}\n        run: docker push a/b\n");
    expect((await check({ run: "docker push" }, disabledJob)).status).toBe("fail");
    expect((await check({ run: "docker push" }, disabledStep)).status).toBe("fail");
  });

  it("drops jobs matching ignoreJobsMatching (a throwaway kind cluster)", async () => {
    const kind = workflow("  e2e:\n    runs-on: x\n    steps:\n      - uses: helm/kind-action@v1\n      - run: kubectl apply -f k8s/\n");
    expect((await check({ run: "kubectl apply", ignoreJobsMatching: "kind-action|kind create cluster" }, kind)).status).toBe("fail");
    expect((await check({ run: "kubectl apply" }, kind)).status).toBe("pass");
  });

  it("checks action inputs with `with`", async () => {
    const build = (push: string) => workflow(`  img:\n    runs-on: x\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          push: ${push}\n`);
    expect((await check({ uses: "^docker/build-push-action@", with: { push: "^true$" } }, build("true"))).status).toBe("pass");
    expect((await check({ uses: "^docker/build-push-action@", with: { push: "^true$" } }, build("false"))).status).toBe("fail");
  });

  it("reads other CI systems line by line, skipping comments", async () => {
    expect((await check({ run: "mvn verify" }, { ".gitlab-ci.yml": "test:\n  script:\n    - mvn verify\n" })).status).toBe("pass");
    expect((await check({ run: "mvn verify" }, { ".gitlab-ci.yml": "# mvn verify\n" })).status).toBe("fail");
  });

  it("reads a workflow whose quoted string is longer than a line's cap (an inline key), cutting only what regexes see", async () => {
    const key = "A".repeat(MAX_LINE_CHARS + 300);
    const files = workflow(
      `  e2e:\n    runs-on: ubuntu-latest\n    env:\n      SAML_KEY: "${key}"\n    steps:\n      - run: npm run test\n      - run: echo "${key}" > key.pem\n`,
    );
    const r = await check({ run: "\\bnpm run test\\b" }, files);
    expect(r).toMatchObject({ status: "pass", evidence: [{ path: ".github/workflows/ci.yml", line: 9, snippet: "npm run test" }] });
    const long = await check({ run: `A{${MAX_LINE_CHARS + 1}}` }, files);
    expect(long.status).toBe("fail");
    // The job's text that ignoreJobsMatching reads is cut too: the long key cannot be matched whole.
    expect((await check({ run: "\\bnpm run test\\b", ignoreJobsMatching: `A{${MAX_LINE_CHARS + 1}}` }, files)).status).toBe("pass");
    expect((await check({ run: "\\bnpm run test\\b", ignoreJobsMatching: `A{${MAX_LINE_CHARS - 100}}` }, files)).status).toBe("fail");
  });

  it("survives a malformed workflow", async () => {
    expect((await check({ run: "x" }, { ".github/workflows/a.yml": "jobs: [\n" })).status).toBe("fail");
  });
});

describe("ci matcher and comments", () => {
  it("ignores block and trailing comments in line-based CI files", async () => {
    const jenkins = { Jenkinsfile: "pipeline {\n  stages {\n    /* stage('Test') { steps { sh 'make test' } } */\n    stage('Build') { steps { sh 'make build' } } // make test later\n  }\n}\n" };
    expect((await check({ run: "make test" }, jenkins)).status).toBe("fail");
    const gitlab = { ".gitlab-ci.yml": "build:\n  script:\n    - make build # then: make test\n    - echo '# make test'\n" };
    expect((await check({ run: "^\\s*-\\s*make test" }, gitlab)).status).toBe("fail");
    expect((await check({ run: "make build" }, jenkins)).status).toBe("pass");
  });
});

describe("run lines are bounded like every other line", () => {
  it("a folded `run: >` scalar that joins into one long line is cut at MAX_LINE_CHARS (rule patterns run on bounded input)", () => {
    const words = Array.from({ length: 2000 }, (_, i) => `arg${i}`).join("\n          ");
    const workflow = `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: >\n          ${words}\n`;
    const [job] = parseGitHubWorkflow(workflow);
    const run = job!.steps[0]!.run;
    // The scalar folds into one line of about 17,000 characters: it arrives cut.
    expect(run[0]!.startsWith("arg0 arg1 ")).toBe(true);
    expect(run[0]!.length).toBe(MAX_LINE_CHARS);
    for (const line of run) expect(line.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
  });
});
