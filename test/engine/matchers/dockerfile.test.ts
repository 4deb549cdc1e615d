import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit.js";
import { isDockerfilePath, parseDockerfile } from "../../../src/engine/matchers/dockerfile.js";
import type { DockerfileMatcher } from "../../../src/engine/types.js";
import { InMemorySource } from "../../../src/sources/memory.js";
import { rule, ruleSet } from "../../helpers/rules.js";

async function check(m: DockerfileMatcher["dockerfile"], dockerfile: string, path = "Dockerfile") {
  const result = await audit(new InMemorySource({ [path]: dockerfile }), { ruleSet: ruleSet(rule("c/x", { dockerfile: m })) });
  return result.results[0]!;
}

describe("dockerfile matcher", () => {
  it("recognises Dockerfile names", () => {
    expect(["Dockerfile", "api/Dockerfile.prod", "app.dockerfile", "Containerfile"].every(isDockerfilePath)).toBe(true);
    expect([".devcontainer/Dockerfile", "Dockerfile.md", "rules/containers/dockerfile.yml", "docker-compose.yml", "dockerfiles.txt", "Dockerfile.dockerignore"].some(isDockerfilePath)).toBe(false);
    expect(["Dockerfile-dev", "Dockerfile.j2", "docker/api.Dockerfile"].every(isDockerfilePath)).toBe(true);
  });

  it("joins continuation lines and skips comments", () => {
    expect(parseDockerfile("# c\nRUN a \\\n  # inner\n  b\nUSER app\n")).toEqual([
      { keyword: "RUN", args: "a b", line: 2 },
      { keyword: "USER", args: "app", line: 5 },
    ]);
  });

  it("counts stages", async () => {
    const two = "FROM node:20 AS build\nRUN npm ci\nFROM node:20-slim\nCOPY --from=build /a /a\n";
    expect(await check({ minStages: 2 }, two)).toMatchObject({ status: "pass", evidence: [{ path: "Dockerfile", line: 3 }] });
    expect((await check({ minStages: 2 }, "FROM node:20\n")).status).toBe("fail");
  });

  it("needs the final stage to switch to a non-root user", async () => {
    expect((await check({ finalStageNonRoot: true }, "FROM a\nRUN adduser app\nUSER app\n")).status).toBe("pass");
    expect((await check({ finalStageNonRoot: true }, "FROM a\nRUN useradd -m app\nCMD x\n")).status).toBe("fail");
    expect((await check({ finalStageNonRoot: true }, "FROM a\nUSER app\nRUN x\nUSER root\n")).status).toBe("fail");
    expect((await check({ finalStageNonRoot: true }, "FROM a AS b\nUSER app\nFROM c\nCMD x\n")).status).toBe("fail");
    expect((await check({ finalStageNonRoot: true }, "FROM a\nUSER 0:0\n")).status).toBe("fail");
    expect((await check({ finalStageNonRoot: true }, "FROM a\nUSER 1001\n")).status).toBe("pass");
  });

  it("finds an instruction in the final stage, but not HEALTHCHECK NONE", async () => {
    expect((await check({ instruction: "HEALTHCHECK" }, "FROM a\nHEALTHCHECK CMD curl -f http://localhost/health\n")).status).toBe("pass");
    expect((await check({ instruction: "HEALTHCHECK" }, "FROM a\nHEALTHCHECK NONE\n")).status).toBe("fail");
  });
});
