import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit.js";
import { parseMakefile } from "../../../src/engine/matchers/ciScripts.js";
import type { CiMatcher } from "../../../src/engine/types.js";
import { InMemorySource } from "../../../src/sources/memory.js";
import { rule, ruleSet } from "../../helpers/rules.js";

async function check(m: CiMatcher["ci"], files: Record<string, string>) {
  const result = await audit(new InMemorySource(files), { ruleSet: ruleSet(rule("ci-cd/x", { ci: m })) });
  return { ...result.results[0]!, rounds: result.rounds };
}

const workflow = (run: string) => ({
  ".github/workflows/ci.yml": `on: push\njobs:\n  ci:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${run}\n`,
});

describe("ci followScripts", () => {
  it("reads the called script in a later round and names both places", async () => {
    const r = await check({ run: "\\bpytest\\b", followScripts: true }, { ...workflow("./scripts/test-all"), "scripts/test-all": "#!/bin/sh\n# lint first\npytest -q\n" });
    expect(r.status).toBe("pass");
    expect(r.evidence).toEqual([
      { path: ".github/workflows/ci.yml", line: 6, snippet: "./scripts/test-all → scripts/test-all:3" },
      { path: "scripts/test-all", line: 3, snippet: "pytest -q" },
    ]);
    expect(r.rounds).toBeGreaterThanOrEqual(2);
  });

  it("does not follow without the option, nor into program files", async () => {
    expect((await check({ run: "\\bpytest\\b" }, { ...workflow("./scripts/t.sh"), "scripts/t.sh": "pytest" })).status).toBe("fail");
    expect((await check({ run: "\\bpytest\\b", followScripts: true }, { ...workflow("python app.py"), "app.py": "# pytest\nimport pytest" })).status).toBe("fail");
  });

  it("follows scripts called from scripts, npm scripts and Makefile prerequisites", async () => {
    const files = {
      ...workflow("npm run ci"),
      "package.json": '{"scripts": {"ci": "make check"}}',
      Makefile: "check: lint unit\nlint:\n\teslint .\nunit:\n\t@./scripts/unit.sh\n",
      "scripts/unit.sh": "go test ./...\n",
    };
    expect((await check({ run: "\\bgo test\\b", followScripts: true }, files)).status).toBe("pass");
  });

  it("follows mix aliases in mix.exs to the tasks they run, not commented or other aliases", async () => {
    const mixExs = `defmodule Shop.MixProject do
  use Mix.Project
  defp aliases do
    [
      setup: ["deps.get", "ecto.setup"],
      # ci: ["test"],
      ci: [
        "format --check-formatted",
        "credo --strict",
        "test --cover"
      ],
      "assets.deploy": ["esbuild default --minify"]
    ]
  end
end
`;
    const r = await check({ run: "^mix test\\b", followScripts: true }, { ...workflow("mix ci"), "mix.exs": mixExs });
    expect(r.status).toBe("pass");
    expect(r.evidence.at(-1)).toEqual({ path: "mix.exs", line: 10, snippet: "mix test --cover" });
    expect((await check({ run: "^mix test\\b", followScripts: true }, { ...workflow("mix setup"), "mix.exs": mixExs })).status).toBe("fail");
    expect((await check({ run: "^mix credo\\b", followScripts: true }, { ...workflow("MIX_ENV=test mix do ci"), "mix.exs": mixExs })).status).toBe("pass");
  });

  it("follows sbt command aliases in build.sbt", async () => {
    const sbt = `name := "pets"
// addCommandAlias("check", "test")
addCommandAlias("validate", ";scalafmtCheckAll;coverage;test;coverageReport")
`;
    const r = await check({ run: "^sbt coverage(Report)?\\b", followScripts: true }, { ...workflow('sbt -v "validate"'), "build.sbt": sbt });
    expect(r.status).toBe("pass");
    expect(r.evidence.at(-1)).toMatchObject({ path: "build.sbt", line: 3 });
    expect((await check({ run: "^sbt test\\b", followScripts: true }, { ...workflow("sbt check"), "build.sbt": sbt })).status).toBe("fail");
  });

  it("parses Makefile rules, the default goal and recipes with comments blanked", () => {
    const mk = parseMakefile("VAR := x\n.PHONY: all\nall: build # comment\nbuild:\n\tgo build ./... # go test\n\t# go test\ntest: ; go test ./...\n");
    expect(mk.first).toBe("all");
    expect(mk.targets.get("all")?.prerequisites).toEqual(["build"]);
    expect(mk.targets.get("build")?.recipe.map((r) => r.text)).toEqual(["go build ./..."]);
    expect(mk.targets.get("test")?.recipe).toEqual([{ line: 7, text: "go test ./..." }]);
  });
});

describe("wrapperRefs", () => {
  it("reads make flags, -C folders and targets", async () => {
    const { wrapperRefs } = await import("../../../src/engine/matchers/ciScripts.js");
    const { FileIndex } = await import("../../../src/engine/fileIndex.js");
    const index = new FileIndex(["Makefile", "api/Makefile", "package.json", "scripts/ci"].map((path) => ({ path, size: 1 })));
    expect(wrapperRefs("make -j4 -k test lint", index)).toEqual([{ kind: "make", path: "Makefile", targets: ["test", "lint"] }]);
    expect(wrapperRefs("make -C api check && ./scripts/ci", index)).toEqual([
      { kind: "script", path: "scripts/ci" },
      { kind: "make", path: "api/Makefile", targets: ["check"] },
    ]);
    expect(wrapperRefs("cmake --build . && yarn install && yarn verify", index)).toEqual([{ kind: "npm", path: "package.json", script: "verify" }]);
  });
});
