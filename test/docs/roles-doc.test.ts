import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: a plain-JS build script without type declarations
import { DOC_FILE, MUST_HAVE_PENALTY as DOC_MUST, REQUIRED_STACK_PENALTY as DOC_REQ, ROLES_DIR, renderRolesDoc } from "../../scripts/generate-roles-doc.js";
import { MUST_HAVE_PENALTY, REQUIRED_STACK_PENALTY } from "../../src/roles/fit.js";

const render = renderRolesDoc as (dir?: string) => string;
const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const role = `id: mini
title: A minimal role
summary: Enough of a role for the doc.
skills: { testing: 1, data: 3 }
stack:
  - { name: Docker, level: required, match: { files: { include: '**/Dockerfile' } } }
  - { name: Redis, level: preferred, match: { dependency: { names: [redis] } } }
mustHave: [testing/framework]
`;

function rolesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "skillproof-roles-doc-"));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("docs/roles.md", () => {
  it("is what scripts/generate-roles-doc.js makes of roles/ (when this fails: run it and commit docs/roles.md)", () => {
    expect(readFileSync(DOC_FILE as string, "utf8")).toBe(render(ROLES_DIR as string));
  });

  it("states the fit formula with the penalties the code uses", () => {
    expect([DOC_REQ, DOC_MUST]).toEqual([REQUIRED_STACK_PENALTY, MUST_HAVE_PENALTY]);
    const doc = render(ROLES_DIR as string);
    expect(doc).toContain(`− ${REQUIRED_STACK_PENALTY} × missing required stack items − ${MUST_HAVE_PENALTY} × must-haves not passed`);
  });

  it("lists each role with its skills (heaviest first), stack by level and must-haves", () => {
    const doc = render(rolesDir({ "mini.yml": role }));
    expect(doc).toContain("| [A minimal role](#mini) | `mini` | Docker |");
    expect(doc).toContain(
      [
        "### mini",
        "",
        "**A minimal role** · [roles/mini.yml](../roles/mini.yml)",
        "",
        "Enough of a role for the doc.",
        "",
        "- **Skills:** data 3, testing 1",
        "- **Required stack:** Docker",
        "- **Preferred stack:** Redis",
        "- **Must-haves:** `testing/framework`",
      ].join("\n"),
    );
  });

  it("--check fails on a missing or stale file and passes once regenerated", () => {
    const script = fileURLToPath(new URL("../../scripts/generate-roles-doc.js", import.meta.url));
    const dir = rolesDir({ "mini.yml": role });
    const doc = join(dir, "roles.md");
    const run = (...args: string[]) => spawnSync(process.execPath, [script, "--roles", dir, "--doc", doc, ...args], { encoding: "utf8" });
    const missing = run("--check");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/roles\.md is out of date with the roles: run `node scripts\/generate-roles-doc\.js`/);
    expect(run().status).toBe(0);
    expect(run("--check").status).toBe(0);
    writeFileSync(join(dir, "mini.yml"), role.replace("data: 3", "data: 2"));
    expect(run("--check").status).toBe(1);
    const bad = run("--nope");
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });
});
